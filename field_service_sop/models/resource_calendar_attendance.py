# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .fs_sla_calendar import SKIP_HOOK


class ResourceCalendarAttendance(models.Model):
    """SOP E1: working hours changed move the SLA deadlines of their calendar."""

    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if not self.env.context.get(SKIP_HOOK):
            self.env["fs.sla.calendar"]._fs_calendars_changed(records.calendar_id)
        return records

    def write(self, vals):
        calendars = self.calendar_id
        res = super().write(vals)
        if not self.env.context.get(SKIP_HOOK):
            self.env["fs.sla.calendar"]._fs_calendars_changed(
                calendars | self.calendar_id
            )
        return res

    def unlink(self):
        calendars = self.calendar_id
        res = super().unlink()
        if not self.env.context.get(SKIP_HOOK):
            self.env["fs.sla.calendar"]._fs_calendars_changed(calendars.exists())
        return res
