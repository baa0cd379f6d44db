# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SLA timer engine: working-time planning, start/stop/pause/resume,
reassignment and recompute of running timers (SOP E1-E4), in batches."""

from collections import defaultdict

from odoo import api, models

from .fs_sla_timer import OPEN_STATES, RECOMPUTE_BATCH, RUNNING_STATES


class FsSlaTimer(models.Model):
    _inherit = "fs.sla.timer"

    # ------------------------------------------------------------------
    # Business: working time (batched per calendar)
    # ------------------------------------------------------------------
    @api.model
    def _fs_plan_batch(self, items):
        """Deadlines for items [(calendar, start, minutes)], one planning call
        per calendar."""
        items = [(cal, start, max(minutes, 0.0)) for cal, start, minutes in items]
        return self._fs_per_calendar(items, self.env["fs.sla.calendar"]._fs_plan)

    @api.model
    def _fs_work_batch(self, items):
        """Working minutes for items [(calendar, from, to)], one call per
        calendar; 0 when ``to`` is not after ``from``."""
        return self._fs_per_calendar(
            items,
            self.env["fs.sla.calendar"]._fs_work_minutes,
            default=0.0,
            keep=lambda start, stop: start and stop and stop > start,
        )

    @api.model
    def _fs_per_calendar(self, items, compute, default=None, keep=None):
        """Group items [(calendar, a, b)] by calendar, call
        ``compute(calendar, [(a, b), ...])`` once per calendar and return the
        results in the items' order (``default`` for items ``keep`` rejects)."""
        by_calendar = defaultdict(list)
        result = [default] * len(items)
        for index, (calendar, first, second) in enumerate(items):
            if keep is None or keep(first, second):
                by_calendar[calendar].append((index, first, second))
        for calendar, rows in by_calendar.items():
            values = compute(calendar, [(a, b) for __, a, b in rows])
            for (index, __, __), value in zip(rows, values, strict=True):
                result[index] = value
        return result

    @api.model
    def _fs_schedule(self, rows):
        """Deadline, warning instant and next check for plan rows.

        ``rows`` are dicts {policy, anchor, remaining, target, warned}: the
        clock has ``remaining`` working minutes left at ``anchor``; the
        warning falls when (100 - warning_percent) % of ``target`` is left.
        Returns dicts {deadline, warning_at, next_check_at}.
        """
        items, policies = [], {}
        for row in rows:
            policy = row["policy"]
            known = policies.get(policy.id)
            if known is None:
                known = policies[policy.id] = (
                    policy.calendar_id,
                    (100 - policy.warning_percent) / 100.0,
                )
            calendar, share = known
            items.append((calendar, row["anchor"], row["remaining"]))
            items.append(
                (
                    calendar,
                    row["anchor"],
                    max(row["remaining"] - row["target"] * share, 0.0),
                )
            )
        planned = self._fs_plan_batch(items)
        result = []
        for index, row in enumerate(rows):
            deadline, warning_at = planned[2 * index], planned[2 * index + 1]
            warning_at = min(warning_at, deadline)
            next_check = deadline if row["warned"] else warning_at
            result.append(
                {
                    "deadline": deadline,
                    "warning_at": warning_at,
                    "next_check_at": next_check,
                }
            )
        return result

    # ------------------------------------------------------------------
    # Business: clock moves from the documents (fs.sla.mixin)

    @api.model
    def _fs_start(self, pairs, values, now):
        """Create the timers of [(policy, document)] in one create."""
        base, rows = [], []
        Partner = self.env["res.partner"]
        for policy, doc in pairs:
            vals = values[doc.id]
            partner = Partner.browse(vals.get("partner_id"))
            start = doc._fs_sla_instant(policy.start_field_id, now)
            target = policy._fs_target_minutes(partner)
            company = (
                doc.company_id if "company_id" in doc._fields else policy.company_id
            )
            base.append(
                {
                    "policy_id": policy.id,
                    "res_model": doc._name,
                    "res_id": doc.id,
                    "company_id": (company or self.env.company).id,
                    "user_id": vals.get("user_id") or False,
                    "employee_id": vals.get("employee_id") or False,
                    "team_id": vals.get("team_id") or False,
                    "partner_id": vals.get("partner_id") or False,
                    "start_at": start,
                    "target_minutes": target,
                    "state": "running",
                }
            )
            rows.append(
                {
                    "policy": policy,
                    "anchor": start,
                    "remaining": target,
                    "target": target,
                    "warned": False,
                }
            )
        plans = self._fs_schedule(rows)
        timers = self._fs_system().create(
            [dict(vals, **plan) for vals, plan in zip(base, plans, strict=True)]
        )
        timers._fs_log("start", at=now)
        return timers

    @api.model
    def _fs_stop(self, pairs, now):
        """Mark [(timer, document)] met at the document's met instant."""
        items, met = [], []
        for timer, doc in pairs:
            met_at = doc._fs_sla_instant(timer.policy_id.stop_field_id, now)
            met.append(met_at)
            calendar = timer.policy_id.calendar_id
            items.append((calendar, timer.start_at, met_at))
            items.append((calendar, timer.paused_since, met_at))
        work = self._fs_work_batch(items)
        rows = []
        for index, (timer, __) in enumerate(pairs):
            worked, pause_now = work[2 * index], work[2 * index + 1]
            rows.append(
                (
                    timer.id,
                    "met",
                    met[index],
                    None,
                    None,
                    timer.paused_minutes + pause_now,
                    max(worked - timer.paused_minutes - pause_now, 0.0),
                )
            )
        system = self._fs_system()
        system._fs_write_rows(
            [
                "state",
                "met_at",
                "next_check_at",
                "paused_since",
                "paused_minutes",
                "duration_minutes",
            ],
            rows,
        )
        system.browse([row[0] for row in rows])._fs_log("met", at=now)

    def _fs_pause(self, now):
        """Stop the clock: keep the working minutes left (SOP E1, waiting
        for the customer does not count)."""
        left = self._fs_work_batch(
            [(t.policy_id.calendar_id, now, t.deadline) for t in self]
        )
        self._fs_system()._fs_write_rows(
            ["state", "paused_since", "remaining_minutes", "next_check_at"],
            [
                (timer.id, "paused", now, max(minutes, 0.0), None)
                for timer, minutes in zip(self, left, strict=True)
            ],
        )
        self._fs_log("pause", at=now)

    def _fs_resume(self, now):
        """Restart the clock: the deadline is re-planned from now with the
        working minutes that were left; the paused time is added up."""
        paused = self._fs_work_batch(
            [(t.policy_id.calendar_id, t.paused_since, now) for t in self]
        )
        plans = self._fs_schedule(
            [
                {
                    "policy": timer.policy_id,
                    "anchor": now,
                    "remaining": timer.remaining_minutes,
                    "target": timer.target_minutes,
                    "warned": bool(timer.warned_at),
                }
                for timer in self
            ]
        )
        self._fs_system()._fs_write_rows(
            [
                "deadline",
                "warning_at",
                "next_check_at",
                "state",
                "paused_since",
                "paused_minutes",
                "remaining_minutes",
            ],
            [
                (
                    timer.id,
                    plan["deadline"],
                    plan["warning_at"],
                    plan["next_check_at"],
                    "warning" if timer.warned_at else "running",
                    None,
                    timer.paused_minutes + minutes,
                    0.0,
                )
                for timer, minutes, plan in zip(self, paused, plans, strict=True)
            ],
        )
        self._fs_log("resume", at=now)

    @api.model
    def _fs_sync_reassign(self, timers, values):
        """Follow the document's responsible, team and customer on live
        timers (logged as ``reassign`` when the responsible changes)."""
        moved = []
        system_env = self._fs_system().env
        for timer in timers:
            if timer.state not in OPEN_STATES:
                continue
            vals = values.get(timer.res_id) or {}
            new = {
                key: vals.get(key) or False
                for key in ("user_id", "employee_id", "team_id", "partner_id")
                if (vals.get(key) or False) != timer[key].id
            }
            if new:
                if "user_id" in new:
                    moved.append(timer.id)
                # The responsible is tracked (ORM write), untracked context.
                timer.with_env(system_env).write(new)
        self.browse(moved)._fs_log("reassign")

    # ------------------------------------------------------------------
    # Business: recompute (policy or calendar changed)
    # ------------------------------------------------------------------
    def _fs_recompute(self, reason):
        """Re-plan running, warned and paused timers of ``self`` against their
        policy as it is now (SOP E1-E4); other states keep their history.

        Running: deadline = start + (target + paused minutes) of working
        time, so pauses already taken stay credited. Paused: the working
        minutes left are recomputed as target - (worked before the pause).
        A deadline extended by a decision (SOP E4) stays as decided.

        Constant queries per batch: one planning per calendar, one UPDATE
        for the running timers, one for the paused ones and one INSERT for
        the events (the event log is the history, deadlines are not tracked).
        """
        system = self._fs_system()
        running, paused, targets, cache = [], [], {}, {}
        for timer in system:
            state = timer.state
            if state not in RUNNING_STATES or timer.extended:
                continue
            (paused if state == "paused" else running).append(timer)
            # The target depends on the partner only for travel-time policies.
            policy = timer.policy_id
            key = (
                policy.id,
                timer.partner_id.id if policy.target_type == "travel" else None,
            )
            if key not in cache:
                cache[key] = policy._fs_target_minutes(timer.partner_id)
            targets[timer.id] = cache[key]
        if not targets:
            return
        timers = system.browse(list(targets))
        schedule = self._fs_schedule(
            [
                {
                    "policy": timer.policy_id,
                    "anchor": timer.start_at,
                    "remaining": targets[timer.id] + timer.paused_minutes,
                    "target": targets[timer.id],
                    "warned": bool(timer.warned_at),
                }
                for timer in running
            ]
        )
        worked = self._fs_work_batch(
            [(t.policy_id.calendar_id, t.start_at, t.paused_since) for t in paused]
        )
        timers._fs_write_rows(
            ["deadline", "warning_at", "next_check_at", "target_minutes"],
            [
                (
                    timer.id,
                    plan["deadline"],
                    plan["warning_at"],
                    plan["next_check_at"],
                    targets[timer.id],
                )
                for timer, plan in zip(running, schedule, strict=True)
            ],
            # Running timers only: none is or becomes met (SOP E1-E4).
            attained_unchanged=True,
        )
        timers._fs_write_rows(
            ["target_minutes", "remaining_minutes"],
            [
                (
                    timer.id,
                    targets[timer.id],
                    max(targets[timer.id] - (minutes - timer.paused_minutes), 0.0),
                )
                for timer, minutes in zip(paused, worked, strict=True)
            ],
            attained_unchanged=True,
        )
        timers._fs_log("recompute", note=reason)

    @api.model
    def _fs_recompute_calendars(self, calendars):
        """Re-plan running timers of policies on ``calendars`` (called by the
        calendar and public-holiday hooks), in batches per calendar."""
        if not calendars:
            return
        Timer = self.sudo()
        for calendar in calendars:
            # Calendar changed by a user allowed to (checked by the calendar
            # write); the system re-plans the timers that depend on it.
            ids = Timer.search(
                [
                    ("policy_id.calendar_id", "=", calendar.id),
                    ("state", "in", RUNNING_STATES),
                ],
                order="id",
            ).ids
            for start in range(0, len(ids), RECOMPUTE_BATCH):
                Timer.browse(ids[start : start + RECOMPUTE_BATCH])._fs_recompute(
                    self.env._(
                        "Working time of %(calendar)s changed", calendar=calendar.name
                    )
                )
