# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the D5 sweep of overdue verbal orders (``_cron_escalate_overdue_verbal``).

Run by ``bash scripts/bench.sh`` inside ``odoo-bin shell`` on a throw-away
database (``env`` is given). Creates N open verbal orders, makes 1 % of them
overdue, and prints the sweep's time and query count with nothing due and with
1 % due. Work must grow with the orders due, not with the open ones.
"""
# Benchmarks print their figures: that is their output.
# pylint: disable=print-used

import os
import time
from datetime import timedelta

from odoo import fields

N = int(os.environ.get("FS_BENCH_N", "10000"))


def sweep(env):
    Order = env["fs.dispatch.order"]
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    done = Order._cron_escalate_overdue_verbal(batch_size=1000)
    return done, time.perf_counter() - start, env.cr.sql_log_count - queries


def main(env):
    env = env(context={"tracking_disable": True, "mail_create_nolog": True})
    company = env.company
    partner = env["res.partner"].create({"name": "Bench Customer", "is_company": True})
    employee = env["hr.employee"].create({"name": "Bench Engineer"})
    start = time.perf_counter()
    Order = env["fs.dispatch.order"]
    orders = Order.browse()
    for offset in range(0, N, 1000):
        orders |= Order.create(
            [
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "engineer_ids": [(6, 0, employee.ids)],
                    "lead_engineer_id": employee.id,
                    "purpose": f"Bench {offset + i}",
                }
                for i in range(min(1000, N - offset))
            ]
        )
    env.flush_all()
    now = fields.Datetime.now()
    # Issued verbally: set what action_issue_verbal sets, in bulk (bench set-up).
    env.cr.execute(
        "UPDATE fs_dispatch_order SET state = 'issued', is_verbal = TRUE, "
        "verbal_pending = TRUE, written_deadline = %s WHERE id = ANY(%s)",
        [now + timedelta(hours=24), orders.ids],
    )
    print(f"set-up: {N} open verbal orders in {time.perf_counter() - start:.1f} s")
    done, seconds, queries = sweep(env)
    ms = seconds * 1000
    print(f"sweep, nothing due: {done} escalated, {ms:.1f} ms, {queries} queries")
    due = orders[: max(1, N // 100)]
    env.cr.execute(
        "UPDATE fs_dispatch_order SET written_deadline = %s WHERE id = ANY(%s)",
        [now - timedelta(hours=1), due.ids],
    )
    done, seconds, queries = sweep(env)
    print(
        f"sweep, 1 % due: {done} escalated, {seconds * 1000:.1f} ms, {queries} queries "
        f"({seconds * 1000 / max(done, 1):.2f} ms and {queries / max(done, 1):.1f} "
        "queries per escalation)"
    )
    done, seconds, queries = sweep(env)
    print(f"sweep again at once (idempotent): {done} escalated, {queries} queries")
    env.cr.rollback()


main(env)  # noqa: F821 - odoo-bin shell provides env
