# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError

OPEN_SHEET_DOMAIN = [
    "|",
    ("sheet_id", "=", False),
    ("sheet_id.state", "not in", ("done", "cancel")),
]


def _check_flag_rights(records, vals):
    """SOP R1: whether an expense needs a dispatch order is policy, set by a
    Field Service manager or an administrator, never by whoever approves the
    expenses it gates (untick, approve, tick again). Changes are tracked."""
    env = records.env
    if (
        "fs_requires_dispatch_order" in vals
        and not env.su
        and not env.user.has_group("field_service_sop.group_fs_manager")
        and not env.user.has_group("base.group_system")
    ):
        raise AccessError(
            env._(
                "Only Field Service managers and administrators may change "
                "Requires Dispatch Order (SOP R1): it decides which expenses need "
                "a dispatch order and a signed report before they are paid."
            )
        )


class ProductTemplate(models.Model):
    """SOP R1: expense products whose reimbursement needs a dispatch order."""

    _inherit = "product.template"

    fs_requires_dispatch_order = fields.Boolean(
        string="Requires Dispatch Order",
        tracking=True,
        help="SOP R1 travel expense: expenses with this product must cite a "
        "dispatch order with a signed or phone-confirmed service report and a "
        "maintenance record, otherwise their reimbursement is suspended.",
    )

    def write(self, vals):
        _check_flag_rights(self, vals)
        res = super().write(vals)
        if "fs_requires_dispatch_order" in vals:
            # SOP R2: the gate follows the configuration for open expenses.
            self.env["hr.expense"]._fs_refresh_for_domain(
                [("product_id.product_tmpl_id", "in", self.ids), *OPEN_SHEET_DOMAIN]
            )
        return res


class ProductCategory(models.Model):
    """SOP R1: flag every expense product of a category at once."""

    _inherit = "product.category"

    fs_requires_dispatch_order = fields.Boolean(
        string="Requires Dispatch Order",
        tracking=True,
        help="SOP R1 travel expense: expenses with a product of this category "
        "must cite a dispatch order with a signed or phone-confirmed service "
        "report and a maintenance record, otherwise their reimbursement is "
        "suspended.",
    )

    def write(self, vals):
        _check_flag_rights(self, vals)
        res = super().write(vals)
        if "fs_requires_dispatch_order" in vals:
            # SOP R2: the gate follows the configuration for open expenses.
            self.env["hr.expense"]._fs_refresh_for_domain(
                [("product_id.categ_id", "child_of", self.ids), *OPEN_SHEET_DOMAIN]
            )
        return res
