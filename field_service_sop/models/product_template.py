# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError

from .fs_expense_gate_policy import (
    OPEN_SHEET_DOMAIN,
    _check_flag_rights,
    fs_may_set_gate_policy,
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
        if "categ_id" in vals and not fs_may_set_gate_policy(self.env):
            self._fs_check_category_move(vals["categ_id"])
        res = super().write(vals)
        if {"fs_requires_dispatch_order", "categ_id"} & set(vals):
            # SOP R2: the gate follows the configuration for open expenses.
            self.env["hr.expense"]._fs_refresh_for_domain(
                [("product_id.product_tmpl_id", "in", self.ids), *OPEN_SHEET_DOMAIN]
            )
        return res

    def _fs_check_category_move(self, categ_id):
        """SOP R1: moving a product between a flagged and an unflagged
        category decides whether its expenses are gated, like the flag."""
        new_flag = (
            self.env["product.category"].browse(categ_id).fs_requires_dispatch_order
        )
        moved = self.filtered(
            lambda t: not t.fs_requires_dispatch_order
            and t.categ_id.fs_requires_dispatch_order != new_flag
        )
        if moved:
            raise AccessError(
                self.env._(
                    "Only Field Service managers and administrators may move "
                    "%(products)s into or out of a category that requires a "
                    "dispatch order (SOP R1): it decides which expenses need a "
                    "dispatch order and a signed report before they are paid.",
                    products=", ".join(moved.mapped("display_name")),
                )
            )
