# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from .fs_service_report_lock import LOCKED_STATES

# Rating measures averaged over the ratings the customer accepted only.
RATING_MEASURES = ("rating_average", "rating_overall_score")


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
