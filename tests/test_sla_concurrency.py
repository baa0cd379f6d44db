# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two real Odoo processes sweeping SLA timers at once escalate each one once.

SOP E4 / issue 6 "Scale and safety": on a copy of the demo database, a first
``odoo-bin shell`` creates 10,000 breached timers whose level 1 is due and
commits. Then two ``odoo-bin shell`` processes start together, wait for each
other, and run the SLA sweep (``fs.sla.timer._cron_fs_sla_sweep``) in batches,
committing each batch as the cron runner does, until nothing is left. The
sweep locks its rows with ``FOR UPDATE SKIP LOCKED``: afterwards every timer
has exactly one ``fs.escalation`` per (timer, level), both processes did part
of the work (the split shows they skipped each other's rows instead of
waiting), and a last sweep at once finds nothing to do.
"""

import re
import subprocess
import sys
import time

N = 10000
BATCH = 250

SETUP = r"""
from datetime import timedelta
from odoo import fields

N = %(n)d
env = env(context={"tracking_disable": True, "mail_create_nolog": True})
cr = env.cr
Users = env["res.users"].with_context(no_reset_password=True)
def user(login, group):
    return Users.create({
        "name": "Concurrency " + login, "login": "concurrency_" + login,
        "groups_id": [(6, 0, [env.ref("field_service_sop." + group).id])],
    })
engineer = user("engineer", "group_fs_engineer")
supervisor = user("supervisor", "group_fs_manager")
Employee = env["hr.employee"]
chief = Employee.create({"name": "Concurrency Supervisor", "user_id": supervisor.id})
Employee.create(
    {"name": "Concurrency Engineer", "user_id": engineer.id, "parent_id": chief.id}
)
team = env["helpdesk.ticket.team"].create(
    {"name": "Concurrency Team", "user_ids": [(6, 0, engineer.ids)]}
)
policy = env["fs.sla.policy"].create({
    "name": "Concurrency response",
    "model_id": env["ir.model"]._get_id("helpdesk.ticket"),
    "applies_domain": "[('team_id', '=', %%d)]" %% team.id,
    "start_domain": "[]",
    "stop_domain": "[('closed', '=', True)]",
    "target_type": "fixed", "target_value": 1, "target_unit": "hours",
    "calendar_id": False, "escalation_interval_minutes": 60, "max_level": 3,
})
ticket = env["helpdesk.ticket"].create({
    "name": "Concurrency ticket", "description": "<p>C</p>",
    "team_id": team.id, "user_id": engineer.id,
})
env.flush_all()
timer = env["fs.sla.timer"].search([("policy_id", "=", policy.id)])
assert len(timer) == 1, timer

def copy_rows(table, template_id, overrides, source, params=()):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %%s "
        "AND column_name <> 'id' ORDER BY ordinal_position", [table])
    columns = [row[0] for row in cr.fetchall()]
    values = [overrides.get(c, 't."%%s"' %% c) for c in columns]
    cr.execute(
        "INSERT INTO %%s (%%s) SELECT %%s FROM %%s t, %%s WHERE t.id = %%%%s "
        "ORDER BY g RETURNING id" %% (
            table, ", ".join('"%%s"' %% c for c in columns), ", ".join(values),
            table, source),
        [*params, template_id])
    return [row[0] for row in cr.fetchall()]

tickets = copy_rows("helpdesk_ticket", ticket.id,
    {"number": "'CONC-' || g", "name": "'Concurrency ' || g"},
    "generate_series(2, %%d) g" %% N)
copy_rows("fs_sla_timer", timer.id, {"res_id": "u.t"},
    "unnest(%%s::int[]) WITH ORDINALITY AS u(t, g)", [tickets])
breached = fields.Datetime.now() - timedelta(minutes=61)
cr.execute(
    "UPDATE fs_sla_timer SET state = 'breached', level = 0, deadline = %%s, "
    "breached_at = %%s, next_check_at = %%s WHERE policy_id = %%s",
    [breached, breached, breached + timedelta(minutes=60), policy.id])
cr.execute("ANALYZE fs_sla_timer")
cr.commit()
print("SETUP policy=%%d timers=%%d" %% (policy.id, len(tickets) + 1))
"""

SWEEP = r"""
import os, time
from psycopg2 import errors
from odoo import api

name, barrier = %(name)r, %(barrier)r
open(os.path.join(barrier, name), "w").close()
deadline = time.monotonic() + 120
while len(os.listdir(barrier)) < 2:  # both processes are ready: go
    assert time.monotonic() < deadline, "the other process never started"
    time.sleep(0.02)
env.cr.rollback()
sweep = env["fs.sla.timer"]._cron_fs_sla_sweep
done = batches = retries = 0
start = time.monotonic()
while True:
    try:
        count = sweep(batch_size=%(batch)d)
        env.cr.commit()
    except errors.SerializationFailure:
        # A row the other process committed meanwhile: the cron runner
        # would retry, so does this loop.
        env.cr.rollback()
        env.invalidate_all()
        retries += 1
        continue
    if not count:
        break
    done += count
    batches += 1
print("RESULT %%s done=%%d batches=%%d retries=%%d seconds=%%.1f" %% (
    name, done, batches, retries, time.monotonic() - start))
"""


def _shell(odoo, db, script, log):
    """Start ``odoo-bin shell`` running ``script`` (given at once on stdin),
    its output going to the file ``log``."""
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                odoo.python,
                odoo.odoo_bin,
                "shell",
                "-c",
                odoo.config,
                "-d",
                db,
                "--no-http",
                "--log-level=warn",
            ],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    proc.stdin.write(script)
    proc.stdin.close()
    proc.log = log
    return proc


def _result(proc, timeout):
    proc.wait(timeout=timeout)
    with open(proc.log) as log:
        out = log.read()
    lines = out.splitlines()
    errors = [
        line
        for index, line in enumerate(lines)
        if re.search(r" (ERROR|CRITICAL) ", line)
        # Odoo logs the statement of a serialization failure as "bad query";
        # the sweep loop retries it as the cron runner would (counted in
        # "retries=") and the assertions below still demand exactly one
        # escalation per (timer, level).
        and not (
            "odoo.sql_db: bad query" in line
            and any(
                "could not serialize access" in following
                for following in lines[index + 1 : index + 12]
            )
        )
    ]
    assert proc.returncode == 0 and not errors, out[-5000:]
    return out


def _psql(db, sql):
    return subprocess.run(
        ["psql", "-d", db, "-tAc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_two_processes_escalate_each_timer_once(odoo, demo_db, fresh_db, tmp_path):
    subprocess.run(["createdb", "-T", demo_db, fresh_db], check=True)
    out = _result(_shell(odoo, fresh_db, SETUP % {"n": N}, tmp_path / "setup.log"), 300)
    match = re.search(r"^SETUP policy=(\d+) timers=(\d+)$", out, re.M)
    assert match, out[-3000:]
    policy_id, timers = int(match[1]), int(match[2])
    assert timers == N

    barrier = tmp_path / "barrier"
    barrier.mkdir()
    started = time.monotonic()
    procs = {
        name: _shell(
            odoo,
            fresh_db,
            SWEEP % {"name": name, "barrier": str(barrier), "batch": BATCH},
            tmp_path / f"sweep_{name}.log",
        )
        for name in ("A", "B")
    }
    results = {}
    for name, proc in procs.items():
        out = _result(proc, 600)
        line = re.search(rf"^RESULT {name} done=(\d+) batches=(\d+).*$", out, re.M)
        assert line, out[-3000:]
        results[name] = (int(line[1]), int(line[2]), line[0])
    elapsed = time.monotonic() - started
    # The figure of the run (shown with pytest -s or on failure).
    sys.stdout.write(
        f"two sweeps in {elapsed:.0f} s: "
        + " ".join(r[2] for r in results.values())
        + "\n"
    )

    rows, pairs, timers_escalated, levels = map(
        int,
        _psql(
            fresh_db,
            "SELECT count(*), count(DISTINCT (e.timer_id, e.level)), "
            "count(DISTINCT e.timer_id), max(e.level) FROM fs_escalation e "
            f"JOIN fs_sla_timer t ON t.id = e.timer_id WHERE t.policy_id = {policy_id}",
        ).split("|"),
    )
    # Exactly one escalation per (timer, level): level 1 for every timer.
    assert (rows, pairs, timers_escalated, levels) == (N, N, N, 1)
    left = _psql(
        fresh_db,
        f"SELECT count(*) FROM fs_sla_timer WHERE policy_id = {policy_id} "
        "AND (level <> 1 OR next_check_at <= now() AT TIME ZONE 'UTC')",
    )
    assert left == "0", f"{left} timers not escalated or still due"
    # Both processes did part of the work: SKIP LOCKED split it between them.
    done_a, done_b = results["A"][0], results["B"][0]
    assert done_a > 0 and done_b > 0, results
    assert done_a + done_b >= N, results
