# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two Odoo workers running the D5 sweep at once escalate each order once.

Runs in ``odoo-bin shell`` on a copy of the demo database, with real commits
and two database connections: worker A sweeps and holds its transaction open,
worker B sweeps at the same moment and must skip A's rows (FOR UPDATE SKIP
LOCKED), and after both commit every overdue order has exactly one activity.
"""

import subprocess

SCRIPT = r"""
from datetime import timedelta
from odoo import api, fields
Order = env["fs.dispatch.order"]
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
    "UPDATE fs_dispatch_order SET written_deadline = %s WHERE id = ANY(%s)",
    [fields.Datetime.now() - timedelta(hours=1), orders.ids],
)
env.cr.commit()
activity_type = env.ref("field_service_sop.mail_activity_fs_verbal_overdue")

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
counts = {
    order.id: len(
        order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
    )
    for order in orders
}
again = Order._cron_escalate_overdue_verbal()
print(f"RESULT a={done_a} b={done_b} again={again} counts={sorted(counts.values())}")
env.cr.rollback()
"""


def test_two_workers_escalate_each_order_once(odoo, demo_db, fresh_db):
    subprocess.run(["createdb", "-T", demo_db, fresh_db], check=True)
    lines = odoo.shell_results(fresh_db, SCRIPT, timeout=300)
    # A takes a batch of 4 and holds the locks; B skips them and takes the
    # other 2; nobody is escalated twice and nothing is left.
    assert lines[0] == "RESULT a=4 b=2 again=0 counts=[1, 1, 1, 1, 1, 1]", lines[0]
