# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class FsDispatchOrder(models.Model):
    """Verbal urgent orders filed in writing afterwards (SOP D5).

    An authorised dispatcher may issue an urgent order verbally: the engineers
    go at once, with the customer and the team named, and the written order
    (purpose and content, SOP D3) follows within the company's deadline
    (Settings, 24 h). Until then the order stays flagged; once overdue, a
    scheduled action gives the dispatcher's manager an activity, once.

    The deadline and confirmation fields are stamps (``VERBAL_STAMP_FIELDS``,
    fs_dispatch_order.py), set by the Issue Verbally and Confirm in Writing
    buttons; the verbal flag changes only on drafts (the order's rules on
    values, fs_dispatch_order.py).
    """

    _inherit = "fs.dispatch.order"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    is_verbal = fields.Boolean(
        string="Verbal Order",
        copy=False,
        tracking=True,
        help="SOP D5: issued verbally because it was urgent; the written order "
        "must follow within the company's deadline.",
    )
    written_deadline = fields.Datetime(
        string="Written Order Due",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    written_confirmed_at = fields.Datetime(readonly=True, copy=False, tracking=True)
    written_confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    verbal_pending = fields.Boolean(
        string="Awaiting Written Order",
        compute="_compute_verbal_pending",
        store=True,
    )
    verbal_overdue = fields.Boolean(
        string="Written Order Overdue",
        compute="_compute_verbal_overdue",
        search="_search_verbal_overdue",
    )
    verbal_escalated_at = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("is_verbal", "written_confirmed_at", "state")
    def _compute_verbal_pending(self):
        for order in self:
            order.verbal_pending = (
                order.is_verbal
                and not order.written_confirmed_at
                and order.state != "cancelled"
            )

    @api.depends("verbal_pending", "written_deadline")
    def _compute_verbal_overdue(self):
        now = fields.Datetime.now()
        for order in self:
            order.verbal_overdue = bool(
                order.verbal_pending
                and order.written_deadline
                and order.written_deadline < now
            )

    def _search_verbal_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue verbal orders."))
        domain = [
            ("verbal_pending", "=", True),
            ("written_deadline", "<", fields.Datetime.now()),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_issue_verbal(self):
        """Issue now on a verbal instruction; the written order follows (D5)."""
        self.write({"is_verbal": True})
        return self.action_issue()

    def action_confirm_written(self):
        """File the written order of a verbal one: D3 content now required."""
        if not self.env.user.has_group("field_service_sop.group_fs_dispatcher"):
            raise UserError(
                self.env._("Only the dispatcher confirms a verbal order in writing.")
            )
        for order in self:
            if not order.verbal_pending:
                raise UserError(
                    self.env._(
                        "%(order)s is not a verbal order awaiting its written "
                        "confirmation.",
                        order=order.name,
                    )
                )
            missing = [
                label
                for field, label in super(
                    FsDispatchOrder, order
                )._fs_issue_requirements()
                if not order[field]
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "%(order)s cannot be confirmed in writing without "
                        "%(missing)s (SOP D3, D5).",
                        order=order.name,
                        missing=", ".join(missing),
                    )
                )
        self.sudo().write(  # rights checked above: dispatcher, pending order
            {
                "written_confirmed_at": fields.Datetime.now(),
                "written_confirmed_by_id": self.env.user.id,
            }
        )
        self.activity_unlink(["field_service_sop.mail_activity_fs_verbal_overdue"])
        return True

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_issue_requirements(self):
        requirements = super()._fs_issue_requirements()
        if self.is_verbal:  # the team goes now; purpose and content follow (D5)
            requirements = [
                (field, label)
                for field, label in requirements
                if field not in ("purpose", "content")
            ]
        return requirements

    def _fs_start_written_deadline(self, previous):
        """Entering ``issued``: a verbal order's written order is due within
        the company's deadline (SOP D5)."""
        now = fields.Datetime.now()
        for order in self.filtered("is_verbal"):
            hours = order.company_id.fs_verbal_confirm_hours
            order.sudo().write(  # set by the issuing move itself (D5)
                {"written_deadline": now + timedelta(hours=hours)}
            )

    def _fs_verbal_escalation_user(self):
        """Who is told about an overdue written order: the dispatcher's manager."""
        self.ensure_one()
        # Routing reads the HR hierarchy, which the cron's user may not see in
        # every company; nothing is written or returned but a user to notify.
        order = self.sudo()
        dispatcher = order.issued_by_id or order.dispatcher_id
        employees = order.env["hr.employee"].search(
            [("user_id", "=", dispatcher.id)], order="company_id"
        )
        employee = (
            employees.filtered(lambda e: e.company_id == order.company_id)[:1]
            or employees[:1]
        )
        manager = (
            employee.parent_id.user_id or employee.department_id.manager_id.user_id
        )
        return (manager or dispatcher).sudo(False)

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate_overdue_verbal(self, batch_size=500):
        """Give each overdue verbal order's escalation user one activity (D5).

        Batched, safe with two workers (rows locked with SKIP LOCKED), idempotent
        (``verbal_escalated_at`` marks the done ones), never commits: the cron
        runner commits per call and ``_notify_progress`` re-triggers it while
        work remains.
        """
        now = fields.Datetime.now()
        self.flush_model(["verbal_pending", "written_deadline", "verbal_escalated_at"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM fs_dispatch_order
                 WHERE verbal_pending
                   AND written_deadline < %s
                   AND verbal_escalated_at IS NULL
                 ORDER BY written_deadline
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                now,
                batch_size,
            )
        )
        orders = self.browse(row[0] for row in self.env.cr.fetchall())
        activity_type = self.env.ref(
            "field_service_sop.mail_activity_fs_verbal_overdue"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        values = []
        for order in orders:
            user = order._fs_verbal_escalation_user()
            # The cron runs in no language: the to-do is written in its
            # recipient's, else the company's.
            env = self.with_context(
                lang=user.lang or order.company_id.partner_id.lang or "en_US"
            ).env
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "date_deadline": today,
                    "summary": env._("Written dispatch order overdue (SOP D5)"),
                    "note": env._(
                        "%(order)s was issued verbally and its written order was "
                        "due %(deadline)s.",
                        order=order.name,
                        deadline=order.written_deadline,
                    ),
                    "user_id": user.id,
                }
            )
        self.env["mail.activity"].sudo().create(values)
        orders.sudo().write({"verbal_escalated_at": now})
        remaining = self.search_count(
            [("verbal_overdue", "=", True), ("verbal_escalated_at", "=", False)]
        )
        self.env["ir.cron"]._notify_progress(done=len(orders), remaining=remaining)
        return len(orders)
