# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two Odoo workers running the reimbursement gate's backstop at once (SOP R2).

Runs in ``odoo-bin shell`` on a copy of the demo database, with real commits
and two database connections. Six suspended travel expenses, each on its own
submitted expense report, have their service report signed and given its
maintenance record behind the gate's back (SQL: the drift the backstop exists
for). Worker A sweeps a batch and holds its transaction open; worker B sweeps
at the same moment with a short ``lock_timeout`` and must skip A's rows
(FOR UPDATE SKIP LOCKED) instead of waiting for them. After both commit, every
expense is released once: one release message and one approver activity on
its report, one assignment notice telling the approver (a message and its
inbox notification); the two workers created nothing else, and a further
sweep (and a further gate refresh) does nothing.
"""

import subprocess

SCRIPT = r"""
from odoo import api
from odoo.tools import SQL
from odoo.addons.field_service_sop.tests.common import build_issued_order

# Only the expenses made here are due for the backstop.
env.cr.execute("UPDATE hr_expense SET fs_gate_checked_at = now() at time zone 'utc'")
# Told in Odoo (inbox): no e-mail is sent from the shell.
approver = env["res.users"].with_context(no_reset_password=True).create({
    "name": "Concurrency Approver", "login": "fs_conc_approver",
    "notification_type": "inbox",
    "groups_id": [(4, env.ref("hr_expense.group_hr_expense_manager").id)],
})
partner = env["res.partner"].create({"name": "Concurrency Bank", "is_company": True})
engineer = env["hr.employee"].create(
    {"name": "Concurrency Engineer", "expense_manager_id": approver.id}
)
health = env.ref("field_service_sop.fs_service_type_health_check")
product = env["product.product"].create({
    "name": "Concurrency train ticket", "type": "service", "can_be_expensed": True,
    "fs_requires_dispatch_order": True, "standard_price": 0.0,
})
ticket = env["helpdesk.ticket"].create({
    "name": "Concurrency record", "description": "<p>Installed</p>",
    "partner_id": partner.id, "company_id": env.company.id,
})
orders = env["fs.dispatch.order"].concat(*(
    build_issued_order(
        env, None, None, partner, engineer,
        service_type_id=health.id, purpose=f"C{i}", content="Health check",
    )
    for i in range(6)
))
reports = env["fs.service.report"].create([{"order_id": o.id} for o in orders])
expenses = env["hr.expense"].create([
    {"name": f"Trip {i}", "employee_id": engineer.id, "product_id": product.id,
     "total_amount_currency": 100.0, "fs_dispatch_order_id": o.id}
    for i, o in enumerate(orders)
])
sheets = env["hr.expense.sheet"].create([
    {"name": f"Trip report {i}", "employee_id": engineer.id,
     "expense_line_ids": [(6, 0, e.ids)]}
    for i, e in enumerate(expenses)
])
sheets.action_submit_sheet()
assert all(expenses.mapped("fs_suspended")), "the gate did not suspend"
env.flush_all()
# Drift: signed with their record behind the gate's back; due for the backstop.
env.cr.execute(
    "UPDATE fs_service_report SET state = 'signed', maintenance_ticket_id = %s, "
    "record_missing = FALSE WHERE id = ANY(%s)",
    [ticket.id, reports.ids],
)
env.cr.execute(
    "UPDATE hr_expense SET fs_gate_checked_at = NULL WHERE id = ANY(%s)",
    [expenses.ids],
)
env.cr.commit()
TABLES = ("mail_message", "mail_activity", "mail_notification", "mail_mail",
          "mail_followers")


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


before = last_ids()
registry = env.registry
error_b = None
with registry.cursor() as cr_a, registry.cursor() as cr_b:
    env_a = api.Environment(cr_a, env.uid, {})
    env_b = api.Environment(cr_b, env.uid, {})
    cr_b.execute("SET lock_timeout = '2s'")  # without SKIP LOCKED, B would wait
    done_a, _rest = env_a["hr.expense"]._cron_fs_recheck_expense_gate(batch_size=4)
    env_a.flush_all()  # A's rows stay locked and updated until A commits
    try:
        done_b, _rest = env_b["hr.expense"]._cron_fs_recheck_expense_gate(
            batch_size=4
        )
        env_b.flush_all()
    except Exception as error:
        error_b = type(error).__name__
        done_b = 0
        cr_b.rollback()
    cr_a.commit()
    cr_b.commit()
# A new transaction (Odoo runs REPEATABLE READ): see what A and B committed.
env.cr.rollback()
env.invalidate_all()
# What the two workers created (the checks below create nothing they count).
created = created_since(before)
again = env["hr.expense"]._cron_fs_recheck_expense_gate()
expenses._fs_refresh_gate()
env.flush_all()


def released(sheet):
    messages = sheet.message_ids.filtered(
        lambda m: "Reimbursement released" in (m.body or "")
    )
    activities = env["mail.activity"].search([
        ("res_model", "=", "hr.expense.sheet"), ("res_id", "=", sheet.id),
        ("user_id", "=", approver.id), ("summary", "ilike", "released"),
    ])
    notices = env["mail.message"].search([
        ("model", "=", sheet._name), ("res_id", "=", sheet.id),
        ("message_type", "=", "user_notification"), ("id", ">", before["mail_message"]),
        ("partner_ids", "=", approver.partner_id.id),
    ])
    inbox = env["mail.notification"].search_count([
        ("mail_message_id", "in", notices.ids),
        ("res_partner_id", "=", approver.partner_id.id),
        ("notification_type", "=", "inbox"),
    ])
    return f"{len(messages)}{len(activities)}{len(notices)}{inbox}"


counts = [released(sheet) for sheet in sheets]
suspended = sum(expenses.mapped("fs_suspended")) + sum(sheets.mapped("fs_suspended"))
rows = env["fs.expense.suspension"].sudo().search_count(
    [("expense_id", "in", expenses.ids)]
)
print(
    f"RESULT a={done_a} b={done_b} b_error={error_b} again={again} "
    f"suspended={suspended} rows={rows} "
    f"per_sheet={counts} created={created}"
)
env.cr.rollback()
"""


def test_two_workers_release_each_expense_once(odoo, demo_db, fresh_db):
    subprocess.run(["createdb", "-T", demo_db, fresh_db], check=True)
    lines = odoo.shell_results(fresh_db, SCRIPT, timeout=300)
    # A takes a batch of 4 and holds its locks; B neither waits nor fails: it
    # skips A's rows (SKIP LOCKED) and releases the other 2. Each expense is
    # released once: on its report one release message, one approver
    # activity, one notice (message + inbox notification) telling him
    # ("1111"); the workers created 12 messages (6 releases, 6 notices), 6
    # activities, 6 notifications, no e-mail and no follower, nothing more.
    # No suspension is left, and a further sweep or gate refresh does nothing.
    assert lines[0] == (
        "RESULT a=4 b=2 b_error=None again=(0, 0) suspended=0 rows=0 "
        "per_sheet=['1111', '1111', '1111', '1111', '1111', '1111'] "
        "created=(12, 6, 6, 0, 0)"
    ), lines[0]
