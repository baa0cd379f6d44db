# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Triggers of the reimbursement gate on the documents it reads (SOP R2).

A dispatch order's engineers or state, and a service report's state,
signature, forged flag and maintenance record decide whether the travel
expenses citing the order are reimbursable; any change re-runs the gate of
those expenses at once (the scheduled re-check,
``hr.expense._cron_fs_recheck_expense_gate`` in hr_expense.py, is only a
backstop). The gate itself is ``hr.expense._fs_refresh_gate``.
"""

from odoo import api, fields, models


class FsDispatchOrder(models.Model):
    """Expenses cited on the order, and the gate refresh on order writes (R1)."""

    _inherit = "fs.dispatch.order"

    fs_expense_ids = fields.One2many(
        "hr.expense", "fs_dispatch_order_id", string="Expenses"
    )
    fs_expense_count = fields.Integer(
        string="Expense Count", compute="_compute_fs_expense_count"
    )

    def _compute_fs_expense_count(self):
        data = self.env["hr.expense"]._read_group(
            [("fs_dispatch_order_id", "in", self.ids)],
            ["fs_dispatch_order_id"],
            ["__count"],
        )
        counts = {order.id: count for order, count in data}
        for order in self:
            order.fs_expense_count = counts.get(order.id, 0)

    def action_view_fs_expenses(self):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Expenses"),
            "res_model": "hr.expense",
            "view_mode": "list,form",
            "domain": [("fs_dispatch_order_id", "=", self.id)],
            "context": {"create": False},
        }
        return action

    def write(self, vals):
        res = super().write(vals)
        # SOP R2: an engineer removed or the order cancelled changes the gate.
        if {"engineer_ids", "state"} & set(vals):
            self.env["hr.expense"]._fs_refresh_for_orders(self)
        return res


class FsServiceReport(models.Model):
    """The gate follows the report: signature, phone confirmation, record."""

    _inherit = "fs.service.report"

    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        self.env["hr.expense"]._fs_refresh_for_orders(reports.order_id)
        return reports

    def write(self, vals):
        # SOP R2, S2, S3, S10: lifts (or sets) the suspension by itself.
        trigger = {
            "state",
            "maintenance_ticket_id",
            "record_missing",
            "order_id",
            "signature_forged",
        }
        orders = self.order_id if "order_id" in vals else self.env["fs.dispatch.order"]
        res = super().write(vals)
        if trigger & set(vals):
            self.env["hr.expense"]._fs_refresh_for_orders(orders | self.order_id)
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        self.env["hr.expense"]._fs_refresh_for_orders(orders)
        return res
