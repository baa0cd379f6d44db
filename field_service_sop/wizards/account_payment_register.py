# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Registering a payment of a suspended expense is refused (SOP R1); the guard
is the one of account_move.py."""

from odoo import models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _create_payments(self):
        # Also the path of action_create_payments (SOP R1).
        self.sudo().line_ids.move_id._fs_check_expense_gate()
        return super()._create_payments()
