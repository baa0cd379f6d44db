#!/usr/bin/env bash
# `make test`: set everything up, install the addon with demo data in a fresh
# throw-away database, run the module tests (pytest-odoo, with an HTTP server so
# HttpCase tours and PDFs run), the own tests of the modules we build on or sit
# beside (OCA helpdesk_mgmt, Odoo hr_expense, OCA hr_expense_tier_validation,
# which is installed in the test database so the reimbursement gate is proved
# to hold whatever tier approvals say) and the top-level tests that drive
# running Odoo servers from outside. Exits non-zero on any
# failure, on zero tests and on any skipped test (see conftest.py).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
fs_setup

DB="fs_sop_test_$$"
export FS_DEMO_DB="${DB}_rpc"
cleanup() {
    dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    dropdb --if-exists "$FS_DEMO_DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

LOG="$RUN_DIR/test-install.log"
say "installing field_service_sop with demo data in throw-away database $DB (log: $LOG)"
"$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i field_service_sop,hr_expense_tier_validation --stop-after-init \
    --log-level=warn >"$LOG" 2>&1 || { tail -n 40 "$LOG" >&2; die "install failed (see $LOG)"; }
if grep -E ' (ERROR|CRITICAL) ' "$LOG" >&2; then
    die "the install logged errors (see $LOG)"
fi
# A copy for the top-level tests, which start their own Odoo server on it.
createdb -T "$DB" "$FS_DEMO_DB"

export FS_PY="$PY" FS_ODOO_BIN="$ODOO_BIN" FS_ODOO_CONF="$ODOO_CONF"
say "running the tests"
cd "$ROOT"
"$PY" -m pytest \
    --odoo-config="$ODOO_CONF" --odoo-database="$DB" --odoo-http --odoo-log-level=warn \
    -rfEs "$@" \
    field_service_sop/tests \
    "$SITE_ADDONS/helpdesk_mgmt/tests" \
    "$ODOO_PATH/odoo/addons/hr_expense/tests" \
    "$SITE_ADDONS/hr_expense_tier_validation/tests" \
    tests
