# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The reimbursement gate follows the documents it reads (SOP R2).

A dispatch order's engineers or state, and a service report's state,
signature, forged flag and maintenance record decide whether the travel
expenses citing the order are reimbursable; any change re-runs the gate of
those expenses at once (the scheduled re-check is only a backstop).
"""

from odoo import api, fields, models
from odoo.tools import SQL

from .hr_expense import TIER_SYSTEM_WRITE


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


class HrExpense(models.Model):
    """The backstop re-check of the gate (SOP R2)."""

    _inherit = "hr.expense"

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_fs_recheck_expense_gate(self, batch_size=500, min_age_minutes=30):
        """Backstop re-check of gated expenses (SOP R2), in batches.

        Picks up to ``batch_size`` gated (or suspended) expenses whose sheet is
        neither paid nor refused and that were not re-checked in the last
        ``min_age_minutes``, locked with SKIP LOCKED so two workers share the
        work; reports progress so the cron runner commits and calls again.
        """
        now = fields.Datetime.now()
        since = fields.Datetime.subtract(now, minutes=min_age_minutes)
        self.env.flush_all()
        where = SQL(
            """(e.fs_requires_dispatch_order OR e.fs_suspended)
               AND COALESCE(s.state, 'draft') NOT IN ('done', 'cancel')
               AND (e.fs_gate_checked_at IS NULL OR e.fs_gate_checked_at < %s)""",
            since,
        )
        self.env.cr.execute(
            SQL(
                """SELECT e.id FROM hr_expense e
                   LEFT JOIN hr_expense_sheet s ON s.id = e.sheet_id
                   WHERE %s
                   ORDER BY e.fs_gate_checked_at NULLS FIRST, e.id
                   LIMIT %s
                   FOR UPDATE OF e SKIP LOCKED""",
                where,
                batch_size,
            )
        )
        expenses = self.sudo().browse(row[0] for row in self.env.cr.fetchall())
        expenses._fs_refresh_gate()
        expenses.with_context(**TIER_SYSTEM_WRITE).write({"fs_gate_checked_at": now})
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT count(*) FROM hr_expense e
                   LEFT JOIN hr_expense_sheet s ON s.id = e.sheet_id
                   WHERE %s""",
                where,
            )
        )
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(expenses), remaining=remaining)
        return len(expenses), remaining
