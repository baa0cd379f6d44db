# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the signed-report PDF cron (``_cron_send_signed_reports``, SOP S12).

Run by ``bash scripts/bench.sh`` inside ``odoo-bin shell`` (``env`` is given).
Creates N signed service reports through the real workflow (sign queues the
PDF), runs the scheduled action in its bounded batches until the queue is
empty, and prints reports per second, ms and queries per report (rendering
with wkhtmltopdf, attachment, chatter post and queued e-mail), and the queries
of a sweep with nothing due. Real rendering takes a while per report, so N is
small by default: ``FS_BENCH_PDF_N`` (default 40). The shell runs no HTTP
server, so wkhtmltopdf cannot fetch the stylesheets (its "network error"
warning is muted): the figures are the rendering without that fetch.
"""
# Benchmarks print their figures: that is their output.
# pylint: disable=print-used

import logging
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
from _common import (  # noqa: E402  pylint: disable=wrong-import-position
    drawn_signature,
    issued_orders,
)

N = int(os.environ.get("FS_BENCH_PDF_N", "40"))
BATCH = 10


def sweep(env):
    """One call of the cron as the scheduler makes it: one bounded batch."""
    Report = env["fs.service.report"]
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    done = Report._cron_send_signed_reports(batch_size=BATCH)
    env.flush_all()
    return done, time.perf_counter() - start, env.cr.sql_log_count - queries


def setup(env):
    """N signed reports, each queued for its PDF by the signature."""
    quiet = env(context={"tracking_disable": True, "mail_create_nolog": True})
    # Nothing else in the queue: only the reports made here are measured.
    env.cr.execute("UPDATE fs_service_report SET pdf_pending = FALSE")
    customer = quiet["res.partner"].create(
        {"name": "Bench Bank", "is_company": True, "city": "Qingdao"}
    )
    contact = quiet["res.partner"].create(
        {"name": "Ms Bench", "parent_id": customer.id, "email": "bench@example.com"}
    )
    engineer = quiet["hr.employee"].create({"name": "Bench Engineer"})
    health = env.ref("field_service_sop.fs_service_type_health_check")
    arrival = fields.Datetime.now() - timedelta(hours=4)
    orders = issued_orders(
        quiet,
        [customer] * N,
        engineer,
        health,
        purpose="Bench {index}",
        content="Health check",
        arrived_at=arrival,
    )
    reports = quiet["fs.service.report"].create(
        [{"order_id": order.id} for order in orders]
    )
    reports.write(
        {
            "departure_at": arrival + timedelta(hours=3),
            "work_done": "Checked the array and the fans",
            "result": "solved",
            "completed_at": arrival + timedelta(hours=3),
        }
    )
    signature = drawn_signature()  # the server refuses anything else (S5)
    for report in reports:
        report.action_customer_sign(
            {
                "rating_attitude": "5",
                "rating_response": "4",
                "rating_effect": "5",
                "rating_overall": "9",
                "customer_comments": "Quick and tidy",
                "signer_id": contact.id,
                "signature": signature,
            }
        )
    env.flush_all()
    assert all(reports.mapped("pdf_pending")), "signing did not queue the PDF"
    return reports


def main(env):
    # No HTTP server in the shell: wkhtmltopdf warns it cannot load the CSS.
    logging.getLogger("odoo.addons.base.models.ir_actions_report").setLevel(
        logging.ERROR
    )
    start = time.perf_counter()
    reports = setup(env)
    print(f"set-up: {N} signed reports queued in {time.perf_counter() - start:.1f} s")
    mails = env["mail.mail"].search_count([])
    total_seconds = total_queries = calls = 0
    done_ids = set()
    while True:
        done, seconds, queries = sweep(env)
        calls += 1
        total_seconds += seconds
        total_queries += queries
        done_ids.update(done.ids)
        if not done:
            break
        assert calls <= N, "the cron does not drain its queue"
    rendered = reports.filtered("pdf_attachment_id")
    assert len(rendered) == N and done_ids == set(reports.ids), (
        f"{len(rendered)} of {N} reports got their PDF"
    )
    print(
        f"cron, {N} reports due in batches of {BATCH} ({calls} calls): "
        f"{total_seconds:.1f} s, {N / total_seconds:.2f} reports/s, "
        f"{total_seconds * 1000 / N:.0f} ms and {total_queries / N:.1f} queries "
        f"per report, {env['mail.mail'].search_count([]) - mails} e-mails queued"
    )
    done, seconds, queries = sweep(env)
    print(
        f"sweep, nothing due: {len(done)} reports, {seconds * 1000:.1f} ms, "
        f"{queries} queries"
    )
    env.cr.rollback()


main(env)  # noqa: F821 - odoo-bin shell provides env
