# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Payments of suspended expenses are refused (SOP R1); see account_move.py."""

from odoo import models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def _fs_check_expense_gate(self):
        # Read as superuser: the guard must see every linked expense.
        self.sudo().move_id._fs_check_expense_gate()

    def action_post(self):
        # Company-paid expenses are posted through their payment (SOP R1).
        self._fs_check_expense_gate()
        return super().action_post()

    def action_validate(self):
        self._fs_check_expense_gate()
        return super().action_validate()

    def write(self, vals):
        if vals.get("state") in ("in_process", "paid"):
            self._fs_check_expense_gate()
        return super().write(vals)
