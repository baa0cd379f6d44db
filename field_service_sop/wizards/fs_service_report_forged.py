# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class FsServiceReportForged(models.TransientModel):
    """Asks the manager's reason for a forged signature (SOP S4, S5); the
    guards are ``fs.service.report.action_mark_forged``'s."""

    _name = "fs.service.report.forged"
    _description = "Mark a Service Report Signature as Forged"

    report_id = fields.Many2one("fs.service.report", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "fs.service.report":
            values.setdefault("report_id", self.env.context.get("active_id"))
        return values

    def action_confirm(self):
        self.ensure_one()
        self.report_id.action_mark_forged(self.reason)
        return {"type": "ir.actions.act_window_close"}
