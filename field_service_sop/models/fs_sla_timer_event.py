# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Append-only event log of the SLA timers (SOP E3-E5)."""

from odoo import api, fields, models
from odoo.tools import SQL


class FsSlaTimer(models.Model):
    _inherit = "fs.sla.timer"

    # ------------------------------------------------------------------
    # Business: event log
    # ------------------------------------------------------------------
    def _fs_log(self, event, note=None, user=None, at=None):
        """Append one ``event`` per timer of ``self``, in one INSERT."""
        return self._fs_log_batch(
            [
                {"timer": timer, "event": event, "note": note, "level": timer.level}
                for timer in self
            ],
            user=user,
            at=at,
        )

    @api.model
    def _fs_log_batch(self, entries, user=None, at=None):
        """Append events given as dicts {timer, event, note, level, at}.

        One INSERT for the whole batch (no per-record default or related
        computation): the caller is a system method that checked its user;
        events are append-only and created by the system only.
        """
        Event = self.env["fs.sla.timer.event"]
        if not entries:
            return Event
        cr = self.env.cr
        now = at or fields.Datetime.now()
        uid = (user or self.env.user).id
        timer_ids = [entry["timer"].id for entry in entries]
        self.browse(set(timer_ids)).flush_recordset(["company_id"])
        # One array per column; the company is the timer's, read in SQL.
        cr.execute(
            SQL(
                "INSERT INTO fs_sla_timer_event (timer_id, event, note, level, at, "
                "user_id, company_id, create_uid, create_date, write_uid, write_date) "
                "SELECT v.timer_id, v.event, v.note, v.level, v.at, %(uid)s, "
                "t.company_id, %(me)s, %(stamp)s, %(me)s, %(stamp)s "
                "FROM unnest(%(timers)s::int4[], %(events)s::varchar[], "
                "%(notes)s::text[], %(levels)s::int4[], %(ats)s::timestamp[]) "
                "WITH ORDINALITY AS v(timer_id, event, note, level, at, seq) "
                "JOIN fs_sla_timer AS t ON t.id = v.timer_id "
                "ORDER BY v.seq RETURNING id",
                uid=uid,
                me=self.env.uid,
                stamp=cr.now(),
                timers=timer_ids,
                events=[entry["event"] for entry in entries],
                notes=[entry.get("note") or None for entry in entries],
                levels=[entry.get("level") or 0 for entry in entries],
                ats=[entry.get("at") or now for entry in entries],
            )
        )
        events = Event.sudo().browse([row[0] for row in cr.fetchall()])
        # The timers' event lists changed behind the ORM's back.
        self.browse(set(timer_ids)).invalidate_recordset(["event_ids"])
        return events


class FsSlaTimerEvent(models.Model):
    """Append-only log of an SLA timer (SOP E3-E5): written by the system
    through ``fs.sla.timer._fs_log``, never changed or deleted."""

    _name = "fs.sla.timer.event"
    _inherit = ["fs.system.record.mixin"]
    _description = "SLA Timer Event"
    _order = "at, id"

    timer_id = fields.Many2one(
        "fs.sla.timer", required=True, ondelete="cascade", index=True
    )
    event = fields.Selection(
        [
            ("start", "Started"),
            ("pause", "Paused"),
            ("resume", "Resumed"),
            ("warn", "Warning"),
            ("breach", "Breached"),
            ("met", "Met"),
            ("escalate", "Escalated"),
            ("recompute", "Recomputed"),
            ("extend", "Extended"),
            ("reassign", "Reassigned"),
            ("acknowledge", "Acknowledged"),
            ("cancel", "Cancelled"),
        ],
        required=True,
    )
    at = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="By")
    note = fields.Text()
    level = fields.Integer()
    # The timer's company, filled by ``fs.sla.timer._fs_log_batch`` (a plain
    # field: a stored related would cost one UPDATE per event).
    company_id = fields.Many2one("res.company", index=True, readonly=True)

    def _fs_system_message(self, operation):
        return self.env._(
            "The SLA event log is append-only and written by the system only."
        )
