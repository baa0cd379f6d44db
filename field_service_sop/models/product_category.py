# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .fs_expense_gate_policy import OPEN_SHEET_DOMAIN, _check_flag_rights


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
