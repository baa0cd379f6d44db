# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .fs_sla_calendar import SKIP_HOOK

# Fields of resource.calendar that move SLA deadlines.
CALENDAR_FIELDS = {
    "attendance_ids",
    "tz",
    "hours_per_day",
    "global_leave_ids",
    "leave_ids",
    "two_weeks_calendar",
    "flexible_hours",
}


class ResourceCalendar(models.Model):
    """SOP E1: a calendar change moves the SLA deadlines measured on it."""

    _inherit = "resource.calendar"

    @api.model_create_multi
    def create(self, vals_list):
        # a new calendar has no timers yet: its attendances/leaves need no hook
        quiet = super(ResourceCalendar, self.with_context(**{SKIP_HOOK: True}))
        return quiet.create(vals_list).with_env(self.env)

    def write(self, vals):
        if self.env.context.get(SKIP_HOOK) or not CALENDAR_FIELDS & set(vals):
            return super().write(vals)
        # nested attendance/leave writes of this same change must not recompute
        # a second time: the calendar hook below covers them.
        res = super(ResourceCalendar, self.with_context(**{SKIP_HOOK: True})).write(
            vals
        )
        self.env["fs.sla.calendar"]._fs_calendars_changed(self)
        return res
