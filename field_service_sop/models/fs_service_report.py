# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from .fs_signature_image import check_drawn_signature
from .fs_state_mixin import ALL_FIELDS, ANY_STATE, AllBut, Only

# ----------------------------------------------------------------------
# States and field groups of the service report (SOP S1-S13)
# ----------------------------------------------------------------------
LOCKED_STATES = ("signed", "phone_confirmed")
TRANSITIONS = {
    "draft": frozenset({"to_sign", "signed", "phone_confirmed", "cancelled"}),
    "to_sign": frozenset({"draft", "signed", "phone_confirmed", "cancelled"}),
    # Back to draft only through a manager's reopen (superuser write).
    "signed": frozenset({"draft"}),
    "phone_confirmed": frozenset({"draft"}),
    "cancelled": frozenset({"draft"}),
}
WORK_FIELDS = {
    "work_done",
    "cause",
    "recommended_measures",
    "open_issues",
    "result",
    "completed_at",
    "part_ids",
}
CONSENT_FIELDS = {
    "consent_os_backup",
    "consent_os_backup_at",
    "consent_data_backup",
    "consent_data_backup_at",
    "consent_downtime_approved",
    "consent_recovery_kept",
    "consent_signer_id",
    "consent_signature",
}
ACCEPTANCE_FIELDS = {
    "rating_attitude",
    "rating_response",
    "rating_effect",
    "rating_overall",
    "customer_comments",
    "signer_id",
    "signer_is_colleague",
    "authorisation_note",
    "signature",
}
RATING_FIELDS = {
    "rating_attitude",
    "rating_response",
    "rating_effect",
    "rating_overall",
}
# The customer's signatures, drawn by hand (SOP S5).
SIGNATURE_FIELDS = {"signature", "consent_signature"}
PHONE_FIELDS = {"phone_contact_id", "phone_called_at", "phone_confirmation"}
PROBLEM_FIELDS = {
    "problem_category",
    "problem_cause",
    "problem_method",
    "problem_losses",
}
# Stamps: evidence written only by the actions that record them (who, when,
# how), each group by the file of its SOP rule.
STAMP_FIELDS = {
    "name",
    "entered_at",
    "problem_written_at",
    "consent_signed_at",
    "consent_recorded_by_id",
    "signed_at",
    "sign_channel",
    "sign_recorded_by_id",
    "phone_recorded_by_id",
    "fingerprint",
    "fingerprint_at",
    "fingerprint_check",
    "fingerprint_checked_at",
    "fingerprint_checked_by_id",
    "seal_id",
    "seal_ids",
}
CHECK_STAMP_FIELDS = {  # SOP S9, fs_service_report_checks.py
    "notified_dispatcher_at",
    "notified_dispatcher_by_id",
    "notified_dispatcher_note",
    "found_ticket_ids",
}
RECORD_STAMP_FIELDS = {  # SOP S10, fs_service_report_record.py
    "record_missing",
    "record_checked_at",
    "record_checked_by_id",
    "record_activity_id",
}
ASSESSMENT_STAMP_FIELDS = {  # SOP S4, fs_service_report_assessment.py
    "signature_forged",
    "forged_reason",
    "forged_at",
    "forged_by_id",
    "assessment_checked_at",
    "assessment_grace_from",
    "assessment_ids",
}
PDF_STAMP_FIELDS = {  # SOP S12, fs_service_report_pdf.py
    "pdf_pending",
    "pdf_attachment_id",
    "pdf_sent_at",
}
PORTAL_STAMP_FIELDS = {  # SOP S2, S12, fs_service_report_portal.py
    "portal_sent_at",
    "portal_sent_by_id",
    "portal_sent_fingerprint",
    "portal_signer_name",
    "portal_sign_ip",
    "portal_sign_user_agent",
}
ALL_STAMP_FIELDS = frozenset(
    STAMP_FIELDS
    | CHECK_STAMP_FIELDS
    | RECORD_STAMP_FIELDS
    | ASSESSMENT_STAMP_FIELDS
    | PDF_STAMP_FIELDS
    | PORTAL_STAMP_FIELDS
    | {"access_token"}
)
# Still writable on a sealed report: never its content (SOP S10, S11).
LOCK_FREE_FIELDS = frozenset(
    PROBLEM_FIELDS
    | {
        "problem_written_at",
        "fingerprint_check",
        "fingerprint_checked_at",
        "fingerprint_checked_by_id",
        "maintenance_ticket_id",
    }
)
# What an engineer on the order writes, state by state (SOP S5-S7, S9-S12):
# a draft's content, then only the customer's acceptance while it awaits
# signature; the problem report and the maintenance record until cancelled.
ENGINEER_ALWAYS = PROBLEM_FIELDS | {"problem_written_at", "maintenance_ticket_id"}
ENGINEER_RIGHTS = {
    "draft": AllBut(PHONE_FIELDS),
    "to_sign": Only(
        ACCEPTANCE_FIELDS
        | ENGINEER_ALWAYS
        | {"state", "dispatcher_notice", "portal_partner_id"}
    ),
    "signed": Only(ENGINEER_ALWAYS),
    "phone_confirmed": Only(ENGINEER_ALWAYS),
}
# Fields whose change re-runs the reimbursement gate (SOP R2, S2, S3, S10).
GATE_TRIGGER_FIELDS = {
    "state",
    "maintenance_ticket_id",
    "record_missing",
    "order_id",
    "signature_forged",
}
# Rating measures averaged over the ratings the customer accepted only.
RATING_MEASURES = ("rating_average", "rating_overall_score")
RATING_5 = [(str(n), str(n)) for n in range(1, 6)]
RATING_10 = [(str(n), str(n)) for n in range(1, 11)]


class FsServiceReport(models.Model):
    """Service report 服务报告单 / 现场服务记录单: one per visit (SOP S1-S13).

    Tied to an issued dispatch order whose number and dispatcher it carries
    (S1); at most one report per order that is not cancelled (a partial
    unique index), so a wrong report is cancelled and a new one written. It
    records the visit (S7), the customer's consent before work when the
    service type touches customer systems (S5, S6), and the acceptance:
    ratings and signature on the engineer's device or the portal, or a phone
    confirmation by a Project Assistant when the signature was forgotten (S2,
    S3, S12). Signing seals it: a snapshot of what the signed documents show,
    chained per company (``fs.service.report.seal``); deadlines for entry
    (S8) and the problem report (S11) are SLA clocks and shown as due /
    overdue.

    This file is the report's home: its states, field groups, rights and its
    only ``create()``/``write()``. Every change goes through the guarded
    write of ``fs.state.mixin`` (derived fields, seal, stamps, rights per
    role and state, value rules, the move and its named check, the seal).
    The SOP rules with their own fields and actions live beside it and
    override no ``write()``: consent, acceptance and phone confirmation
    (``_sign``), S9 checks (``_checks``), S10 maintenance record
    (``_record``), S4 assessment (``_assessment``), portal signing
    (``_portal``), signed PDF (``_pdf``), snapshot and seal (``_snapshot``,
    ``_verify``).

    Rights (``_fs_write_rights``):

    ================  =====================================================
    Role              May write
    ================  =====================================================
    engineer (on the  draft: the content; to sign: the acceptance; until
    order)            cancelled: the problem report and maintenance record
    dispatcher        everything but stamps, in every unsealed state;
    (Project          confirms by phone (not on their own visit) and cancels
    Assistant)
    manager           as dispatcher; reopens a sealed report with a reason
                      and deletes unsealed ones
    superuser         a sealed report (system code after its own checks)
    ================  =====================================================
    """

    _name = "fs.service.report"
    _description = "Service Report"
    _inherit = [
        "fs.state.mixin",
        "fs.sla.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

    # State machine (fs.state.mixin)
    _fs_transitions = TRANSITIONS
    _fs_state_checks = {
        "to_sign": ("_fs_check_dispatcher_notified", "_fs_check_content_complete"),
        "signed": ("_fs_check_dispatcher_notified", "_fs_check_can_sign"),
        "phone_confirmed": (
            "_fs_check_dispatcher_notified",
            "_fs_check_can_phone_confirm",
        ),
        "cancelled": ("_fs_check_can_cancel",),
        "draft": ("_fs_check_can_restore",),
    }
    _fs_enter_hooks = {
        "to_sign": ("_fs_stamp_entered",),
        "signed": (
            "_fs_stamp_entered",
            "_fs_stamp_signed_on_device",
            "_fs_stamp_signed_on_portal",
        ),
        "phone_confirmed": ("_fs_stamp_entered", "_fs_stamp_phone_confirmed"),
        "draft": ("_fs_void_pdf", "_fs_void_portal_link"),
        "cancelled": ("_fs_drop_portal_token",),
    }
    _fs_locked_states = LOCKED_STATES
    _fs_lock_free_fields = LOCK_FREE_FIELDS
    _fs_stamp_fields = ALL_STAMP_FIELDS
    _fs_write_rights = {
        "dispatcher": {ANY_STATE: ALL_FIELDS},
        "engineer": ENGINEER_RIGHTS,
    }

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
    arrival_at = fields.Datetime(string="Arrival", tracking=True)
    departure_at = fields.Datetime(string="Departure", tracking=True)
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
    # Ratings as numbers for pivot and graph (SOP S7, Q4). 0 means "no
    # rating"; averages count accepted ratings only (_read_group_select).
    rating_average = fields.Float(
        string="Average Rating (1-5)",
        compute="_compute_rating_scores",
        store=True,
        aggregator="avg",
        help="Mean of the attitude, response time and effect ratings. In "
        "analyses, only signed or phone-confirmed reports count: unrated, "
        "draft and cancelled reports are left out.",
    )
    rating_overall_score = fields.Integer(
        string="Overall Score (1-10)",
        compute="_compute_rating_scores",
        store=True,
        aggregator="avg",
        help="The overall rating as a number. In analyses, only signed or "
        "phone-confirmed reports count: unrated, draft and cancelled reports "
        "are left out.",
    )

    # Seal
    fingerprint = fields.Char(
        readonly=True,
        copy=False,
        help="Hash of the report's seal: the snapshot of what the signed "
        "documents show, chained to the company's previous seal (HMAC-SHA256 "
        "with the server's seal key, else sha256).",
    )
    fingerprint_at = fields.Datetime(string="Sealed At", readonly=True, copy=False)
    fingerprint_check = fields.Selection(
        [
            ("match", "Matches"),
            ("changed", "Seal Intact, Live Data Changed"),
            ("mismatch", "Does Not Match"),
        ],
        string="Last Verification",
        readonly=True,
        copy=False,
    )
    fingerprint_checked_at = fields.Datetime(
        string="Last Verified At", readonly=True, copy=False
    )
    fingerprint_checked_by_id = fields.Many2one(
        "res.users", string="Last Verified By", readonly=True, copy=False
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
        "order_id.arrived_at",
        "completed_at",
        "result",
        "company_id.fs_report_entry_hours",
        "company_id.fs_problem_report_hours",
    )
    def _compute_deadlines(self):
        """SOP S8: entry within N h of the visit's end; S11: problem report
        within N h of resolution (a fully solved result's completion).

        Without visit times (blanked, or never typed) the order's arrival,
        else the report's creation, starts the entry deadline: clearing the
        times never removes it (S4, S8)."""
        for report in self:
            company = report.company_id or self.env.company
            end = (
                report.departure_at
                or report.arrival_at
                or report.order_id.arrived_at
                or (report.create_date and report.create_date.replace(microsecond=0))
            )
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
        # SOP S4, S7, S8: a time in the future would push the signature grace
        # period and the entry deadline out; an hour's leeway for clocks.
        limit = fields.Datetime.now() + timedelta(hours=1)
        labels = {
            "arrival_at": self.env._("arrival"),
            "departure_at": self.env._("departure"),
            "completed_at": self.env._("completion"),
        }
        for report in self:
            future = [
                label
                for name, label in labels.items()
                if report[name] and report[name] > limit
            ]
            if future:
                raise ValidationError(
                    self.env._(
                        "%(report)s: the %(times)s is in the future. Record the "
                        "visit times once they happen.",
                        report=report.name,
                        times=", ".join(future),
                    )
                )
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
        # The mixin's create checks who creates what (``_fs_check_create_values``)
        # then completes the values (``_fs_prepare_create_values``).
        reports = super().create(vals_list)
        # SOP R2: a new report changes the gate of its order's expenses.
        self.env["hr.expense"]._fs_refresh_for_orders(reports.order_id)
        return reports

    @api.model
    def _fs_prepare_create_values(self, vals):
        """One live report per visit (S1); what the order knows; the number."""
        order = self.env["fs.dispatch.order"].browse(vals.get("order_id"))
        self._fs_check_one_live(order)
        vals.update(self._fs_defaults_from_order(order, vals))
        self._fs_check_input_values(vals)
        if vals.get("name", "/") == "/":
            vals["name"] = (
                self.env["ir.sequence"]
                .with_company(order.company_id)
                .next_by_code("fs.service.report")
                or "/"
            )

    def write(self, vals):
        # The mixin's write guards the change (see fs_state_mixin.py); the
        # values are normalised for every caller, the portal's superuser too.
        self._fs_check_input_values(vals)
        orders = self.order_id if "order_id" in vals else self.env["fs.dispatch.order"]
        res = super().write(vals)
        if "maintenance_ticket_id" in vals:
            # SOP S10: linking the record clears the flag; unlinking it after
            # a check raises it again.
            checked = self.filtered("record_checked_at")
            checked.filtered("maintenance_ticket_id")._fs_record_found()
            (checked - checked.filtered("maintenance_ticket_id"))._fs_record_lost()
        if GATE_TRIGGER_FIELDS & set(vals):
            # SOP R2, S2, S3, S10: the gate lifts (or sets) the suspension.
            self.env["hr.expense"]._fs_refresh_for_orders(orders | self.order_id)
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        self.env["hr.expense"]._fs_refresh_for_orders(orders)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sealed_once(self):
        """SOP S2: a seal stays in its company's chain, and so does the report
        it points to (even reopened)."""
        sealed = self.filtered(lambda report: report.sudo().seal_ids)
        if sealed:
            raise UserError(
                self.env._(
                    "%(reports)s was signed once: its seals are kept in the "
                    "company's seal chain. Cancel the report instead of deleting it.",
                    reports=", ".join(sealed.mapped("name")),
                )
            )

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
            report._fs_check_may_write({"problem_written_at": True})
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

    def action_reopen(self, reason):
        """Engineering Manager: void the signature and reopen, with a reason."""
        if not self.env.user.has_group("field_service_sop.group_fs_manager"):
            raise AccessError(
                self.env._("Only an Engineering Manager reopens a signed report.")
            )
        if not (reason or "").strip():
            raise UserError(
                self.env._("Give the reason for reopening: it is kept in the chatter.")
            )
        self.check_access("write")
        for report in self:
            if report.state not in LOCKED_STATES:
                raise UserError(
                    self.env._(
                        "%(report)s is not signed: there is nothing to reopen.",
                        report=report.name,
                    )
                )
            old = report.fingerprint
            # The manager's right was checked above; the seal yields to su only.
            report.sudo().write(report._fs_reopen_values())
            report.message_post(
                body=self.env._(
                    "Reopened by %(user)s: %(reason)s. The customer's signature and "
                    "ratings are void (fingerprint was %(fp)s); the report must be "
                    "signed again.",
                    user=self.env.user.name,
                    reason=reason,
                    fp=old,
                )
            )
        return True

    def _fs_reopen_values(self):
        """Values written on reopening: the signature and all that hangs on it
        are void (extended by the portal and the assessment files)."""
        return {
            "state": "draft",
            **dict.fromkeys(ACCEPTANCE_FIELDS | PHONE_FIELDS, False),
            "signed_at": False,
            "sign_channel": False,
            "sign_recorded_by_id": False,
            "phone_recorded_by_id": False,
            "fingerprint": False,
            "fingerprint_at": False,
            "fingerprint_check": False,
            "fingerprint_checked_at": False,
            "fingerprint_checked_by_id": False,
            "seal_id": False,
        }

    def _fs_fingerprint_fields(self):
        """The report's own fields sealed with it (SOP S2, S12); the portal
        adds its evidence (fs_service_report_portal.py)."""
        return [
            "name",
            "order_id",
            "service_type_id",
            "arrival_at",
            "departure_at",
            "completed_at",
            "symptoms",
            "work_done",
            "cause",
            "recommended_measures",
            "open_issues",
            "result",
            "major_data_loss",
            "severity",
            "fault_category",
            "arrived_as_agreed",
            "backup_done",
            "badge_worn",
            "preventive_advice_given",
            *sorted(CONSENT_FIELDS - {"consent_signature"}),
            "consent_signed_at",
            "consent_recorded_by_id",
            *sorted(ACCEPTANCE_FIELDS - {"signature"}),
            "signed_at",
            "sign_channel",
            "sign_recorded_by_id",
            *sorted(PHONE_FIELDS),
            "phone_recorded_by_id",
        ]

    # ------------------------------------------------------------------
    # Business: who writes what (fs.state.mixin hooks)
    # ------------------------------------------------------------------
    def _fs_user_roles(self):
        self.ensure_one()
        roles = []
        if self.env.user.has_group("field_service_sop.group_fs_dispatcher"):
            roles.append("dispatcher")
        if self.env.user in self.order_id.engineer_ids.user_id:
            roles.append("engineer")
        return roles

    def _fs_rights_message(self, roles, refused):
        if not roles:
            return self.env._(
                "You are not an engineer on %(order)s.", order=self.order_id.name
            )
        return self.env._(
            "%(report)s: engineers edit a draft report's content, then only the "
            "customer's acceptance while it awaits signature, and the problem "
            "report. Ask a dispatcher, or reset the report to draft, to change: "
            "%(fields)s.",
            report=self.name,
            fields=", ".join(sorted(refused)),
        )

    def _fs_stamps_message(self, stamps):
        return self.env._("Signatures and stamps are recorded by their buttons only.")

    def _fs_create_stamps_message(self):
        return self.env._(
            "A service report starts as a draft; signatures and stamps are "
            "recorded by their buttons."
        )

    def _fs_locked_message(self, locked):
        return self.env._(
            "%(reports)s is signed and sealed: nobody may change or delete it. "
            "If it is wrong, an Engineering Manager reopens it with a reason, "
            "which voids the customer's signature.",
            reports=", ".join(locked.mapped("name")),
        )

    def _fs_check_create_values(self, vals):
        """SOP S1: a report belongs to an issued order and its engineers; it
        starts as a draft (SOP S2, S3); no work before consent (S6)."""
        order = self.env["fs.dispatch.order"].browse(vals.get("order_id"))
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
        res = super()._fs_check_create_values(vals)
        service_type = self.env["fs.service.type"].browse(
            vals.get("service_type_id") or order.service_type_id.id
        )
        if service_type.touches_customer_systems and any(
            vals.get(name) for name in WORK_FIELDS
        ):
            raise UserError(self._fs_consent_message(order.name))
        return res

    def _fs_check_write_values(self, vals):
        """Rules on the values, for every role (SOP S1, S5, S6, S11)."""
        keys = set(vals)
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
        if "service_type_id" in keys:
            self._fs_check_service_type_change()

    def _fs_check_may_write(self, vals):
        """An action's check that the user may write ``vals`` (rights per
        state and value rules) before it writes them as superuser."""
        if not self.env.su:
            self._fs_check_write_rights(vals)
            self._fs_check_write_values(vals)

    @api.model
    def _fs_check_input_values(self, vals):
        """Clear messages for bad values the ORM would only reject generically.

        Ratings (SOP S7, S12) are marks 1-5 or 1-10, whatever the path (RPC,
        import): a number in range is taken as its mark. The customer's
        signatures must be drawn (SOP S5). Runs for the superuser too: the
        portal signs as superuser after its token check.
        """
        for name in RATING_FIELDS & set(vals):
            value = vals[name]
            if value is False or value is None or value == "":
                continue
            field = self._fields[name]
            marks = [key for key, _label in field._description_selection(self.env)]
            mark = str(value) if isinstance(value, str | int) else None
            if mark not in marks:
                raise ValidationError(
                    self.env._(
                        "%(field)s is a mark from 1 to %(top)s: %(value)s is out "
                        "of range. Choose a mark from 1 to %(top)s.",
                        field=field._description_string(self.env),
                        top=marks[-1],
                        value=str(value)[:20],
                    )
                )
            vals[name] = mark
        for name in SIGNATURE_FIELDS & set(vals):
            if vals[name]:
                check_drawn_signature(self.env, vals[name])

    def _fs_check_part_change(self):
        """Spare-part lines are report content (SOP S6, S7): same guards."""
        if not self.env.su:
            self._fs_check_not_locked({"part_ids": True})
            self._fs_check_may_write({"part_ids": True})

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

    def _fs_consent_message(self, name):
        return self.env._(
            "%(report)s: this service touches the customer's systems. Record the "
            "customer's consent first (backups confirmed with their times, downtime "
            "approved, recovery information kept, signed) before recording any "
            "work (SOP S5, S6, S13).",
            report=name,
        )

    # ------------------------------------------------------------------
    # Business: named checks of the moves (they never write)
    # ------------------------------------------------------------------
    def _fs_check_can_cancel(self):
        self._fs_require_dispatcher(self.env._("cancel a service report"))

    def _fs_check_can_restore(self):
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

    # ------------------------------------------------------------------
    # Business: entering a state (stamps, links, the seal)
    # ------------------------------------------------------------------
    def _fs_stamp_entered(self, previous):
        """SOP S8: the report is entered when it first leaves draft."""
        entered = self.filtered(
            lambda report: previous[report.id] == "draft" and not report.entered_at
        )
        if entered:
            # Stamp of a move the user was just allowed to make.
            entered.sudo().write({"entered_at": fields.Datetime.now()})

    def _fs_is_locked(self):
        self.ensure_one()
        return self.state in LOCKED_STATES

    def _fs_seal(self):
        """Append a seal of each report to its company's chain (SOP S2, S12),
        then queue the signed PDF for the customer."""
        for report in self.sorted(lambda r: (r.company_id.id, r.id)):
            seal = report._fs_seal_append()
            report.sudo().write(
                {
                    "seal_id": seal.id,
                    "fingerprint": seal.hash,
                    "fingerprint_at": seal.sealed_at,
                    "fingerprint_check": False,
                    "fingerprint_checked_at": False,
                    "fingerprint_checked_by_id": False,
                }
            )
        self.sudo()._fs_queue_pdf()

    # ------------------------------------------------------------------
    # SLA clocks (fs.sla.mixin): report entry, problem report (S8, S11)
    # ------------------------------------------------------------------
    def _fs_sla_values(self):
        """The report's engineer is responsible for its clocks."""
        return {
            report.id: {
                "user_id": report.engineer_id.user_id.id,
                "employee_id": report.engineer_id.id,
                "team_id": report.order_id.ticket_id.team_id.id,
                "partner_id": report.partner_id.id,
            }
            for report in self
        }

    # ------------------------------------------------------------------
    # Reporting
    # ------------------------------------------------------------------
    def _read_group_select(self, aggregate_spec, query):
        """SOP S12, Q4: a rating counts once the customer accepted it.

        The average of a rating measure leaves out reports that are not
        signed or phone-confirmed (drafts, cancelled, reopened) and unrated
        ones (0): an engineer with one 5/5 visit and two unrated reports
        averages 5, not 1.67 (issue 12.6). Nothing to average gives no value
        rather than 0. Pivot, graph and grouped lists all read through here.
        """
        fname, __, func = parse_read_group_spec(aggregate_spec)
        if fname not in RATING_MEASURES or func != "avg":
            return super()._read_group_select(aggregate_spec, query)
        value = self._field_to_sql(self._table, fname, query)
        state = self._field_to_sql(self._table, "state", query)
        return SQL(
            "AVG(CASE WHEN %s IN %s AND %s > 0 THEN %s END)",
            state,
            LOCKED_STATES,
            value,
            value,
        )
