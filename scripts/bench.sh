#!/usr/bin/env bash
# Benchmarks: each bench/bench_*.py runs in `odoo-bin shell` on a throw-away
# database with field_service_sop installed (no demo), and prints its figures.
#   bash scripts/bench.sh                      all benchmarks
#   FS_BENCH_N=100000 bash scripts/bench.sh    bigger data
set -euo pipefail
source "$(dirname "$0")/setup.sh"
fs_setup
DB="fs_sop_bench_$$"
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
say "installing field_service_sop in throw-away database $DB"
"$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i field_service_sop --without-demo=all \
    --stop-after-init --log-level=warn >"$RUN_DIR/bench-install.log" 2>&1 ||
    die "install failed (see $RUN_DIR/bench-install.log)"
for bench in "$ROOT"/bench/bench_*.py; do
    say "$(basename "$bench")"
    "$PY" "$ODOO_BIN" shell -c "$ODOO_CONF" -d "$DB" --log-level=warn --no-http <"$bench"
done
