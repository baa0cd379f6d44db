# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two real Odoo processes sweeping SLA timers at once handle each clock once.

SOP E3, E4 / issue 6 "Scale and safety": on a copy of the demo database, a
first ``odoo-bin shell`` creates 10,000 due timers, one per ticket, in four
interleaved kinds: a warning due (W), a breach due (B), a breach an hour old
so that level 1 is due with it (BE) and a breached clock whose level 1 is due
(E). Then two ``odoo-bin shell`` processes start together, wait for each
other, and run the SLA sweep (``fs.sla.timer._cron_fs_sla_sweep``) in
batches, committing each batch as the cron runner does, until nothing is left.

The sweep locks its rows with ``FOR UPDATE SKIP LOCKED``: the two processes
handle exactly N clocks between them, both a part of them, and nearly never
meet on a row (a serialization failure, retried as the cron runner would, is
the rare race of a row committed by the other process between our snapshot
and our lock). Then every side effect that a clock handled twice would
duplicate is counted exactly, per ticket and in total, against the rows as
they were before the sweeps: the timer events (one warn, breach or
escalate per clock and level), the activities (one per responsible and
supervisor on a warned or breached ticket, one per escalation), the queued
e-mails (one per warned or breached ticket, one digest per sweep batch that
raised escalations, naming each escalated clock once), the chatter notes
(one per kind of notice per ticket) and the escalations (one per clock and
level). Nothing else is created.
"""

import ast
import re
import subprocess
import sys
import time
from collections import Counter

import psycopg2

N = 10000
BATCH = 250
# The kinds of clocks, ticket g being of kind KINDS[g % 4] (see SETUP).
KINDS = ("W", "B", "BE", "E")

SETUP = r"""
from datetime import timedelta
from odoo import fields
from odoo.tools import SQL

N = %(n)d
KINDS = %(kinds)r
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
# Ticket g is named "Concurrency <kind> g", kind KINDS[g %% 4]: the kinds
# interleave, so every batch of the sweep mixes them.
ticket = env["helpdesk.ticket"].create({
    "name": "Concurrency %%s 1" %% KINDS[1], "description": "<p>C</p>",
    "team_id": team.id, "user_id": engineer.id,
})
ticket.flush_recordset()
cr.execute("UPDATE helpdesk_ticket SET number = 'CONC-1' WHERE id = %%s", [ticket.id])
env.flush_all()
timer = env["fs.sla.timer"].search([("policy_id", "=", policy.id)])
assert len(timer) == 1, timer
# The expectations below: the responsible and his supervisor are told of a
# warning or a breach, the supervisor decides level 1.
assert timer.user_id == engineer and timer.employee_id.parent_id.user_id == supervisor
assert env["fs.escalation"]._fs_chain_users(timer)[0] == supervisor

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

tickets = copy_rows("helpdesk_ticket", ticket.id, {
    "number": "'CONC-' || g",
    "name": "'Concurrency ' || (%%s::varchar[])[g %%%% 4 + 1] || ' ' || g",
}, "generate_series(2, %%d) g" %% N, [list(KINDS)])
copy_rows("fs_sla_timer", timer.id, {"res_id": "u.t"},
    "unnest(%%s::int[]) WITH ORDINALITY AS u(t, g)", [tickets])
# Only the clocks made here are due: the copy's own (demo) clocks could fall
# due during a long run and would blur the counts.
cr.execute(
    "UPDATE fs_sla_timer SET next_check_at = NULL WHERE policy_id <> %%s",
    [policy.id])
now = fields.Datetime.now()
minutes = lambda m: now + timedelta(minutes=m)
# kind: state, warning_at, warned_at, deadline, breached_at (level 0).
# Whatever the sweep's delay (under 50 minutes), W is warned, B breaches at
# level 0 (10 minutes late), BE breaches 70 minutes late (level 1 due
# with it) and E, breached 70 minutes ago, gets level 1.
plans = {
    "W": ("running", minutes(-1), None, minutes(24 * 60), None),
    "B": ("warning", minutes(-40), minutes(-40), minutes(-10), None),
    "BE": ("running", minutes(-100), None, minutes(-70), None),
    "E": ("breached", minutes(-100), minutes(-100), minutes(-70), minutes(-70)),
}
for kind, (state, warning_at, warned_at, deadline, breached_at) in plans.items():
    cr.execute(
        "UPDATE fs_sla_timer t SET state = %%s, level = 0, warning_at = %%s, "
        "warned_at = %%s, deadline = %%s, breached_at = %%s, "
        "next_check_at = %%s - split_part(h.name, ' ', 3)::int "
        "  * interval '1 millisecond' "
        "FROM helpdesk_ticket h WHERE h.id = t.res_id AND t.policy_id = %%s "
        "AND split_part(h.name, ' ', 2) = %%s",
        [state, warning_at, warned_at, deadline, breached_at, minutes(-1),
         policy.id, kind])
cr.execute("ANALYZE fs_sla_timer")
cr.commit()
# What exists before the sweeps: every row above these ids is theirs.
marks = {}
for table in ("fs_sla_timer_event", "fs_escalation", "mail_activity", "mail_mail",
              "mail_message"):
    cr.execute(SQL("SELECT coalesce(max(id), 0) FROM %%s", SQL.identifier(table)))
    marks[table] = cr.fetchone()[0]
print("SETUP policy=%%d timers=%%d supervisor=%%d,%%d marks=%%r" %% (
    policy.id, len(tickets) + 1, supervisor.id, supervisor.partner_id.id, marks))
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
        # would retry, so does this loop (counted: the test bounds it).
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


# Per ticket: the clock's state, level, whether its next check is later, its
# new events, and what the sweeps created on the ticket and its escalations.
PER_TICKET = """
WITH clock AS (
    SELECT t.id, t.res_id, t.state, t.level,
           t.next_check_at > now() AT TIME ZONE 'UTC' AS later,
           split_part(h.name, ' ', 2) AS kind
      FROM fs_sla_timer t JOIN helpdesk_ticket h ON h.id = t.res_id
     WHERE t.policy_id = %(policy)s
), event AS (
    SELECT timer_id, string_agg(event || level, ' ' ORDER BY event, level) AS events
      FROM fs_sla_timer_event WHERE id > %(fs_sla_timer_event)s GROUP BY timer_id
), activity AS (
    SELECT res_id, count(*) AS n, count(DISTINCT user_id) AS users
      FROM mail_activity
     WHERE id > %(mail_activity)s AND res_model = 'helpdesk.ticket'
     GROUP BY res_id
), mail AS (
    SELECT m.res_id, count(DISTINCT mm.id) AS n, count(r.res_partner_id) AS recipients
      FROM mail_mail mm JOIN mail_message m ON m.id = mm.mail_message_id
      LEFT JOIN mail_mail_res_partner_rel r ON r.mail_mail_id = mm.id
     WHERE mm.id > %(mail_mail)s AND m.model = 'helpdesk.ticket'
     GROUP BY m.res_id
), note AS (
    SELECT res_id, count(*) AS n FROM mail_message
     WHERE id > %(mail_message)s AND model = 'helpdesk.ticket'
       AND message_type = 'notification'
     GROUP BY res_id
), escalation_activity AS (
    SELECT res_id, count(*) AS n FROM mail_activity
     WHERE id > %(mail_activity)s AND res_model = 'fs.escalation'
       AND user_id = %(supervisor)s
     GROUP BY res_id
), escalation AS (
    SELECT e.timer_id, string_agg(e.level::text, ' ' ORDER BY e.level) AS levels,
           count(*) FILTER (WHERE e.user_id = %(supervisor)s) AS by_supervisor,
           coalesce(sum(ea.n), 0)::int AS activities
      FROM fs_escalation e LEFT JOIN escalation_activity ea ON ea.res_id = e.id
     WHERE e.id > %(fs_escalation)s
     GROUP BY e.timer_id
)
SELECT c.kind, c.state, c.level, c.later, coalesce(ev.events, ''),
       coalesce(a.n, 0), coalesce(a.users, 0), coalesce(m.n, 0),
       coalesce(m.recipients, 0), coalesce(nt.n, 0), coalesce(es.levels, ''),
       coalesce(es.by_supervisor, 0), coalesce(es.activities, 0), count(*)
  FROM clock c
  LEFT JOIN event ev ON ev.timer_id = c.id
  LEFT JOIN activity a ON a.res_id = c.res_id
  LEFT JOIN mail m ON m.res_id = c.res_id
  LEFT JOIN note nt ON nt.res_id = c.res_id
  LEFT JOIN escalation es ON es.timer_id = c.id
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
"""

# Everything the sweeps created, wherever it is.
TOTALS = """
SELECT (SELECT count(*) FROM fs_sla_timer_event WHERE id > %(fs_sla_timer_event)s),
       (SELECT count(*) FROM fs_escalation WHERE id > %(fs_escalation)s),
       (SELECT count(*) FROM mail_activity WHERE id > %(mail_activity)s),
       (SELECT count(*) FROM mail_mail WHERE id > %(mail_mail)s),
       (SELECT count(*) FROM mail_message WHERE id > %(mail_message)s)
"""

# The escalation digests (the new e-mails not about a ticket): how many,
# how many sweep transactions raised escalations (one create_date each), how
# many go to anybody but the supervisor alone, and the clocks they name.
DIGESTS = """
WITH digest AS (
    SELECT mm.id, mm.body_html FROM mail_mail mm
      JOIN mail_message m ON m.id = mm.mail_message_id
     WHERE mm.id > %(mail_mail)s AND m.model IS DISTINCT FROM 'helpdesk.ticket'
), named AS (
    SELECT n[1] AS number
      FROM digest, regexp_matches(digest.body_html, 'CONC-\\d+', 'g') n
)
SELECT (SELECT count(*) FROM digest),
       (SELECT count(DISTINCT create_date) FROM fs_escalation
         WHERE id > %(fs_escalation)s),
       (SELECT count(*) FROM digest d
         WHERE (SELECT array_agg(r.res_partner_id) FROM mail_mail_res_partner_rel r
                 WHERE r.mail_mail_id = d.id) IS DISTINCT FROM ARRAY[%(partner)s]),
       (SELECT count(*) FROM named),
       (SELECT count(DISTINCT number) FROM named),
       (SELECT count(*) FROM named JOIN helpdesk_ticket h ON h.number = named.number
         WHERE split_part(h.name, ' ', 2) IN ('BE', 'E'))
"""


def _query(db, sql, params):
    with psycopg2.connect(dbname=db) as cnx, cnx.cursor() as cr:
        cr.execute(sql, params)
        rows = cr.fetchall()
    cnx.close()
    return rows


def test_two_processes_handle_each_clock_once(odoo, demo_db, fresh_db, tmp_path):
    subprocess.run(["createdb", "-T", demo_db, fresh_db], check=True)
    out = _result(
        _shell(
            odoo, fresh_db, SETUP % {"n": N, "kinds": KINDS}, tmp_path / "setup.log"
        ),
        300,
    )
    match = re.search(
        r"^SETUP policy=(\d+) timers=(\d+) supervisor=(\d+),(\d+) marks=(.*)$",
        out,
        re.M,
    )
    assert match, out[-3000:]
    assert int(match[2]) == N
    params = dict(
        ast.literal_eval(match[5]),
        policy=int(match[1]),
        supervisor=int(match[3]),
        partner=int(match[4]),
    )

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
        out = _result(proc, 900)
        line = re.search(
            rf"^RESULT {name} done=(\d+) batches=(\d+) retries=(\d+).*$", out, re.M
        )
        assert line, out[-3000:]
        results[name] = (int(line[1]), int(line[2]), int(line[3]), line[0])
    elapsed = time.monotonic() - started
    # The figure of the run (shown with pytest -s or on failure).
    sys.stdout.write(
        f"two sweeps in {elapsed:.0f} s: "
        + " ".join(r[3] for r in results.values())
        + "\n"
    )

    # Each due clock was handled by exactly one process, and both took part:
    # SKIP LOCKED split the work between them instead of serializing it.
    (done_a, batches_a, retries_a, _a), (done_b, batches_b, retries_b, _b) = (
        results["A"],
        results["B"],
    )
    assert done_a + done_b == N and done_a > 0 and done_b > 0, results
    # ... and they did not collide. Odoo runs REPEATABLE READ: without the
    # lock (or without SKIP LOCKED) both would take the same rows and the
    # later one fail on them with a serialization failure, rolled back and
    # retried (about one per batch), so the counts below would still hold;
    # the retries show it. With SKIP LOCKED a retry is the rare race of a
    # row the other process commits between our snapshot and our lock.
    assert retries_a + retries_b <= (batches_a + batches_b) // 4, results

    kinds = Counter(KINDS[g % 4] for g in range(1, N + 1))
    w, b, be, e = kinds["W"], kinds["B"], kinds["BE"], kinds["E"]
    # kind: (state, level, next check later, events, ticket activities and
    # their users, ticket e-mails and their recipients, chatter notes,
    # escalation levels, those decided by the supervisor, their activities)
    expected = {
        "W": ("warning", 0, True, "warn0", 2, 2, 1, 2, 1, "", 0, 0),
        "B": ("breached", 0, True, "breach0", 2, 2, 1, 2, 1, "", 0, 0),
        "BE": ("breached", 1, True, "breach0 escalate1", 2, 2, 1, 2, 2, "1", 1, 1),
        "E": ("breached", 1, True, "escalate1", 0, 0, 0, 0, 1, "1", 1, 1),
    }
    rows = _query(fresh_db, PER_TICKET, params)
    assert sorted(rows) == sorted(
        (kind, *values, kinds[kind]) for kind, values in expected.items()
    ), rows

    digests, transactions, misaddressed, named, distinct, escalated = _query(
        fresh_db, DIGESTS, params
    )[0]
    # One digest per sweep transaction that raised escalations, to the
    # supervisor alone, naming each escalated clock exactly once.
    assert 0 < digests == transactions <= batches_a + batches_b, (
        digests,
        transactions,
        results,
    )
    assert misaddressed == 0
    assert named == distinct == escalated == be + e, (named, distinct, escalated)

    notes = w + b + 2 * be + e
    ticket_mails = w + b + be
    totals = _query(fresh_db, TOTALS, params)[0]
    # Nothing else was created anywhere: events, escalations, activities,
    # queued e-mails, messages (the chatter notes and the e-mails' own).
    assert totals == (
        w + b + 2 * be + e,
        be + e,
        2 * (w + b + be) + be + e,
        ticket_mails + digests,
        notes + ticket_mails + digests,
    ), totals
