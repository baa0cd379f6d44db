# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two Odoo workers running the signed-report PDF cron at once (SOP S12).

Runs in ``odoo-bin shell`` on a copy of the demo database, with real commits,
real wkhtmltopdf rendering and two database connections: worker A renders a
batch and holds its transaction open, worker B runs at the same moment with a
short ``lock_timeout`` and must skip A's rows (FOR UPDATE SKIP LOCKED) instead
of waiting for them. After both commit, every signed report has exactly one PDF
attachment, one chatter message carrying it and one e-mail queued for the
customer, the sweeps created nothing else (messages, e-mails, notifications,
attachments, activities, followers counted in all), and a further sweep finds
nothing to do.
"""

import subprocess

SCRIPT = r"""
import logging
from datetime import timedelta
from odoo import api, fields
from odoo.tools import SQL
from odoo.addons.field_service_sop.tests.common import (
    build_issued_order, drawn_signature,
)

# No HTTP server in the shell: wkhtmltopdf warns it cannot load the CSS.
logging.getLogger("odoo.addons.base.models.ir_actions_report").setLevel(logging.ERROR)
# Portal notifications then write the customer's partner row (signup token).
env["ir.config_parameter"].set_param("auth_signup.invitation_scope", "b2c")
health = env.ref("field_service_sop.fs_service_type_health_check")
engineer = env["hr.employee"].create({"name": "Concurrency Engineer"})
SIGNATURE = drawn_signature()  # the server refuses anything but a drawing (S5)


def signed_reports(customers):
    # Only the reports made here are in the queue.
    env.cr.execute("UPDATE fs_service_report SET pdf_pending = FALSE")
    contacts = env["res.partner"].create([
        {"name": f"Contact {i}", "parent_id": c.id, "email": f"c{i}@example.com"}
        for i, c in enumerate(customers)
    ])
    arrival = fields.Datetime.now() - timedelta(hours=4)
    orders = env["fs.dispatch.order"].concat(*(
        build_issued_order(
            env, None, None, c, engineer, arrived_at=arrival,
            service_type_id=health.id, purpose=f"C{i}", content="Health check",
        )
        for i, c in enumerate(customers)
    ))
    reports = env["fs.service.report"].create([{"order_id": o.id} for o in orders])
    reports.write({
        "departure_at": arrival + timedelta(hours=3), "work_done": "Checked",
        "result": "solved", "completed_at": arrival + timedelta(hours=3),
    })
    for report, contact in zip(reports, contacts):
        report.action_customer_sign({
            "rating_attitude": "5", "rating_response": "5", "rating_effect": "5",
            "rating_overall": "10", "signer_id": contact.id, "signature": SIGNATURE,
        })
    assert all(reports.mapped("pdf_pending"))
    env.cr.commit()
    return reports


TABLES = ("mail_message", "mail_mail", "mail_notification", "ir_attachment",
          "mail_activity", "mail_followers")


def last_ids():
    marks = {}
    for table in TABLES:
        env.cr.execute(
            SQL("SELECT coalesce(max(id), 0) FROM %s", SQL.identifier(table))
        )
        marks[table] = env.cr.fetchone()[0]
    return marks


def created_since(marks):
    counts = []
    for table in TABLES:
        env.cr.execute(SQL(
            "SELECT count(*) FROM %s WHERE id > %s", SQL.identifier(table), marks[table]
        ))
        counts.append(env.cr.fetchone()[0])
    return tuple(counts)


def run(name, reports, lock_timeout):
    before = last_ids()
    registry = env.registry
    error_b = None
    with registry.cursor() as cr_a, registry.cursor() as cr_b:
        env_a = api.Environment(cr_a, env.uid, {})
        env_b = api.Environment(cr_b, env.uid, {})
        cr_b.execute("SET lock_timeout = %s", [lock_timeout])
        done_a = env_a["fs.service.report"]._cron_send_signed_reports(batch_size=4)
        env_a.flush_all()  # A's rows stay locked and updated until A commits
        try:
            done_b = env_b["fs.service.report"]._cron_send_signed_reports(batch_size=4)
            env_b.flush_all()
        except Exception as error:
            error_b = type(error).__name__
            done_b = env_b["fs.service.report"]
            cr_b.rollback()
        cr_a.commit()
        cr_b.commit()
    # A new transaction (Odoo runs REPEATABLE READ): see what A and B committed.
    env.cr.rollback()
    env.invalidate_all()
    again = env["fs.service.report"]._cron_send_signed_reports()
    env.cr.commit()
    last = env["fs.service.report"]._cron_send_signed_reports()
    # What all the sweeps created, wherever it is.
    created = created_since(before)
    pdfs, messages, mails = [], [], []
    for report in reports:
        attachments = env["ir.attachment"].search([
            ("res_model", "=", report._name), ("res_id", "=", report.id),
            ("mimetype", "=", "application/pdf"),
        ])
        pdfs.append(len(attachments))
        carrying = report.message_ids.filtered(lambda m: m.attachment_ids & attachments)
        messages.append(len(carrying))
        mails.append(env["mail.mail"].search_count([
            ("mail_message_id", "in", carrying.ids),
            ("recipient_ids", "in", report.signer_id.ids),
            ("state", "=", "outgoing"),
        ]))
    linked = all(r.pdf_attachment_id and not r.pdf_pending for r in reports)
    overlap = len(set(done_a.ids) & set(done_b.ids) | set(done_b.ids) & set(again.ids))
    print(
        f"RESULT {name} a={len(done_a)} b={len(done_b)} b_error={error_b} "
        f"again={len(again)} last={len(last)} "
        f"overlap={overlap} linked={linked} "
        f"pdfs={pdfs} messages={messages} mails={mails} created={created}"
    )


Partner = env["res.partner"]
# 1. Six customers: nothing but the reports is shared, so B must not wait.
customers = Partner.create([{"name": f"Bank {i}", "is_company": 1} for i in range(6)])
run("distinct", signed_reports(list(customers)), "5s")
# 2. One customer: Odoo's portal notification writes the customer's partner
# row, so B waits for A on that row (not on a report): B's reports must stay
# queued for the next sweep, not be dropped or sent twice.
customer = Partner.create({"name": "Busy Bank", "is_company": True})
run("shared", signed_reports([customer] * 6), "2s")
env.cr.rollback()
"""


def test_two_workers_render_each_report_once(odoo, demo_db, fresh_db):
    subprocess.run(["createdb", "-T", demo_db, fresh_db], check=True)
    lines = odoo.shell_results(fresh_db, SCRIPT, timeout=600)
    assert len(lines) == 2, lines
    ones = (
        "pdfs=[1, 1, 1, 1, 1, 1] messages=[1, 1, 1, 1, 1, 1] mails=[1, 1, 1, 1, 1, 1]"
        # Messages, e-mails, notifications (the signer's), PDFs; no activity,
        # no follower: nothing else.
        " created=(6, 6, 6, 6, 0, 0)"
    )
    # A takes a batch of 4 and holds its locks; B neither waits nor fails: it
    # skips A's rows (SKIP LOCKED) and renders the other 2. Each report gets
    # one PDF, one message carrying it and one queued e-mail to its signer;
    # nothing else is created and nothing is left for a further sweep.
    assert lines[0] == (
        "RESULT distinct a=4 b=2 b_error=None again=0 last=0 "
        f"overlap=0 linked=True {ones}"
    ), lines[0]
    # Same customer: B skips A's reports but meets A's lock on the customer's
    # partner row; its 2 reports stay queued (none dropped with a failure
    # note, none half-sent) and the next sweep sends them, once.
    assert lines[1] == (
        "RESULT shared a=4 b=0 b_error=None again=2 last=0 "
        f"overlap=0 linked=True {ones}"
    ), lines[1]
