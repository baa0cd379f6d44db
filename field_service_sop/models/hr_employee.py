# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HrEmployee(models.Model):
    """The engineer's assessment records (SOP S4), behind a smart button."""

    _inherit = "hr.employee"

    fs_assessment_ids = fields.One2many(
        "fs.engineer.assessment",
        "employee_id",
        string="Assessments",
        groups="field_service_sop.group_fs_engineer",
    )
    fs_assessment_count = fields.Integer(
        string="Assessment Count",
        compute="_compute_fs_assessment_count",
        groups="field_service_sop.group_fs_engineer",
    )

    def _compute_fs_assessment_count(self):
        # Counted under the reader's rights: managers see all, the engineer
        # his own, anyone else none.
        data = self.env["fs.engineer.assessment"]._read_group(
            [("employee_id", "in", self.ids)], ["employee_id"], ["__count"]
        )
        counts = {employee.id: count for employee, count in data}
        for employee in self:
            employee.fs_assessment_count = counts.get(employee.id, 0)

    def action_view_fs_assessments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sop.fs_engineer_assessment_action"
        )
        action["domain"] = [("employee_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
