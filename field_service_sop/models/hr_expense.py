# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .fs_expense_gate_policy import fs_may_set_gate_policy
from .fs_expense_suspension import REASONS
from .fs_service_report import LOCKED_STATES

# Expense fields whose change can suspend or release the expense (SOP R1).
GATE_FIELDS = {"product_id", "employee_id", "fs_dispatch_order_id", "sheet_id"}
# Sheet states in which an expense is under the approver's eyes or paid.
SUBMITTED_STATES = ("submit", "approve", "post", "done")
# Fields only the gate writes (SOP R2: nothing is lifted or hidden by hand).
GATE_OWN_FIELDS = {"fs_suspended", "fs_suspension_ids"}
# Sheet states in which money has moved or is about to (SOP R1).
MONEY_STATES = ("approve", "post", "done")
# OCA hr_expense_tier_validation refuses any write on an expense whose sheet is
# under tier review unless this key is set. The gate's own fields are written
# only by the gate (as superuser, computed from the records), never by a user,
# so tier reviews must not block them: a report reopened while a sheet is under
# review must still suspend its expenses (SOP R1, R2).
TIER_SYSTEM_WRITE = {"skip_validation_check": True}


class HrExpense(models.Model):
    """Travel expenses gated by the dispatch order (SOP R1, R2, S1-S3, S10).

    An expense whose product (or product category) requires a dispatch order is
    reimbursable only when it cites an order on which its employee is an
    engineer, and that order has a service report signed by the customer or
    confirmed by phone (S2, S3) with its maintenance record (S10). Otherwise it
    is suspended (暂缓报销): one ``fs.expense.suspension`` row per missing item.
    The gate (``_fs_refresh_gate``) is the only writer of the suspension; it
    runs on every change of its inputs and from a backstop cron (SOP R2).
    """

    _inherit = "hr.expense"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    fs_dispatch_order_id = fields.Many2one(
        "fs.dispatch.order",
        string="Dispatch Order",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('engineer_ids', 'in', employee_id)]",
        help="SOP R1: the dispatch order this travel expense was incurred for; "
        "the expense's employee must be one of its engineers.",
    )
    fs_requires_dispatch_order = fields.Boolean(
        string="Requires Dispatch Order",
        compute="_compute_fs_requires_dispatch_order",
        store=True,
        index=True,
    )
    fs_service_report_id = fields.Many2one(
        "fs.service.report",
        string="Service Report",
        compute="_compute_fs_service_report_id",
    )
    fs_suspended = fields.Boolean(
        string="Suspended (暂缓报销)",
        readonly=True,
        copy=False,
        index=True,
        help="SOP R1: set by the reimbursement gate while an item is missing; "
        "lifts by itself once it exists (SOP R2).",
    )
    fs_suspension_ids = fields.One2many(
        "fs.expense.suspension",
        "expense_id",
        string="Suspension Reasons",
        readonly=True,
    )
    fs_suspension_reasons = fields.Text(
        string="Reasons for Suspension", compute="_compute_fs_suspension_reasons"
    )
    fs_gate_checked_at = fields.Datetime(
        string="Gate Re-checked At",
        readonly=True,
        copy=False,
        help="Technical: last re-check by the backstop scheduled action.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "product_id.fs_requires_dispatch_order",
        "product_id.categ_id.fs_requires_dispatch_order",
    )
    def _compute_fs_requires_dispatch_order(self):
        for expense in self:
            product = expense.product_id
            expense.fs_requires_dispatch_order = bool(
                product.fs_requires_dispatch_order
                or product.categ_id.fs_requires_dispatch_order
            )

    @api.depends("fs_dispatch_order_id")
    def _compute_fs_service_report_id(self):
        reports = self.env["fs.service.report"]
        live = self._fs_live_reports(self.fs_dispatch_order_id)
        for expense in self:
            expense.fs_service_report_id = reports.browse(
                live.get(expense.fs_dispatch_order_id.id, reports).id
            )

    @api.depends("fs_suspension_ids.reason", "fs_suspension_ids.todo")
    @api.depends_context("lang")
    def _compute_fs_suspension_reasons(self):
        for expense in self:
            expense.fs_suspension_reasons = (
                "\n".join(expense._fs_suspension_todos()) or False
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("fs_dispatch_order_id", "employee_id")
    def _check_fs_dispatch_order_engineer(self):
        """SOP R1: only an engineer of the order may cite it."""
        for expense in self:
            # Read as superuser: the employee may not read the order itself.
            order = expense.fs_dispatch_order_id.sudo()
            if order and expense.employee_id not in order.engineer_ids:
                raise ValidationError(
                    self.env._(
                        "%(employee)s is not an engineer of dispatch order "
                        "%(order)s: cite an order you worked on (SOP R1).",
                        employee=expense.employee_id.name,
                        order=order.name,
                    )
                )

    # ------------------------------------------------------------------
    # ORM overrides
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._fs_check_gate_own_fields(vals)
        expenses = super().create(vals_list)
        expenses._fs_refresh_gate()
        expenses._fs_check_money_sheets()
        return expenses

    def write(self, vals):
        """SOP R1: the gate follows every change of its inputs; a suspended
        expense never joins a sheet that is approved, posted or paid."""
        self._fs_check_gate_own_fields(vals)
        if "product_id" in vals and not fs_may_set_gate_policy(self.env):
            self._fs_check_product_change(vals["product_id"])
        res = super().write(vals)
        if GATE_FIELDS & set(vals):
            self._fs_refresh_gate()
            self._fs_check_money_sheets()
        return res

    def _fs_check_gate_own_fields(self, vals):
        if GATE_OWN_FIELDS & set(vals) and not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the reimbursement gate sets 'Suspended' and its "
                    "reasons: supply the missing item and the suspension lifts "
                    "by itself (SOP R2)."
                )
            )

    def _fs_check_product_change(self, product_id):
        """SOP R1: a submitted travel expense stays one. Swapping its product
        for an ungated one (or none) would release it like unticking the
        flag, which is a Field Service manager's decision
        (fs_expense_gate_policy.py)."""
        product = self.env["product.product"].sudo().browse(product_id)
        if (
            product.fs_requires_dispatch_order
            or product.categ_id.fs_requires_dispatch_order
        ):
            return
        # Read as superuser: a guard must see the sheet whatever the rules.
        locked = self.sudo().filtered(
            lambda e: e.fs_requires_dispatch_order
            and e.sheet_id.state in SUBMITTED_STATES
        )
        if locked:
            raise UserError(
                self.env._(
                    "%(expenses)s: a submitted travel expense keeps a product "
                    "that requires a dispatch order (SOP R1). Reset the report "
                    "to draft to correct it, or ask a Field Service manager.",
                    expenses=", ".join(locked.mapped("name")),
                )
            )

    def _fs_check_money_sheets(self):
        # Read as superuser: a guard must see the sheet whatever the rules.
        sheets = self.sudo().sheet_id.filtered(lambda s: s.state in MONEY_STATES)
        if sheets:
            sheets._fs_check_reimbursable()

    # ------------------------------------------------------------------
    # Gate
    # ------------------------------------------------------------------
    def _fs_suspension_todos(self):
        """Each missing item of the expense and what to do, in REASONS order
        (issue 12.6). Rows read as superuser: the gate's own records."""
        self.ensure_one()
        rank = {key: index for index, (key, _label) in enumerate(REASONS)}
        rows = self.sudo().fs_suspension_ids
        return [
            row._fs_todo()
            for row in rows.sorted(lambda row: (rank.get(row.reason, 99), row.id))
        ]

    @api.model
    def _fs_reason_labels(self, env):
        """{reason: label} of the suspension reasons in ``env``'s language.

        The labels of ``REASONS``, as code terms: those are read from the
        .po files, while the field's labels are translated in the database
        only once the module is installed, after its demo expenses were
        suspended and their employees told why (issue 12: English reasons in
        a Chinese note).
        """
        return {
            "no_order": env._("No dispatch order cited"),
            "not_engineer": env._("Employee is not an engineer of the dispatch order"),
            "no_report": env._("The dispatch order has no service report"),
            "not_signed": env._(
                "Service report not signed by the customer nor confirmed by phone"
            ),
            "record_missing": env._("Maintenance record missing"),
        }

    @api.model
    def _fs_live_reports(self, orders):
        """Return {order id: live (not cancelled) service report} (SOP S1)."""
        if not orders:
            return {}
        # Read as superuser: the gate's inputs are not the caller's to filter.
        reports = (
            self.env["fs.service.report"]
            .sudo()
            .search_fetch(
                [("order_id", "in", orders.ids), ("state", "!=", "cancelled")],
                [
                    "order_id",
                    "state",
                    "maintenance_ticket_id",
                    "record_missing",
                    "signature_forged",
                ],
                order="id",
            )
        )
        return {report.order_id.id: report for report in reports}

    def _fs_gate_reasons(self):
        """Return {expense id: set of missing items} for ``self``.

        SOP R1 (order cited, employee among its engineers), S1 (a service
        report), S2/S3 (customer-signed or phone-confirmed), S10 (maintenance
        record). A constant number of queries for the whole recordset.
        Overridable: call super() and add reasons (extend the selection).
        """
        gated = self.filtered("fs_requires_dispatch_order")
        reports = self._fs_live_reports(gated.fs_dispatch_order_id)
        result = {}
        for expense in self:
            reasons = set()
            if expense.fs_requires_dispatch_order:
                order = expense.fs_dispatch_order_id
                report = reports.get(order.id)
                if not order:
                    reasons.add("no_order")
                else:
                    if expense.employee_id not in order.engineer_ids:
                        reasons.add("not_engineer")
                    if not report:
                        reasons.add("no_report")
                    else:
                        # A signature a manager marked forged (S4) is no
                        # customer signature (S2).
                        # Nor is a phone confirmation recorded by one of the
                        # visit's own engineers (S3, separation of duties).
                        if (
                            report.state not in LOCKED_STATES
                            or report.signature_forged
                            or (
                                report.state == "phone_confirmed"
                                and report.phone_recorded_by_id
                                in order.engineer_ids.user_id
                            )
                        ):
                            reasons.add("not_signed")
                        if not report.maintenance_ticket_id or report.record_missing:
                            reasons.add("record_missing")
            result[expense.id] = reasons
        return result

    def _fs_refresh_gate(self):
        """Recompute the suspension of ``self`` and sync its rows (SOP R1, R2).

        The only writer of ``fs_suspended`` and ``fs.expense.suspension``.
        Posts a message to the employee (in their language) when an expense is
        newly suspended; when one is released, posts on its sheet and
        schedules an activity for the approver. A constant number of queries
        when nothing changes, whatever the size of ``self``.
        """
        # The gate is a system process: it reads orders and reports the caller
        # may not see and writes fields nobody else may write. The caller has
        # already passed the ORM checks of its own operation; what the gate
        # writes is computed below from the records alone (never the context).
        expenses = self.sudo().exists()
        candidates = expenses.filtered(
            lambda e: e.fs_requires_dispatch_order or e.fs_suspended
        )
        if not candidates:
            return
        wanted = candidates._fs_gate_reasons()
        Suspension = self.env["fs.expense.suspension"].sudo()
        current = defaultdict(dict)
        for row in Suspension.search_fetch(
            [("expense_id", "in", candidates.ids)], ["expense_id", "reason"]
        ):
            current[row.expense_id.id][row.reason] = row
        to_create, to_unlink = [], Suspension
        suspend, release = self.browse().sudo(), self.browse().sudo()
        for expense in candidates:
            reasons, rows = wanted[expense.id], current[expense.id]
            to_create += [
                {"expense_id": expense.id, "reason": reason}
                for reason in reasons
                if reason not in rows
            ]
            for reason, row in rows.items():
                if reason not in reasons:
                    to_unlink |= row
            if reasons and not expense.fs_suspended:
                suspend |= expense
            elif not reasons and expense.fs_suspended:
                release |= expense
        if to_unlink:
            to_unlink.unlink()
        if to_create:
            Suspension.create(to_create)
        if suspend:
            suspend.with_context(**TIER_SYSTEM_WRITE).write({"fs_suspended": True})
            suspend._fs_notify_suspended()
        if release:
            release.with_context(**TIER_SYSTEM_WRITE).write({"fs_suspended": False})
            release._fs_notify_released()

    def _fs_notify_suspended(self):
        """Tell each employee, in their language, why (SOP R1)."""
        for expense in self:
            employee = expense.employee_id
            partner = employee.user_id.partner_id or employee.work_contact_id
            lang = partner.lang or "en_US"
            exp = expense.with_context(lang=lang)
            items = Markup("").join(
                Markup("<li>%s</li>") % todo for todo in exp._fs_suspension_todos()
            )
            body = Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
                exp.env._("Reimbursement suspended (暂缓报销, SOP R1):"),
                items,
                exp.env._(
                    "Obtain the missing item (customer signature, phone "
                    "confirmation, maintenance record): the suspension lifts by "
                    "itself (SOP R2)."
                ),
            )
            exp.message_post(
                body=body,
                partner_ids=partner.ids,
                subtype_xmlid="mail.mt_note",
            )

    def _fs_notify_released(self):
        """SOP R2: the approver is told the expense may now be approved.

        One note per sheet (in the approver's language) and one activity per
        approver and sheet, logged and created in batch: the backstop cron
        releases many lines at once.
        """
        bodies, activities = {}, []
        todo = self.env.ref("mail.mail_activity_data_todo")
        sheet_model_id = self.env["ir.model"]._get_id("hr.expense.sheet")
        today = fields.Date.context_today(self)
        for sheet in self.sheet_id:
            approver = sheet._get_responsible_for_approval()
            env_l = sheet.with_context(lang=approver.lang or "en_US").env
            names = ", ".join((self & sheet.expense_line_ids).mapped("name"))
            note = env_l._(
                "Reimbursement released (SOP R2): %(expenses)s. The missing "
                "items now exist; the report can be approved.",
                expenses=names,
            )
            bodies[sheet.id] = Markup("<p>%s</p>") % note
            if approver:
                activities.append(
                    {
                        "res_model_id": sheet_model_id,
                        "res_id": sheet.id,
                        "activity_type_id": todo.id,
                        "user_id": approver.id,
                        "summary": env_l._("Reimbursement released: approve"),
                        "note": Markup("<p>%s</p>") % note,
                        "date_deadline": today,
                    }
                )
        if bodies:
            self.sheet_id._message_log_batch(bodies=bodies)
        if activities:
            self.env["mail.activity"].create(activities)
        alone = self.filtered(lambda e: not e.sheet_id)
        bodies = {}
        for expense in alone:
            partner = expense.employee_id.user_id.partner_id
            env_l = expense.with_context(lang=partner.lang or "en_US").env
            bodies[expense.id] = Markup("<p>%s</p>") % env_l._(
                "Reimbursement released (SOP R2): nothing is missing any more."
            )
        if bodies:
            alone._message_log_batch(bodies=bodies)

    def _fs_check_reimbursable_expenses(self):
        """Refresh the gate, then refuse if any of ``self`` is suspended (R1)."""
        expenses = self.sudo()
        expenses._fs_refresh_gate()
        suspended = expenses.filtered("fs_suspended")
        if not suspended:
            return
        lines = [
            "%s — %s" % (expense.name, " ".join(expense._fs_suspension_todos()))
            for expense in suspended
        ]
        raise UserError(
            self.env._(
                "Reimbursement suspended (SOP R1):\n%(lines)s\nThe suspension "
                "lifts by itself once the missing items exist (SOP R2).",
                lines="\n".join(lines),
            )
        )

    @api.model
    def _fs_refresh_for_orders(self, orders):
        """Refresh the gate of every expense citing ``orders`` (SOP R2)."""
        if orders:
            self._fs_refresh_for_domain([("fs_dispatch_order_id", "in", orders.ids)])

    @api.model
    def _fs_refresh_for_domain(self, domain):
        # System search: the expenses concerned are not the caller's to filter.
        self.sudo().search(domain)._fs_refresh_gate()

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
