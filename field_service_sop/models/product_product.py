# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import AccessError

from .fs_expense_gate_policy import OPEN_SHEET_DOMAIN, fs_may_set_gate_policy


class ProductProduct(models.Model):
    _inherit = "product.product"

    def write(self, vals):
        if "product_tmpl_id" in vals and not fs_may_set_gate_policy(self.env):
            self._fs_check_template_move(vals["product_tmpl_id"])
        res = super().write(vals)
        if "product_tmpl_id" in vals:
            # SOP R2: the gate follows the configuration for open expenses.
            self.env["hr.expense"]._fs_refresh_for_domain(
                [("product_id", "in", self.ids), *OPEN_SHEET_DOMAIN]
            )
        return res

    def _fs_check_template_move(self, template_id):
        """SOP R1: moving a variant under another template may change whether
        its expenses are gated, like the flag: policy, not the approver's."""
        template = self.env["product.template"].browse(template_id)
        new_flag = bool(
            template.fs_requires_dispatch_order
            or template.categ_id.fs_requires_dispatch_order
        )
        moved = self.filtered(
            lambda p: bool(
                p.fs_requires_dispatch_order or p.categ_id.fs_requires_dispatch_order
            )
            != new_flag
        )
        if moved:
            raise AccessError(
                self.env._(
                    "Only Field Service managers and administrators may move "
                    "%(products)s under a product that changes whether it requires "
                    "a dispatch order (SOP R1).",
                    products=", ".join(moved.mapped("display_name")),
                )
            )
