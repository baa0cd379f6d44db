# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class FsDispatchApprovalReject(models.TransientModel):
    """Asks the reason of a D6 rejection; the guards are ``action_reject``'s."""

    _name = "fs.dispatch.approval.reject"
    _description = "Reject Dispatch Approval"

    approval_ids = fields.Many2many("fs.dispatch.approval", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.approval_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
