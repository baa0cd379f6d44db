# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two Odoo workers running the D5 sweep at once escalate each order once.

Runs in ``odoo-bin shell`` on a copy of the demo database, with real commits
and two database connections: worker A sweeps and holds its transaction open,
worker B sweeps at the same moment and must skip A's rows (FOR UPDATE SKIP
LOCKED), and after both commit every overdue order has exactly one activity
for the dispatcher's manager, one assignment notice telling him (a message
and its inbox notification) and him as follower; nothing else was created
by the two workers, and a further sweep finds nothing to do.
"""

import subprocess

SCRIPT = r"""
from datetime import timedelta
from odoo import api, fields
from odoo.tools import SQL
Order = env["fs.dispatch.order"]
# Only the orders made here are due for the sweep.
env.cr.execute(
    "UPDATE fs_dispatch_order SET verbal_escalated_at = now() AT TIME ZONE 'UTC' "
    "WHERE verbal_escalated_at IS NULL"
)
Users = env["res.users"].with_context(no_reset_password=True)
internal = [(6, 0, [env.ref("base.group_user").id])]
# The overdue orders are escalated to the dispatcher's manager, told in
# Odoo (inbox): no e-mail is sent from the shell.
manager = Users.create({
    "name": "Concurrency Manager", "login": "fs_conc_manager",
    "notification_type": "inbox", "groups_id": internal,
})
dispatcher = Users.create({
    "name": "Concurrency Dispatcher", "login": "fs_conc_dispatcher",
    "groups_id": internal,
})
boss = env["hr.employee"].create({"name": "Concurrency Manager", "user_id": manager.id})
env["hr.employee"].create(
    {"name": "Concurrency Dispatcher", "user_id": dispatcher.id, "parent_id": boss.id}
)
partner = env["res.partner"].create({"name": "Concurrency Customer"})
engineer = env["hr.employee"].create({"name": "Concurrency Engineer"})
orders = Order.create([
    {"partner_id": partner.id, "engineer_ids": [(6, 0, engineer.ids)],
     "lead_engineer_id": engineer.id, "purpose": f"C{i}"}
    for i in range(6)
])
orders.action_issue_verbal()
orders.flush_recordset()
env.cr.execute(
    "UPDATE fs_dispatch_order SET written_deadline = %s, issued_by_id = %s "
    "WHERE id = ANY(%s)",
    [fields.Datetime.now() - timedelta(hours=1), dispatcher.id, orders.ids],
)
env.cr.commit()
activity_type = env.ref("field_service_sop.mail_activity_fs_verbal_overdue")
assert all(o._fs_verbal_escalation_user() == manager for o in orders)
TABLES = ("mail_activity", "mail_message", "mail_notification", "mail_mail",
          "mail_followers")
def last_ids():
    marks = {}
    for table in TABLES:
        env.cr.execute(
            SQL("SELECT coalesce(max(id), 0) FROM %s", SQL.identifier(table))
        )
        marks[table] = env.cr.fetchone()[0]
    return marks
before = last_ids()

registry = env.registry
with registry.cursor() as cr_a, registry.cursor() as cr_b:
    env_a = api.Environment(cr_a, env.uid, {})
    env_b = api.Environment(cr_b, env.uid, {})
    cr_b.execute("SET lock_timeout = '5s'")  # without SKIP LOCKED, B would wait
    done_a = env_a["fs.dispatch.order"]._cron_escalate_overdue_verbal(batch_size=4)
    done_b = env_b["fs.dispatch.order"]._cron_escalate_overdue_verbal(batch_size=4)
    cr_a.commit()
    cr_b.commit()
# A new transaction (Odoo runs REPEATABLE READ): see what A and B committed.
env.cr.rollback()
env.invalidate_all()
# What the two workers created, per order and in all.
def created_since(marks):
    counts = []
    for table in TABLES:
        env.cr.execute(SQL(
            "SELECT count(*) FROM %s WHERE id > %s", SQL.identifier(table), marks[table]
        ))
        counts.append(env.cr.fetchone()[0])
    return tuple(counts)
created = created_since(before)
per_order = []
for order in orders:
    activities = order.activity_ids.filtered(
        lambda a: a.activity_type_id == activity_type and a.user_id == manager
    )
    notices = env["mail.message"].search([
        ("model", "=", order._name), ("res_id", "=", order.id),
        ("message_type", "=", "user_notification"), ("id", ">", before["mail_message"]),
        ("partner_ids", "=", manager.partner_id.id),
    ])
    inbox = env["mail.notification"].search_count([
        ("mail_message_id", "in", notices.ids),
        ("res_partner_id", "=", manager.partner_id.id),
        ("notification_type", "=", "inbox"),
    ])
    following = manager.partner_id in order.message_partner_ids
    per_order.append(f"{len(activities)}{len(notices)}{inbox}{following:d}")
again = Order._cron_escalate_overdue_verbal()
print(
    f"RESULT a={done_a} b={done_b} again={again} per_order={per_order} "
    f"created={created}"
)
env.cr.rollback()
"""


def test_two_workers_escalate_each_order_once(odoo, demo_db, fresh_db):
    subprocess.run(["createdb", "-T", demo_db, fresh_db], check=True)
    lines = odoo.shell_results(fresh_db, SCRIPT, timeout=300)
    # A takes a batch of 4 and holds the locks; B skips them and takes the
    # other 2; nothing is left. Each order: one activity for the manager, one
    # notice (message + inbox notification) telling him, him as follower
    # ("1111"); the workers created 6 activities, 6 messages, 6
    # notifications, no e-mail and 6 followers, nothing more.
    assert lines[0] == (
        "RESULT a=4 b=2 again=0 per_order=['1111', '1111', '1111', '1111', '1111', "
        "'1111'] created=(6, 6, 6, 0, 6)"
    ), lines[0]
