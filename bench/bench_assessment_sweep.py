# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the SOP S4 sweep (``_cron_fs_check_assessments``).

Run by ``bash scripts/bench.sh`` inside ``odoo-bin shell`` (``env`` is given).
Creates N service reports inside their grace period, makes 1 % of them overdue
and unsigned, and prints the sweep's time and queries with nothing due and with
1 % due. Work must grow with the reports due, not with the open ones.
"""
# Benchmarks print their figures: that is their output.
# pylint: disable=print-used

import os
import sys
import time
from datetime import timedelta

from odoo import fields
from odoo.modules import get_module_path

# bench/_common.py (bench.sh pipes this script to the shell: no __file__).
sys.path.insert(
    0, os.path.join(os.path.dirname(get_module_path("field_service_sop")), "bench")
)
from _common import issued_orders  # noqa: E402  pylint: disable=wrong-import-position

N = int(os.environ.get("FS_BENCH_N", "10000"))


def sweep(env):
    Report = env["fs.service.report"]
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    Report._cron_fs_check_assessments(batch_size=1000)
    seconds = time.perf_counter() - start
    found = env["fs.engineer.assessment"].search_count([])
    return found, seconds, env.cr.sql_log_count - queries


def main(env):
    env = env(context={"tracking_disable": True, "mail_create_nolog": True})
    partner = env["res.partner"].create({"name": "Bench Customer", "is_company": True})
    employee = env["hr.employee"].create({"name": "Bench Engineer"})
    health = env.ref("field_service_sop.fs_service_type_health_check")
    start = time.perf_counter()
    order = issued_orders(env, partner, employee, health)
    env.flush_all()
    now = fields.Datetime.now()
    # N issued orders with one report each, copied in SQL (bench set-up only).
    env.cr.execute(
        "WITH orders AS ("
        " INSERT INTO fs_dispatch_order (name, state, company_id, partner_id,"
        " lead_engineer_id, service_type_id, priority, create_uid, write_uid,"
        " create_date, write_date)"
        " SELECT 'BENCH-' || g, 'done', company_id, partner_id, lead_engineer_id,"
        " service_type_id, '0', 1, 1, now(), now()"
        " FROM fs_dispatch_order, generate_series(1, %s) g WHERE id = %s"
        " RETURNING id, company_id, partner_id, lead_engineer_id, service_type_id)"
        " INSERT INTO fs_service_report (name, state, order_id, company_id,"
        " partner_id, engineer_id, service_type_id, departure_at, create_uid,"
        " write_uid, create_date, write_date)"
        " SELECT 'BENCH-' || id, 'draft', id, company_id, partner_id,"
        " lead_engineer_id, service_type_id, %s, 1, 1, now(), now() FROM orders",
        [N, order.id, now],
    )
    print(
        f"set-up: {N} reports inside the grace period in "
        f"{time.perf_counter() - start:.1f} s"
    )
    found, seconds, queries = sweep(env)
    print(
        f"sweep, nothing due: {found} assessments, {seconds * 1000:.1f} ms, "
        f"{queries} queries"
    )
    env.cr.execute(
        "UPDATE fs_service_report SET departure_at = %s, assessment_checked_at = NULL "
        "WHERE id IN (SELECT id FROM fs_service_report WHERE name LIKE 'BENCH-%%' "
        "ORDER BY id LIMIT %s)",
        [now - timedelta(days=30), max(1, N // 100)],
    )
    found, seconds, queries = sweep(env)
    due = max(1, N // 100)
    print(
        f"sweep, 1 % due ({due} reports): {found} assessments, "
        f"{seconds * 1000:.1f} ms, {queries} queries "
        f"({seconds * 1000 / due:.2f} ms and {queries / due:.1f} queries per report)"
    )
    found_again, seconds, queries = sweep(env)
    print(
        f"sweep again at once (idempotent): {found_again - found} new, "
        f"{queries} queries"
    )
    env.cr.rollback()


main(env)  # noqa: F821 - odoo-bin shell provides env
