# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

SLA_MODELS = ("helpdesk.ticket", "fs.dispatch.order", "fs.service.report")
DOMAIN_FIELDS = (
    "applies_domain",
    "start_domain",
    "stop_domain",
    "pause_domain",
    "cancel_domain",
)
# Changing one of these re-plans the running timers (SOP E1-E4); met,
# breached and cancelled timers keep the deadline they were measured against.
RECOMPUTE_FIELDS = (
    "target_type",
    "target_value",
    "target_unit",
    "calendar_id",
    "warning_percent",
    "escalation_interval_minutes",
    "max_level",
)


class FsSlaPolicy(models.Model):
    """An SLA commitment on one kind of document (SOP E1, E2, D5, D11, D15,
    S8, S11).

    A policy says where it applies (``applies_domain``, stationed customers),
    when its clock starts, stops, pauses and is cancelled (domains on the
    document), how long it may run (fixed or "drive time + target", in
    working time of ``calendar_id`` or round the clock), when the supervisor
    is warned (``warning_percent`` of the target, SOP E3) and how fast a
    breach climbs the escalation chain (SOP E4).

    Rights: everybody in the field service reads policies; managers
    create and change them. Changing a target, a calendar, the warning
    threshold or the escalation interval re-plans the running timers only.
    """

    _name = "fs.sla.policy"
    _description = "SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the policy applies to all companies."
    )
    rule_ref = fields.Char(string="SOP Rule", help="SOP rule id, e.g. E1 or S8.")
    description = fields.Text()
    model_id = fields.Many2one(
        "ir.model",
        string="Document Type",
        required=True,
        ondelete="cascade",
        domain=[("model", "in", SLA_MODELS)],
    )
    model_name = fields.Char(
        related="model_id.model", store=True, index=True, string="Model Name"
    )
    applies_domain = fields.Char(
        string="Applies To",
        default="[]",
        help="Domain on the document: team, priority, customer, service type...",
    )
    stationed_only = fields.Boolean(
        string="Stationed Customers Only",
        help="SOP E1: only for customers with a stationed engineer (驻场).",
    )
    start_domain = fields.Char(
        string="Starts When",
        default="[]",
        help="The clock starts when the document matches this domain.",
    )
    start_field_id = fields.Many2one(
        "ir.model.fields",
        string="Start Instant Field",
        ondelete="set null",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'datetime')]",
        help="Date/time field of the document giving the start; empty: now.",
    )
    stop_domain = fields.Char(
        string="Met When",
        default="[]",
        help="The target is met when the document matches this domain.",
    )
    stop_field_id = fields.Many2one(
        "ir.model.fields",
        string="Met Instant Field",
        ondelete="set null",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'datetime')]",
        help="Date/time field of the document giving the met instant; empty: now.",
    )
    pause_domain = fields.Char(
        string="Paused While",
        help="Optional: the clock is paused while the document matches "
        "(e.g. waiting for the customer).",
    )
    cancel_domain = fields.Char(
        string="Cancelled When",
        help="Optional: the timer is cancelled when the document matches.",
    )
    target_type = fields.Selection(
        [("fixed", "Fixed"), ("travel", "Customer Travel Time + Target")],
        default="fixed",
        required=True,
        help="Travel: the customer's travel time plus the target (SOP E1, "
        "severe faults: drive time + 1 h).",
    )
    target_value = fields.Integer(string="Target", required=True, default=1)
    target_unit = fields.Selection(
        [("minutes", "Minutes"), ("hours", "Hours"), ("days", "Working Days")],
        default="hours",
        required=True,
        help="Working days count the calendar's hours per day (24 h round the clock).",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Time",
        help="Empty: round the clock. Public holidays are the calendar's "
        "global leaves.",
    )
    warning_percent = fields.Integer(
        string="Warning At (%)",
        default=lambda self: self.env.company.fs_sla_warning_percent or 80,
        help="SOP E3: the responsible and the supervisor are warned when this "
        "share of the target has elapsed.",
    )
    escalation_interval_minutes = fields.Integer(
        string="Escalation Interval (min)",
        default=lambda self: (self.env.company.fs_escalation_interval_hours or 2) * 60,
        help="SOP E4: while breached, one escalation level per interval.",
    )
    max_level = fields.Integer(
        string="Highest Escalation Level",
        default=3,
        help="1 supervisor, 2 department manager, 3 Service Director.",
    )
    timer_ids = fields.One2many("fs.sla.timer", "policy_id", string="Timers")
    timer_count = fields.Integer(compute="_compute_timer_count")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_timer_count(self):
        data = self.env["fs.sla.timer"]._read_group(
            [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
        )
        counts = {policy.id: count for policy, count in data}
        for policy in self:
            policy.timer_count = counts.get(policy.id, 0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains(
        "target_value", "warning_percent", "escalation_interval_minutes", "max_level"
    )
    def _check_numbers(self):
        for policy in self:
            if policy.target_value <= 0:
                raise ValidationError(
                    self.env._(
                        "The target of SLA policy %(name)s must be greater than zero.",
                        name=policy.name,
                    )
                )
            if not 1 <= policy.warning_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "The warning threshold of SLA policy %(name)s must be "
                        "between 1 and 100 %%.",
                        name=policy.name,
                    )
                )
            if policy.escalation_interval_minutes <= 0:
                raise ValidationError(
                    self.env._(
                        "The escalation interval of SLA policy %(name)s must be "
                        "greater than zero minutes.",
                        name=policy.name,
                    )
                )
            if not 0 <= policy.max_level <= 3:
                raise ValidationError(
                    self.env._(
                        "The highest escalation level of SLA policy %(name)s must "
                        "be between 0 (no escalation) and 3 (Service Director).",
                        name=policy.name,
                    )
                )

    @api.constrains("model_id", *DOMAIN_FIELDS, "start_field_id", "stop_field_id")
    def _check_domains(self):
        for policy in self:
            if policy.model_id.model not in SLA_MODELS:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(name)s: choose a ticket, dispatch order or "
                        "service report as document type.",
                        name=policy.name,
                    )
                )
            # Only the syntax and field names are checked here.
            model = self.env[policy.model_id.model].sudo()
            for fname in DOMAIN_FIELDS:
                try:
                    model.search_count(policy._fs_domain(fname), limit=1)
                except Exception as error:
                    raise ValidationError(
                        self.env._(
                            "SLA policy %(name)s: the domain %(field)s is not "
                            "valid for %(model)s (%(error)s). Correct it.",
                            name=policy.name,
                            field=policy._fields[fname].get_description(self.env)[
                                "string"
                            ],
                            model=policy.model_id.name,
                            error=error,
                        )
                    ) from error
            for field in policy.start_field_id | policy.stop_field_id:
                if field.model != policy.model_id.model or field.ttype != "datetime":
                    raise ValidationError(
                        self.env._(
                            "SLA policy %(name)s: %(field)s is not a date/time "
                            "field of %(model)s.",
                            name=policy.name,
                            field=field.field_description,
                            model=policy.model_id.name,
                        )
                    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        self.env.registry.clear_cache()
        return policies

    def write(self, vals):
        res = super().write(vals)
        if {"active", "model_id", "company_id"} & set(vals):
            self.env.registry.clear_cache()
        if set(RECOMPUTE_FIELDS) & set(vals):
            # The user just changed the policy (write access checked by
            # super()): the system re-plans its running timers.
            timers = (
                self.env["fs.sla.timer"]
                .sudo()
                .search(
                    [
                        ("policy_id", "in", self.ids),
                        ("state", "in", ("running", "warning", "paused")),
                    ]
                )
            )
            timers._fs_recompute(self.env._("Policy changed"))
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_domain(self, fname):
        """The policy's domain ``fname`` as a list ([] when empty)."""
        self.ensure_one()
        return safe_eval(self[fname] or "[]")

    @api.model
    @tools.ormcache("model_name")
    def _fs_policy_ids_for(self, model_name):
        """Active policies of a document model; cached, because every write
        of a ticket, order or report asks (cleared on policy changes)."""
        return tuple(
            self.sudo()
            .with_context(active_test=True)
            .search([("model_name", "=", model_name)])
            .ids
        )

    def _fs_target_minutes(self, partner):
        """Working minutes the policy allows for a document of ``partner``."""
        self.ensure_one()
        factor = {"minutes": 1, "hours": 60}.get(self.target_unit)
        if factor is None:  # working days
            hours = self.calendar_id.hours_per_day if self.calendar_id else 24
            factor = (hours or 24) * 60
        minutes = self.target_value * factor
        if self.target_type == "travel":
            # SOP E1: severe faults on site within drive time + target.
            minutes += partner.fs_travel_minutes or (
                partner.commercial_partner_id.fs_travel_minutes or 0
            )
        return float(minutes)

    def action_view_timers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SLA Timers"),
            "res_model": "fs.sla.timer",
            "view_mode": "list,form",
            "domain": [("policy_id", "=", self.id)],
            "context": {"create": False},
        }
