# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

REASONS = [
    ("no_order", "No dispatch order cited"),
    ("not_engineer", "Employee is not an engineer of the dispatch order"),
    ("no_report", "The dispatch order has no service report"),
    (
        "not_signed",
        "Service report not signed by the customer nor confirmed by phone",
    ),
    ("record_missing", "Maintenance record missing"),
]


class FsExpenseSuspension(models.Model):
    """One missing item that suspends the reimbursement of one expense.

    SOP R1: a travel expense is reimbursable only with a dispatch order (R1) on
    which its employee is an engineer, a service report (S1) signed by the
    customer or confirmed by phone (S2, S3) and a maintenance record (S10).
    SOP R2: rows are created and deleted only by the gate
    (``hr.expense._fs_refresh_gate``); nobody edits them, so nothing is lost and
    the suspension lifts by itself once the missing item exists.
    """

    _name = "fs.expense.suspension"
    _description = "Suspended Reimbursement"
    _order = "date_suspended desc, id desc"
    _rec_name = "expense_id"

    expense_id = fields.Many2one(
        "hr.expense", required=True, ondelete="cascade", index=True, readonly=True
    )
    reason = fields.Selection(REASONS, required=True, readonly=True)
    employee_id = fields.Many2one(
        related="expense_id.employee_id", store=True, index=True
    )
    engineer_user_id = fields.Many2one(
        related="expense_id.employee_id.user_id",
        string="Engineer",
        store=True,
        index=True,
    )
    sheet_id = fields.Many2one(related="expense_id.sheet_id", store=True, index=True)
    dispatch_order_id = fields.Many2one(
        related="expense_id.fs_dispatch_order_id", store=True, index=True
    )
    service_report_id = fields.Many2one(related="expense_id.fs_service_report_id")
    company_id = fields.Many2one(
        related="expense_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="expense_id.currency_id", store=True)
    total_amount = fields.Monetary(
        related="expense_id.total_amount", currency_field="currency_id"
    )
    date_suspended = fields.Datetime(
        string="Suspended Since",
        default=fields.Datetime.now,
        required=True,
        readonly=True,
    )
    age_days = fields.Integer(string="Age (Days)", compute="_compute_age_days")

    _sql_constraints = [
        (
            "expense_reason_uniq",
            "unique(expense_id, reason)",
            "An expense is suspended at most once per reason.",
        )
    ]

    @api.depends("date_suspended")
    def _compute_age_days(self):
        now = fields.Datetime.now()
        for row in self:
            row.age_days = (now - row.date_suspended).days if row.date_suspended else 0
