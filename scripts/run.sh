#!/usr/bin/env bash
# `make run`: set everything up, create or update the demo database, start Odoo.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
fs_setup

DB="${FS_DB:-field_service_sop_demo}"
LOG="$RUN_DIR/run-install.log"
if psql -d postgres -tAc "select 1 from pg_database where datname = '$DB'" | grep -q 1; then
    say "updating field_service_sop in database $DB (log: $LOG)"
    mode=(-u field_service_sop)
else
    say "creating database $DB with field_service_sop and demo data (log: $LOG)"
    mode=(-i field_service_sop)
fi
# zh_CN first: a new database makes it the default language (every demo user
# reads Chinese); en_US stays active so anyone may switch in their Preferences.
"$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" "${mode[@]}" --stop-after-init \
    --load-language=zh_CN,en_US --log-level=warn >"$LOG" 2>&1 ||
    { tail -n 40 "$LOG" >&2; die "installing field_service_sop in $DB failed (see $LOG)"; }

url="http://localhost:${FS_HTTP_PORT:-8069}"
cat >&2 <<MSG

  Field Service SOP is starting on $url  (database $DB)

  Demo logins (password = login):
    Engineer                         fs_engineer
    Dispatcher / Project Assistant   fs_dispatcher
    Engineering Manager              fs_manager
    Service Director                 fs_director
    Product Owner (approver)         fs_product_owner
    Test Manager (approver)          fs_test_manager
    R&D Manager (approver)           fs_rd_manager
    Administrator                    admin / admin

  Stop with Ctrl+C.
MSG
exec "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --db-filter="^${DB}\$" --log-level=info
