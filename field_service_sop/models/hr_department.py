# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

APPROVER_GROUPS = (
    "field_service_sop.group_fs_product_owner",
    "field_service_sop.group_fs_test_manager",
)


class HrDepartment(models.Model):
    """R&D and test departments whose staff need approval to go on site.

    SOP D6: sending developers or testers on site needs the approval of the
    relevant Product Owner or Test Manager. A department is flagged here and
    names its approvers; a sub-department inherits the flag of its nearest
    flagged parent (``_fs_approving_department``), so "R&D" can be flagged once
    for all its product teams.

    Rights: whoever may edit departments (HR officers) sets the flag; only
    Product Owners and Test Managers may be named approvers.
    """

    _inherit = "hr.department"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    fs_dispatch_needs_approval = fields.Boolean(
        string="Dispatch Needs Approval",
        help="SOP D6: sending this department's staff (developers, testers) on "
        "site needs the approval of one of its approvers first. Applies to its "
        "sub-departments too, unless they are flagged themselves.",
    )
    fs_dispatch_approver_ids = fields.Many2many(
        "res.users",
        "hr_department_fs_dispatch_approver_rel",
        "department_id",
        "user_id",
        string="Dispatch Approvers",
        domain=lambda self: [
            ("groups_id", "in", [self.env.ref(xmlid).id for xmlid in APPROVER_GROUPS])
        ],
        help="Product Owners or Test Managers who approve sending this "
        "department's staff on site (SOP D6). Without any, the company's R&D "
        "Managers decide.",
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("fs_dispatch_approver_ids")
    def _check_fs_dispatch_approvers(self):
        for department in self:
            wrong = department.fs_dispatch_approver_ids.filtered(
                lambda user: not self._fs_is_dispatch_approver(user)
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "%(users)s cannot approve dispatches for %(department)s: "
                        "only Product Owners and Test Managers can (SOP D6). Give "
                        "them that role first or choose someone else.",
                        users=", ".join(wrong.mapped("name")),
                        department=department.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_approving_department(self):
        """The nearest department, itself or a parent, that is flagged (D6)."""
        self.ensure_one()
        department = self
        while department:
            if department.fs_dispatch_needs_approval:
                return department
            department = department.parent_id
        return department

    @api.model
    def _fs_is_dispatch_approver(self, user):
        """A Product Owner or Test Manager: may be named a D6 approver."""
        return any(user.has_group(xmlid) for xmlid in APPROVER_GROUPS)
