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
    todo = fields.Char(
        string="What To Do",
        compute="_compute_todo",
        help="What is missing and who does what to release the expense (SOP R1, R2).",
    )

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

    @api.depends(
        "reason",
        "expense_id.fs_dispatch_order_id",
        "expense_id.fs_service_report_id",
        "expense_id.employee_id",
    )
    @api.depends_context("lang")
    def _compute_todo(self):
        for row in self:
            row.todo = row._fs_todo()

    def _fs_todo(self):
        """The reason, and what to do about it, naming the order and report
        (SOP R1, R2; issue 12.6: "缺少维护记录" alone does not say what to do).
        Starts with the reason's label. In the environment's language."""
        self.ensure_one()
        # Names of the order and report the expense cites: read as superuser,
        # the approver reading the expense may not read field-service records.
        expense = self.sudo().expense_id
        order = expense.fs_dispatch_order_id.name or "-"
        report = expense.fs_service_report_id.name or "-"
        if self.reason == "no_order":
            return self.env._(
                "No dispatch order cited: cite the dispatch order of this trip "
                "on the expense (SOP R1)."
            )
        if self.reason == "not_engineer":
            return self.env._(
                "Employee is not an engineer of the dispatch order: "
                "%(employee)s is not an engineer of %(order)s; cite the order "
                "of a trip this employee made (SOP R1).",
                employee=expense.employee_id.name,
                order=order,
            )
        if self.reason == "no_report":
            return self.env._(
                "The dispatch order has no service report: the engineer writes "
                "the service report of %(order)s (SOP S1, S8).",
                order=order,
            )
        if self.reason == "not_signed":
            return self.env._(
                "Service report not signed by the customer nor confirmed by "
                "phone: %(report)s of %(order)s waits for the customer's "
                "signature (on the engineer's device or through the link sent "
                "by e-mail) or for a project assistant's phone confirmation "
                "(SOP S2, S3).",
                report=report,
                order=order,
            )
        if self.reason == "record_missing":
            return self.env._(
                "Maintenance record missing: the engineer must link the "
                "customer's install / maintenance ticket in the Maintenance "
                "Record field of service report %(report)s (order %(order)s) "
                "(SOP S10).",
                report=report,
                order=order,
            )
        # A reason added by another module (REASONS extended): its label.
        return dict(self._fields["reason"]._description_selection(self.env)).get(
            self.reason, self.reason
        )
