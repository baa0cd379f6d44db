# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SLA timer: the model, its fields and its guards (SOP E1-E4).

The engine (start/stop/pause/resume/recompute) lives in
``fs_sla_timer_engine.py``, the sweep and its notifications in
``fs_sla_timer_sweep.py``, the append-only event log in
``fs_sla_timer_event.py``.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

OPEN_STATES = ("running", "warning", "paused", "breached")
# Timers whose deadline is re-planned by policy or calendar changes.
RUNNING_STATES = ("running", "warning", "paused")
# Timers the sweep looks at (paused, met and cancelled have no next check).
SWEEP_STATES = ("running", "warning", "breached")
# Timers whose outcome is known: met (in time or late) or breached.
DECIDED_STATES = ("met", "breached")
RECOMPUTE_BATCH = 1000
# Columns the engine writes in bulk (``_fs_write_rows``) and their SQL types.
BULK_COLUMNS = {
    "state": "varchar",
    "deadline": "timestamp",
    "warning_at": "timestamp",
    "next_check_at": "timestamp",
    "warned_at": "timestamp",
    "breached_at": "timestamp",
    "met_at": "timestamp",
    "paused_since": "timestamp",
    "level": "int4",
    "target_minutes": "float8",
    "remaining_minutes": "float8",
    "paused_minutes": "float8",
    "duration_minutes": "float8",
}


class FsSlaTimer(models.Model):
    """One SLA clock: one document measured against one policy (SOP E1-E4).

    The clock runs in working minutes of the policy's calendar (or round the
    clock). Pausing stores the working minutes left (``remaining_minutes``)
    and resuming re-plans the deadline from the resume instant; the working
    minutes spent paused add up in ``paused_minutes``. ``next_check_at`` is
    the next instant something can happen (warning, breach, next escalation
    level); the sweep only reads timers whose next check is due.

    Rights: engineers read the timers of their companies; nobody writes
    them but the system (the SLA engine and the escalation decisions, which
    check their user first): create/write/unlink are refused to anybody but
    the superuser.
    """

    _name = "fs.sla.timer"
    _description = "SLA Timer"
    _inherit = ["fs.system.record.mixin", "mail.thread"]
    _order = "deadline, id"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(compute="_compute_name")
    policy_id = fields.Many2one(
        "fs.sla.policy", required=True, ondelete="cascade", index=True
    )
    rule_ref = fields.Char(related="policy_id.rule_ref")
    res_model = fields.Char(string="Document Model", required=True, index=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", required=True, index=True
    )
    company_id = fields.Many2one("res.company", index=True)
    user_id = fields.Many2one("res.users", string="Responsible", tracking=True)
    employee_id = fields.Many2one("hr.employee", string="Responsible Employee")
    team_id = fields.Many2one("helpdesk.ticket.team", string="Team")
    partner_id = fields.Many2one("res.partner", string="Customer")
    target_minutes = fields.Float(help="Working minutes allowed by the policy.")
    start_at = fields.Datetime(string="Started At")
    deadline = fields.Datetime(tracking=True, index=True)
    warning_at = fields.Datetime()
    state = fields.Selection(
        [
            ("running", "Running"),
            ("paused", "Paused"),
            ("warning", "Warning"),
            ("breached", "Breached"),
            ("met", "Met"),
            ("cancelled", "Cancelled"),
        ],
        default="running",
        required=True,
        index=True,
        tracking=True,
    )
    paused_since = fields.Datetime()
    paused_minutes = fields.Float(help="Working minutes paused so far.")
    remaining_minutes = fields.Float(help="Working minutes left when paused.")
    warned_at = fields.Datetime()
    breached_at = fields.Datetime()
    met_at = fields.Datetime()
    level = fields.Integer(string="Escalation Level", tracking=True)
    next_check_at = fields.Datetime(index="btree_not_null", copy=False)
    extended = fields.Boolean()
    extension_reason = fields.Text()
    attained = fields.Boolean(compute="_compute_attained", store=True)
    # SOP E1, Q1: the rate of the decided timers (issue 12.6); open and
    # cancelled timers are left out of its average (_read_group_select).
    attainment_rate = fields.Float(
        string="Attainment Rate (%)",
        compute="_compute_attainment_rate",
        store=True,
        aggregator="avg",
        help="Share of the decided timers met by their deadline, in percent: "
        "a timer met in time counts 100, one breached (met late or not met "
        "yet) 0. Running, paused and cancelled timers count nowhere.",
    )
    # The attainment reports group by this: labelled values, where the
    # boolean showed "true/false" in a chart's legend (issue 12).
    attainment = fields.Selection(
        [("attained", "Attained"), ("missed", "Not Attained")],
        string="Attainment Status",
        compute="_compute_attainment",
        store=True,
        help="Met before the deadline, or not; empty while the clock runs or "
        "once cancelled.",
    )
    duration_minutes = fields.Float(help="Working minutes used, pauses excluded.")
    event_ids = fields.One2many("fs.sla.timer.event", "timer_id", string="Events")
    escalation_ids = fields.One2many("fs.escalation", "timer_id", string="Escalations")

    _sql_constraints = [
        (
            "document_policy_uniq",
            "unique(policy_id, res_model, res_id)",
            "A document has one timer per SLA policy.",
        )
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("policy_id", "res_model", "res_id")
    @api.depends_context("lang")  # the policy's name is translated
    def _compute_name(self):
        names = {}
        for model, timers in self.grouped("res_model").items():
            if model in self.env:
                docs = self.env[model].browse(timers.mapped("res_id")).exists()
                # Names only, for timers the user may already read.
                names[model] = {doc.id: doc.display_name for doc in docs.sudo()}
        for timer in self:
            doc = names.get(timer.res_model, {}).get(timer.res_id) or "%s,%s" % (
                timer.res_model,
                timer.res_id,
            )
            timer.name = "%s - %s" % (timer.policy_id.name or "", doc)

    @api.depends("state", "met_at", "deadline", "breached_at")
    def _compute_attained(self):
        for timer in self:
            timer.attained = bool(
                timer.state == "met"
                and not timer.breached_at
                and timer.met_at
                and timer.deadline
                and timer.met_at <= timer.deadline
            )

    @api.depends("attained")
    def _compute_attainment_rate(self):
        for timer in self:
            timer.attainment_rate = 100.0 if timer.attained else 0.0

    @api.depends("attained", "state")
    def _compute_attainment(self):
        for timer in self:
            if timer.attained:
                timer.attainment = "attained"
            elif timer.state in ("met", "breached"):
                timer.attainment = "missed"
            else:
                timer.attainment = False

    # ------------------------------------------------------------------
    # CRUD: only the system writes timers
    # ------------------------------------------------------------------
    def _fs_system_message(self, operation):
        return self.env._(
            "SLA timers are kept by the system: change the document, "
            "the policy or decide on the escalation instead."
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # System writes (the engine and the sweep, after their own checks)
    # ------------------------------------------------------------------
    def _fs_system(self):
        """``self`` as the system writes it: sudo, no per-record tracking
        messages (the event log is the history). Callers check their user
        first."""
        return self.sudo().with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
        )

    def _fs_write_rows(self, fnames, rows, attained_unchanged=False):
        """Write per-timer values in ONE ``UPDATE ... FROM unnest(...)``.

        ``rows`` are tuples (timer id, value of each of ``fnames``), passed
        as one array parameter per column. For the system only (refused
        otherwise): the callers checked their user and write untracked, the
        event log being the history. The cache of the timers is invalidated
        and dependent fields are recomputed; ``attained_unchanged`` skips
        ``attained`` when the caller knows no timer is or becomes met.
        """
        if not rows:
            return
        if not self.env.su:
            raise AccessError(self._fs_system_message("write"))
        fnames = list(fnames)
        timers = self.browse([row[0] for row in rows])
        # Pending ORM writes to these columns first, or they would win.
        timers.flush_recordset(fnames)
        # The ORM's False for an empty value is NULL here.
        columns = [
            [None if value is False else value for value in column]
            for column in zip(*rows, strict=True)
        ]
        self.env.cr.execute(
            SQL(
                "UPDATE fs_sla_timer AS t SET %s, write_uid = %s, write_date = %s "
                "FROM unnest(%s) AS v(id, %s) WHERE t.id = v.id",
                SQL(", ").join(
                    SQL("%s = v.%s", SQL.identifier(fname), SQL.identifier(fname))
                    for fname in fnames
                ),
                self.env.uid,
                self.env.cr.now(),
                SQL(", ").join(
                    SQL("%s::%s[]", column, SQL(kind))
                    for column, kind in zip(
                        columns,
                        ["int4", *(BULK_COLUMNS[fname] for fname in fnames)],
                        strict=True,
                    )
                ),
                SQL(", ").join(SQL.identifier(fname) for fname in fnames),
            )
        )
        timers.invalidate_recordset([*fnames, "write_uid", "write_date"])
        timers.modified(fnames)
        if attained_unchanged:
            self.env.remove_to_compute(self._fields["attained"], timers)
            self.env.remove_to_compute(self._fields["attainment_rate"], timers)

    # ------------------------------------------------------------------
    # Reporting
    # ------------------------------------------------------------------
    def _read_group_select(self, aggregate_spec, query):
        """SOP E1, Q1: the attainment rate averages the decided timers only.

        Met and breached timers have an outcome (100 met in time, 0 not);
        running, paused and cancelled ones are left out of the average, so
        the pivot shows "met in time / decided" as a percentage (issue 12.6).
        """
        fname, __, func = parse_read_group_spec(aggregate_spec)
        if fname != "attainment_rate" or func != "avg":
            return super()._read_group_select(aggregate_spec, query)
        value = self._field_to_sql(self._table, fname, query)
        state = self._field_to_sql(self._table, "state", query)
        return SQL("AVG(CASE WHEN %s IN %s THEN %s END)", state, DECIDED_STATES, value)
