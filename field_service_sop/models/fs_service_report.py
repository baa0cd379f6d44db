# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .fs_service_report_lock import (
    ACCEPTANCE_FIELDS,
    CONSENT_FIELDS,
    LOCKED_STATES,
    PHONE_FIELDS,
    PROBLEM_FIELDS,
    WORK_FIELDS,
)

TRANSITIONS = {
    "draft": {"to_sign", "signed", "phone_confirmed", "cancelled"},
    "to_sign": {"draft", "signed", "phone_confirmed", "cancelled"},
    # Back to draft only through a manager's reopen (superuser write).
    "signed": {"draft"},
    "phone_confirmed": {"draft"},
    "cancelled": {"draft"},
}


class FsServiceReport(models.Model):
    """Service report 服务报告单 / 现场服务记录单: one per visit (SOP S1-S13).

    Tied to an issued dispatch order whose number and dispatcher it carries
    (S1); at most one report per order that is not cancelled (a partial
    unique index), so a wrong report is cancelled and a new one written. It
    records the visit (S7), the customer's consent before work when the
    service type touches customer systems (S5, S6), and the acceptance:
    ratings and signature on the engineer's device, or a phone confirmation
    by a Project Assistant when the signature was forgotten (S2, S3, S12).
    Signing seals it (see ``fs.service.report.lock`` and ``.sign``); deadlines
    for entry (S8) and the problem report (S11) are shown as due / overdue.

    Rights: engineers on the order create reports and edit them while draft
    (then only the acceptance while awaiting signature, and the problem
    report); dispatchers (Project Assistants) edit unsealed reports, confirm
    by phone and cancel; managers also reopen a sealed report with a reason
    and delete unsealed ones. Only the superuser changes a sealed report.
    """

    _name = "fs.service.report"
    _description = "Service Report"
    _inherit = [
        "fs.state.mixin",
        "fs.service.report.lock",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_sign", "To Sign"),
            ("signed", "Signed"),
            ("phone_confirmed", "Confirmed by Phone"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    # SOP S1: the order, its number and its dispatcher.
    order_id = fields.Many2one(
        "fs.dispatch.order",
        string="Dispatch Order",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        domain="[('state', 'not in', ('draft', 'cancelled'))]",
    )
    order_number = fields.Char(related="order_id.name", string="Order Number")
    dispatcher_id = fields.Many2one(related="order_id.dispatcher_id", store=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="order_id.partner_id", string="Customer", store=True, index=True
    )
    engineer_id = fields.Many2one(
        related="order_id.lead_engineer_id", string="Lead Engineer", store=True
    )
    # Content (SOP S7)
    service_type_id = fields.Many2one("fs.service.type", check_company=True)
    arrival_at = fields.Datetime(string="Arrival")
    departure_at = fields.Datetime(string="Departure")
    completed_at = fields.Datetime(string="Completion")
    hours_on_site = fields.Float(compute="_compute_hours_on_site", store=True)
    symptoms = fields.Text()
    work_done = fields.Text()
    cause = fields.Text()
    recommended_measures = fields.Text()
    open_issues = fields.Text(string="Open Issues and Next Step")
    result = fields.Selection(
        [
            ("solved", "Fully Solved"),
            ("partly", "Partly Solved"),
            ("not_solved", "Not Solved"),
        ]
    )
    major_data_loss = fields.Boolean(help="SOP S7: important data largely lost.")
    severity = fields.Selection(
        [("severe", "Severe"), ("normal", "Normal"), ("minor", "Minor")],
        compute="_compute_severity",
        store=True,
        readonly=False,
        help="Suggested from the result and the hours on site (SOP S7); "
        "the engineer may correct it.",
    )
    fault_category = fields.Selection(
        [
            ("hardware", "Hardware"),
            ("software", "Software"),
            ("network", "Network"),
            ("operation", "Operation"),
        ]
    )
    part_ids = fields.One2many(
        "fs.service.report.part", "report_id", string="Spare Parts"
    )
    # Checklist (SOP S7)
    arrived_as_agreed = fields.Boolean(string="Arrived as Agreed")
    backup_done = fields.Boolean()
    badge_worn = fields.Boolean(string="Service Badge Worn")
    preventive_advice_given = fields.Boolean()
    entered_at = fields.Datetime(
        readonly=True, copy=False, help="SOP S8: when the report left draft."
    )
    # Deadlines (SOP S8, S11)
    entry_deadline = fields.Datetime(compute="_compute_deadlines", store=True)
    entry_status = fields.Selection(
        [
            ("due", "Due"),
            ("overdue", "Overdue"),
            ("done", "Entered"),
            ("late", "Entered Late"),
        ],
        compute="_compute_status",
        search="_search_entry_status",
    )
    problem_deadline = fields.Datetime(compute="_compute_deadlines", store=True)
    problem_status = fields.Selection(
        [
            ("due", "Due"),
            ("overdue", "Overdue"),
            ("done", "Written"),
            ("late", "Written Late"),
        ],
        compute="_compute_status",
        search="_search_problem_status",
    )
    problem_category = fields.Selection(
        [
            ("hardware", "Hardware"),
            ("software", "Software"),
            ("network", "Network"),
            ("operation", "Operation"),
        ]
    )
    problem_cause = fields.Text()
    problem_method = fields.Text(string="Method Used")
    problem_losses = fields.Text(string="Losses")
    problem_written_at = fields.Datetime(readonly=True, copy=False)
    # Ratings as numbers for pivot and graph (SOP S7)
    rating_average = fields.Float(
        compute="_compute_rating_scores", store=True, aggregator="avg"
    )
    rating_overall_score = fields.Integer(
        string="Overall Score",
        compute="_compute_rating_scores",
        store=True,
        aggregator="avg",
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("arrival_at", "departure_at")
    def _compute_hours_on_site(self):
        for report in self:
            hours = 0.0
            if report.arrival_at and report.departure_at:
                seconds = (report.departure_at - report.arrival_at).total_seconds()
                hours = max(0.0, round(seconds / 3600.0, 2))
            report.hours_on_site = hours

    @api.depends("result", "hours_on_site", "major_data_loss")
    def _compute_severity(self):
        """SOP S7 definitions (现场维修服务单): severe when down and over 4 h on
        site, or major data loss; normal when partly working or 2-4 h; minor
        when mostly working or under 2 h."""
        for report in self:
            hours, result = report.hours_on_site, report.result
            if report.major_data_loss or (result == "not_solved" and hours > 4):
                report.severity = "severe"
            elif result == "partly" or (hours and 2 <= hours <= 4):
                report.severity = "normal"
            elif result or hours:
                report.severity = "minor"
            else:
                report.severity = False

    @api.depends(
        "departure_at",
        "arrival_at",
        "completed_at",
        "result",
        "company_id.fs_report_entry_hours",
        "company_id.fs_problem_report_hours",
    )
    def _compute_deadlines(self):
        """SOP S8: entry within N h of the visit's end; S11: problem report
        within N h of resolution (a fully solved result's completion)."""
        for report in self:
            company = report.company_id or self.env.company
            end = report.departure_at or report.arrival_at
            report.entry_deadline = end and end + timedelta(
                hours=company.fs_report_entry_hours
            )
            solved = report.result == "solved" and report.completed_at
            report.problem_deadline = solved and report.completed_at + timedelta(
                hours=company.fs_problem_report_hours
            )

    @api.depends(
        "entry_deadline", "entered_at", "problem_deadline", "problem_written_at"
    )
    def _compute_status(self):
        now = fields.Datetime.now()
        for report in self:
            report.entry_status = self._fs_status(
                report.entry_deadline, report.entered_at, now
            )
            report.problem_status = self._fs_status(
                report.problem_deadline, report.problem_written_at, now
            )

    @api.model
    def _fs_status(self, deadline, done_at, now):
        if done_at:
            return "late" if deadline and done_at > deadline else "done"
        if not deadline:
            return False
        return "overdue" if now > deadline else "due"

    def _search_entry_status(self, operator, value):
        return self._fs_status_domain("entry_deadline", "entered_at", operator, value)

    def _search_problem_status(self, operator, value):
        return self._fs_status_domain(
            "problem_deadline", "problem_written_at", operator, value
        )

    @api.model
    def _fs_status_domain(self, deadline, done_at, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on a deadline status."))
        values = {value} if isinstance(value, str) else set(value or ())
        now = fields.Datetime.now()
        cancelled = ("state", "!=", "cancelled")
        domains = {
            "due": [(done_at, "=", False), (deadline, ">=", now), cancelled],
            "overdue": [(done_at, "=", False), (deadline, "<", now), cancelled],
        }
        done, limit = SQL.identifier(done_at), SQL.identifier(deadline)
        conditions = {  # two columns compared: SQL on our own field names
            "done": SQL("(%(d)s IS NULL OR %(d)s >= %(t)s)", d=limit, t=done),
            "late": SQL("%s < %s", limit, done),
        }
        ids = set()
        for key in values:
            if key in domains:
                ids |= set(self._search(domains[key]))
            elif key in conditions:
                self.flush_model([deadline, done_at])
                rows = self.env.execute_query(
                    SQL(
                        "SELECT id FROM fs_service_report WHERE %s IS NOT NULL AND %s",
                        done,
                        conditions[key],
                    )
                )
                ids |= {row[0] for row in rows}
        return [("id", "in" if operator in ("=", "in") else "not in", list(ids))]

    @api.depends(
        "rating_attitude", "rating_response", "rating_effect", "rating_overall"
    )
    def _compute_rating_scores(self):
        for report in self:
            marks = [
                int(mark)
                for mark in (
                    report.rating_attitude,
                    report.rating_response,
                    report.rating_effect,
                )
                if mark
            ]
            report.rating_average = sum(marks) / len(marks) if marks else 0.0
            report.rating_overall_score = int(report.rating_overall or 0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    def init(self):
        # SOP S1: one live report per visit; a cancelled one may be replaced.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS fs_service_report_order_live_uniq "
            "ON fs_service_report (order_id) WHERE state != 'cancelled'"
        )

    @api.constrains("order_id", "state")
    def _check_one_per_order(self):
        for report in self.filtered(lambda r: r.state != "cancelled"):
            report._fs_check_one_live(report.order_id, report.id)

    @api.model
    def _fs_check_one_live(self, order, exclude_id=False):
        """SOP S1: one live report per visit (checked before the index hits)."""
        domain = [("order_id", "=", order.id), ("state", "!=", "cancelled")]
        if exclude_id:
            domain.append(("id", "!=", exclude_id))
        if self.sudo().search_count(domain):
            raise ValidationError(
                self.env._(
                    "%(order)s already has a service report: one report per "
                    "visit (SOP S1). Cancel the other one first.",
                    order=order.name,
                )
            )

    @api.constrains("arrival_at", "departure_at", "completed_at")
    def _check_times(self):
        for report in self:
            if (
                report.arrival_at
                and report.departure_at
                and report.departure_at < report.arrival_at
            ):
                raise ValidationError(
                    self.env._(
                        "%(report)s: the departure is before the arrival. "
                        "Correct the times.",
                        report=report.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.onchange("order_id")
    def _onchange_order_id(self):
        if self.order_id:
            self.update(self._fs_defaults_from_order(self.order_id, {}))

    @api.model
    def _fs_defaults_from_order(self, order, vals):
        """Visit data the order already knows; never overwrites vals."""
        defaults = {
            "service_type_id": order.service_type_id.id,
            "arrival_at": order.arrived_at,
            "symptoms": order.symptoms,
        }
        return {
            key: value for key, value in defaults.items() if not vals.get(key) and value
        }

    @api.model_create_multi
    def create(self, vals_list):
        Order = self.env["fs.dispatch.order"]
        for vals in vals_list:
            order = Order.browse(vals.get("order_id"))
            if not self.env.su:
                self._fs_check_create(order, vals)
            self._fs_check_one_live(order)
            vals.update(self._fs_defaults_from_order(order, vals))
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(order.company_id)
                    .next_by_code("fs.service.report")
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        # The lock (mixin) runs first: a sealed report refuses everything.
        if not self.env.su:
            self._fs_check_not_locked(vals)
            self._check_write_rights(vals)
            if "service_type_id" in vals:
                self._fs_check_service_type_change()
        if "state" in vals:
            for report in self:
                report._check_transition(vals["state"])
        res = super().write(vals)
        if vals.get("state") in LOCKED_STATES:
            self._fs_seal()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_to_sign(self):
        """Content complete: hand the device to the customer (SOP S12)."""
        return self.write({"state": "to_sign"})

    def action_reset_draft(self):
        return self.write({"state": "draft"})

    def action_cancel(self):
        return self.write({"state": "cancelled"})

    def action_write_problem_report(self):
        """Stamp the problem report (category, cause, method, losses; SOP S11)."""
        for report in self:
            report._check_write_rights({"problem_written_at": True}, stamp=True)
            missing = [name for name in PROBLEM_FIELDS if not report[name]]
            if missing:
                raise UserError(
                    self.env._(
                        "%(report)s: fill in the problem report's category, cause, "
                        "method and losses first (SOP S11).",
                        report=report.name,
                    )
                )
        # Rights checked just above: the stamp is the action's own.
        return self.sudo().write({"problem_written_at": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Business: rights and transitions
    # ------------------------------------------------------------------
    def _fs_check_create(self, order, vals):
        """SOP S1: a report belongs to an issued order and its engineers."""
        if not order.issued_at or order.state in ("draft", "cancelled"):
            raise UserError(
                self.env._(
                    "A service report needs an issued dispatch order (SOP S1); "
                    "%(order)s is not issued.",
                    order=order.name or self.env._("no order"),
                )
            )
        user = self.env.user
        if not user.has_group("field_service_sop.group_fs_dispatcher") and (
            user not in order.engineer_ids.user_id
        ):
            raise AccessError(
                self.env._(
                    "Only the engineers of %(order)s or a dispatcher write its "
                    "service report.",
                    order=order.name,
                )
            )
        forbidden = set(vals) & (self._fs_stamp_fields() | {"state"})
        if forbidden:
            raise UserError(
                self.env._(
                    "A service report starts as a draft; signatures and stamps are "
                    "recorded by their buttons."
                )
            )
        service_type = self.env["fs.service.type"].browse(
            vals.get("service_type_id") or order.service_type_id.id
        )
        if service_type.touches_customer_systems and any(
            vals.get(name) for name in WORK_FIELDS
        ):
            raise UserError(self._fs_consent_message(order.name))

    def _check_write_rights(self, vals, stamp=False):
        """Who writes what, and when (SOP S5, S6, S12); see the class docstring."""
        keys = {k for k in vals if not k.startswith(("message_", "activity_"))}
        if not stamp and keys & self._fs_stamp_fields():
            raise AccessError(
                self.env._("Signatures and stamps are recorded by their buttons only.")
            )
        user = self.env.user
        is_dispatcher = user.has_group("field_service_sop.group_fs_dispatcher")
        for report in self:
            if "order_id" in keys and vals["order_id"] != report.order_id.id:
                raise UserError(
                    self.env._(
                        "%(report)s stays on its order; cancel it and write a new "
                        "report on the other order.",
                        report=report.name,
                    )
                )
            if report.consent_signed_at and keys & CONSENT_FIELDS:
                raise UserError(
                    self.env._(
                        "%(report)s: the consent is signed and can no longer change.",
                        report=report.name,
                    )
                )
            if report.problem_written_at and keys & PROBLEM_FIELDS:
                raise UserError(
                    self.env._(
                        "%(report)s: the problem report is written and final.",
                        report=report.name,
                    )
                )
            if (
                report.consent_required
                and not report.consent_signed_at
                and any(vals.get(name) for name in keys & WORK_FIELDS)
            ):
                raise UserError(self._fs_consent_message(report.name))
            if is_dispatcher:
                continue
            if user not in report.order_id.engineer_ids.user_id:
                raise AccessError(
                    self.env._(
                        "You are not an engineer on %(order)s.",
                        order=report.order_id.name,
                    )
                )
            allowed = report._fs_engineer_fields()
            if keys - allowed:
                raise AccessError(
                    self.env._(
                        "%(report)s: engineers edit a draft report's content, then "
                        "only the customer's acceptance while it awaits signature, "
                        "and the problem report. Ask a dispatcher, or reset the "
                        "report to draft, to change: %(fields)s.",
                        report=report.name,
                        fields=", ".join(sorted(keys - allowed)),
                    )
                )

    def _fs_check_part_change(self):
        """Spare-part lines are report content (SOP S6, S7): same guards."""
        if not self.env.su:
            self._fs_check_not_locked({"part_ids": True})
            self._check_write_rights({"part_ids": True})

    def _fs_check_service_type_change(self):
        """SOP S6: the type decides whether consent comes first; once consent or
        work is recorded, switching it would put the consent after the work."""
        for report in self:
            if report.consent_signed_at or any(report[f] for f in WORK_FIELDS):
                raise UserError(
                    self.env._(
                        "%(report)s: the service type is fixed once consent or "
                        "work is recorded (SOP S6). Cancel the report and write a "
                        "new one if the type was wrong.",
                        report=report.name,
                    )
                )

    def _fs_stamp_fields(self):
        """Derived fields are never typed in either: related ones (they would
        write through to the order), computed ones without an inverse (consent
        required, deadlines, hours), and the portal token (SOP S1, S6, S8)."""
        derived = {
            name
            for name, field in self._fields.items()
            if not name.startswith(("message_", "activity_"))
            and (field.related or (field.compute and field.readonly))
        }
        return super()._fs_stamp_fields() | derived | {"access_token"}

    def _fs_engineer_fields(self):
        """Fields an engineer on the order may write in the report's state."""
        self.ensure_one()
        problem = PROBLEM_FIELDS | {"problem_written_at"}
        if self.state == "draft":
            return set(self._fields) - PHONE_FIELDS - self._fs_stamp_fields() | problem
        if self.state == "to_sign":
            return ACCEPTANCE_FIELDS | problem | {"state"}
        if self.state in LOCKED_STATES:
            return problem
        return set()

    def _fs_consent_message(self, name):
        return self.env._(
            "%(report)s: this service touches the customer's systems. Record the "
            "customer's consent first (backups confirmed with their times, downtime "
            "approved, recovery information kept, signed) before recording any "
            "work (SOP S5, S6, S13).",
            report=name,
        )

    def _fs_transitions(self):
        """State -> states it may move to. Extend with ``super()`` and a copy."""
        return {state: set(targets) for state, targets in TRANSITIONS.items()}

    def _check_transition(self, new_state):
        super()._check_transition(new_state)
        if new_state == self.state:
            return
        if new_state != "cancelled" and self.state == "draft" and not self.entered_at:
            self.sudo().entered_at = fields.Datetime.now()  # SOP S8

    def _check_can_to_sign(self):
        self._fs_check_content_complete()

    def _check_can_cancelled(self):
        self._fs_require_dispatcher(self.env._("cancel a service report"))

    def _check_can_draft(self):
        if self.state == "cancelled":
            self._fs_require_dispatcher(self.env._("restore a cancelled report"))
            self._fs_check_one_live(self.order_id, self.id)

    def _fs_require_dispatcher(self, what):
        if not self.env.su and not self.env.user.has_group(
            "field_service_sop.group_fs_dispatcher"
        ):
            raise AccessError(
                self.env._("Only a dispatcher or a manager may %(what)s.", what=what)
            )

    def _fs_check_content_complete(self):
        """SOP S7, S12: what the customer accepts must be written first."""
        missing = [
            label
            for field, label in (
                ("arrival_at", self.env._("the arrival")),
                ("departure_at", self.env._("the departure")),
                ("work_done", self.env._("the work done")),
                ("result", self.env._("the result")),
            )
            if not self[field]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "%(report)s needs %(missing)s before the customer accepts "
                    "it (SOP S7).",
                    report=self.name,
                    missing=", ".join(missing),
                )
            )
