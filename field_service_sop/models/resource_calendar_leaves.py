# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .fs_sla_calendar import SKIP_HOOK

# Fields of resource.calendar.leaves that move SLA deadlines.
LEAVE_FIELDS = {
    "date_from",
    "date_to",
    "calendar_id",
    "resource_id",
    "company_id",
    "time_type",
}


class ResourceCalendarLeaves(models.Model):
    """SOP E1: leaves changed move the SLA deadlines of their calendars."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if not self.env.context.get(SKIP_HOOK):
            SlaCalendar = self.env["fs.sla.calendar"]
            SlaCalendar._fs_calendars_changed(SlaCalendar._fs_leave_calendars(records))
        return records

    def write(self, vals):
        if self.env.context.get(SKIP_HOOK) or not LEAVE_FIELDS & set(vals):
            return super().write(vals)
        SlaCalendar = self.env["fs.sla.calendar"]
        before = SlaCalendar._fs_leave_calendars(self)
        res = super().write(vals)
        SlaCalendar._fs_calendars_changed(
            before | SlaCalendar._fs_leave_calendars(self)
        )
        return res

    def unlink(self):
        if self.env.context.get(SKIP_HOOK):
            return super().unlink()
        SlaCalendar = self.env["fs.sla.calendar"]
        calendars = SlaCalendar._fs_leave_calendars(self)
        res = super().unlink()
        SlaCalendar._fs_calendars_changed(calendars.exists())
        return res
