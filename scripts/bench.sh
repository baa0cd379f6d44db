#!/usr/bin/env bash
# Benchmarks: each bench/bench_*.py runs in `odoo-bin shell` on a throw-away
# database with field_service_sop installed (no demo), and prints its figures.
# A benchmark that compares with other addons names them on a line
# `# bench-peers: module,module` (e.g. bench_sla.py: base_automation and OCA
# helpdesk_mgmt_sla from requirements-addons.txt); it then runs on a copy of
# that database with those addons installed too, dropped at the end.
#   bash scripts/bench.sh                      all benchmarks
#   bash scripts/bench.sh sla                  only bench/bench_sla*.py
#   FS_BENCH_N=100000 bash scripts/bench.sh    bigger data
set -euo pipefail
source "$(dirname "$0")/setup.sh"
fs_setup
DB="fs_sop_bench_$$"
PEER_DBS=()
cleanup() {
    dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    for db in "${PEER_DBS[@]}"; do dropdb --if-exists "$db" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
say "installing field_service_sop in throw-away database $DB"
"$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i field_service_sop --without-demo=all \
    --stop-after-init --log-level=warn >"$RUN_DIR/bench-install.log" 2>&1 ||
    die "install failed (see $RUN_DIR/bench-install.log)"
shopt -s nullglob
benches=("$ROOT"/bench/bench_"${1:-}"*.py)
[ ${#benches[@]} -gt 0 ] || die "no benchmark matches bench/bench_${1:-}*.py"
for bench in "${benches[@]}"; do
    name=$(basename "$bench" .py)
    db="$DB"
    peers=$(sed -n 's/^# bench-peers: *//p' "$bench" | head -n 1)
    if [ -n "$peers" ]; then
        db="${DB}_${name#bench_}"
        PEER_DBS+=("$db")
        say "$name: installing its peers ($peers) in a copy of $DB"
        createdb -T "$DB" "$db" || die "could not copy $DB to $db"
        "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$db" -i "$peers" --without-demo=all \
            --stop-after-init --log-level=warn >"$RUN_DIR/bench-peers.log" 2>&1 ||
            die "installing $peers failed (see $RUN_DIR/bench-peers.log; are the peers in requirements-addons.txt installed?)"
    fi
    say "$name"
    "$PY" "$ODOO_BIN" shell -c "$ODOO_CONF" -d "$db" --log-level=warn --no-http <"$bench"
done
