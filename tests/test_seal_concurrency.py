# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two transactions sealing service reports of one company at once (SOP S2,
S12; issue 10.3).

Runs in ``odoo-bin shell`` on a copy of the demo database with two real
database connections. The seal chain of a company must never fork: while A
holds the chain head, B waits for it (here: gives up after its lock timeout);
when B's transaction began before A committed, B fails with a serialization
error (which Odoo retries) instead of chaining to a stale head. Retried, both
seal, and the company's chain verifies end to end.
"""

import subprocess

SCRIPT = r"""
from datetime import timedelta
from odoo import api, fields
from odoo.addons.field_service_sop.tests.common import (
    build_issued_order, drawn_signature,
)

health = env.ref("field_service_sop.fs_service_type_health_check")
engineer = env["hr.employee"].create({"name": "Seal Concurrency Engineer"})
SIGNATURE = drawn_signature()  # the server refuses anything but a drawing (S5)
customers = env["res.partner"].create(
    [{"name": f"Seal Bank {i}", "is_company": True} for i in range(4)]
)
contacts = env["res.partner"].create(
    [{"name": f"Seal Contact {i}", "parent_id": c.id} for i, c in enumerate(customers)]
)
arrival = fields.Datetime.now() - timedelta(hours=4)
orders = env["fs.dispatch.order"].concat(*(
    build_issued_order(
        env, None, None, c, engineer, arrived_at=arrival,
        service_type_id=health.id, purpose=f"S{i}", content="Health check",
    )
    for i, c in enumerate(customers)
))
reports = env["fs.service.report"].create([{"order_id": o.id} for o in orders])
for report, contact in zip(reports, contacts):
    report.write({
        "departure_at": arrival + timedelta(hours=3), "work_done": "Checked",
        "result": "solved", "completed_at": arrival + timedelta(hours=3),
        "rating_attitude": "5", "rating_response": "5", "rating_effect": "5",
        "rating_overall": "10", "signer_id": contact.id, "signature": SIGNATURE,
    })
company = reports[0].company_id
env.cr.commit()
ids = reports.ids


def seal(env_x, report_id):
    env_x["fs.service.report"].browse(report_id).action_sign()
    env_x.flush_all()


def attempt(cr_x, env_x, report_id):
    try:
        seal(env_x, report_id)
        return None
    except Exception as error:
        cr_x.rollback()
        return type(error).__name__


registry = env.registry
# 1. A holds the head: B waits for it (and gives up after its lock timeout).
with registry.cursor() as cr_a, registry.cursor() as cr_b:
    env_a = api.Environment(cr_a, env.uid, {})
    env_b = api.Environment(cr_b, env.uid, {})
    cr_b.execute("SET lock_timeout = '2s'")
    seal(env_a, ids[0])
    waited = attempt(cr_b, env_b, ids[1])
    cr_a.commit()
# 2. B began before A committed: B must not chain to the head it saw.
with registry.cursor() as cr_a, registry.cursor() as cr_b:
    env_a = api.Environment(cr_a, env.uid, {})
    env_b = api.Environment(cr_b, env.uid, {})
    cr_b.execute("SELECT 1")  # B's snapshot is taken now
    seal(env_a, ids[2])
    cr_a.commit()
    stale = attempt(cr_b, env_b, ids[3])
# 3. Retried (as Odoo does), B's reports seal after A's.
with registry.cursor() as cr_b:
    env_b = api.Environment(cr_b, env.uid, {})
    seal(env_b, ids[1])
    seal(env_b, ids[3])
    cr_b.commit()
env.cr.rollback()
env.invalidate_all()
Seal = env["fs.service.report.seal"]
chain = Seal._fs_check_chain(company)
seals = Seal.search([("company_id", "=", company.id)], order="sequence")
mine = [env["fs.service.report"].browse(i).seal_id.sequence for i in ids]
last = seals[-1].sequence
print(
    f"RESULT waited={waited} stale={stale} "
    f"contiguous={seals.mapped('sequence') == list(range(1, last + 1))} "
    f"order={[s - last + 4 for s in mine]} problems={chain['problems']}"
)
env.cr.rollback()
"""


def test_concurrent_seals_never_fork_the_chain(odoo, demo_db, fresh_db):
    subprocess.run(["createdb", "-T", demo_db, fresh_db], check=True)
    lines = odoo.shell_results(fresh_db, SCRIPT, timeout=600)
    assert len(lines) == 1, lines
    # A sealed reports 1 and 3; B, blocked then stale, sealed 2 and 4 when
    # retried: one chain, numbered without gaps, every link intact.
    assert lines[0] == (
        "RESULT waited=LockNotAvailable stale=SerializationFailure "
        "contiguous=True order=[1, 3, 2, 4] problems=[]"
    ), lines[0]
