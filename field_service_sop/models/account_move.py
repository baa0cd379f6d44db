# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Accounting side of the reimbursement gate (SOP R1).

Stock hr_expense lets the sheet's post action and the accounting flows post
entries and payments without re-checking the approval. These guards refuse
posting, paying or registering a payment for an expense that is suspended,
whoever calls them and whatever the context. The payment guards
(account_payment.py, wizards/account_payment_register.py) call the move guard
defined here.
"""

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _fs_gate_expenses(self):
        """Expenses whose reimbursement these entries carry (SOP R1).

        The sheet's own entries (bill or company-paid payment entry) and
        entries whose lines cite an expense (payments), except reversals:
        undoing an entry (reset to draft) stays allowed.
        """
        # Read as superuser: the guard must see every linked expense.
        moves = self.sudo().filtered(lambda m: not m.reversed_entry_id)
        return moves.expense_sheet_id.expense_line_ids | moves.line_ids.expense_id

    def _fs_check_expense_gate(self):
        self._fs_gate_expenses()._fs_check_reimbursable_expenses()

    def _post(self, soft=True):
        # Covers action_post, the sheet's post action and payment posting.
        self._fs_check_expense_gate()
        return super()._post(soft=soft)

    def write(self, vals):
        if vals.get("state") == "posted":
            self._fs_check_expense_gate()
        res = super().write(vals)
        if "expense_sheet_id" in vals or "line_ids" in vals:
            # Linking a posted entry to a suspended expense (SOP R1).
            self.filtered(lambda m: m.state == "posted")._fs_check_expense_gate()
        return res

    def action_register_payment(self):
        self._fs_check_expense_gate()
        return super().action_register_payment()
