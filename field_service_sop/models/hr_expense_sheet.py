# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_amount

from .hr_expense import MONEY_STATES


class HrExpenseSheet(models.Model):
    """Reimbursement gate on expense reports (SOP R1, R2).

    Rights matrix with the gate: employees create, edit and submit gated
    expenses as in stock Odoo; refusing, resetting to draft and cancelling stay
    allowed. Nobody -- employee, approver, accountant, administrator -- approves,
    posts, pays or marks paid a sheet holding a suspended expense, whatever the
    path (buttons, RPC writes of ``approval_state``/``state``, import, the
    post/paid helpers, the accounting side). The guards never read the
    context, so no context key skips them.
    """

    _inherit = "hr.expense.sheet"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    fs_suspended = fields.Boolean(
        string="Suspended (暂缓报销)",
        compute="_compute_fs_suspended",
        store=True,
        index=True,
        help="SOP R1: at least one expense of this report is suspended; the "
        "report cannot be approved, posted or paid until it is released.",
    )
    fs_suspended_expense_ids = fields.Many2many(
        "hr.expense",
        string="Suspended Expenses",
        compute="_compute_fs_suspended_expense_ids",
    )
    fs_suspension_count = fields.Integer(
        string="Suspended Lines", compute="_compute_fs_suspended_expense_ids"
    )
    fs_suspension_summary = fields.Html(
        string="What the Suspended Lines Wait For",
        compute="_compute_fs_suspension_summary",
        help="SOP R1: each suspended line, what it waits for and who does what "
        "to release it.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("expense_line_ids.fs_suspended")
    def _compute_fs_suspended(self):
        for sheet in self:
            sheet.fs_suspended = any(sheet.expense_line_ids.mapped("fs_suspended"))

    @api.depends("expense_line_ids.fs_suspended")
    def _compute_fs_suspended_expense_ids(self):
        for sheet in self:
            lines = sheet.expense_line_ids.filtered("fs_suspended")
            sheet.fs_suspended_expense_ids = lines
            sheet.fs_suspension_count = len(lines)

    @api.depends(
        "expense_line_ids.fs_suspended", "expense_line_ids.fs_suspension_reasons"
    )
    @api.depends_context("lang")
    def _compute_fs_suspension_summary(self):
        """Issue 12.6: name the blocked lines and what each one waits for."""
        for sheet in self:
            lines = sheet.expense_line_ids.filtered("fs_suspended")
            items = Markup("").join(
                Markup("<li><strong>%s</strong> (%s): %s</li>")
                % (
                    line.name,
                    format_amount(
                        self.env, line.total_amount, line.company_currency_id
                    ),
                    Markup("<br/>").join(line._fs_suspension_todos()),
                )
                for line in lines
            )
            sheet.fs_suspension_summary = (
                Markup('<ul class="mb-1">%s</ul>') % items if lines else False
            )

    # ------------------------------------------------------------------
    # ORM overrides
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # SOP R1: import / RPC may create a sheet directly approved.
        for vals in vals_list:
            self._fs_check_gate_fields(vals)
        sheets = super().create(vals_list)
        sheets.filtered(lambda s: s.state in MONEY_STATES)._fs_check_reimbursable()
        return sheets

    def write(self, vals):
        """SOP R1: approving, posting or marking paid a sheet with a suspended
        expense is refused here, for every caller and whatever the context."""
        self._fs_check_gate_fields(vals)
        if vals.get("approval_state") == "approve" or vals.get("state") in MONEY_STATES:
            self._fs_check_reimbursable()
        res = super().write(vals)
        if {"expense_line_ids", "account_move_ids"} & set(vals):
            # Adding a suspended expense to an approved sheet (SOP R1).
            self.filtered(lambda s: s.state in MONEY_STATES)._fs_check_reimbursable()
        return res

    def _fs_check_gate_fields(self, vals):
        if "fs_suspended" in vals and not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the reimbursement gate sets 'Suspended': supply the "
                    "missing item and the suspension lifts by itself (SOP R2)."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_approve_expense_sheets(self):
        # Before stock checks, so not even the duplicate wizard opens.
        self._fs_check_reimbursable()
        return super().action_approve_expense_sheets()

    def action_sheet_move_post(self):
        # Stock creates and posts entries here without any approval check.
        self._fs_check_reimbursable()
        return super().action_sheet_move_post()

    def action_register_payment(self):
        self._fs_check_reimbursable()
        return super().action_register_payment()

    def set_to_paid(self):
        self._fs_check_reimbursable()
        return super().set_to_paid()

    def set_to_posted(self):
        self._fs_check_reimbursable()
        return super().set_to_posted()

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _do_approve(self):
        # Also the path of the duplicate wizard (hr.expense.approve.duplicate).
        self._fs_check_reimbursable()
        return super()._do_approve()

    def _do_create_moves(self):
        self._fs_check_reimbursable()
        return super()._do_create_moves()

    def _fs_check_reimbursable(self):
        """Raise a UserError listing every suspended expense of the sheets.

        SOP R1: no money moves for a suspended expense. Refreshes the gate
        first (an item may have appeared or vanished since), then checks, in a
        constant number of queries whatever the number of lines. Overridable:
        call super() and add checks.
        """
        # Read as superuser: a guard must see every line, also those a record
        # rule hides from the caller; nothing is returned but the refusal.
        self.sudo().expense_line_ids._fs_check_reimbursable_expenses()
