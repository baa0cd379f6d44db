# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Every number of the SOP that the other features read, with its rule id. The
# defaults are the SOP's; each company writes its own version (SOP.md preamble).
# Percentages are checked against 1-100, everything else must be positive.
SOP_PERCENT_FIELDS = ("fs_sla_warning_percent", "fs_satisfaction_min_percent")


class ResCompany(models.Model):
    """Company-level SOP parameters: one place for every deadline and target.

    Read by dispatch orders (D5, D11-D13, D15), service reports (S4, S8, S11),
    the SLA engine (E1-E4) and the quality loop (Q1, Q5). Only Odoo
    administrators (Settings) may change them, like any company setting.
    """

    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Fields: dispatch (SOP D)
    # ------------------------------------------------------------------
    fs_verbal_confirm_hours = fields.Integer(
        string="Written Order After Verbal Dispatch (h)",
        default=24,
        help="SOP D5: a verbal urgent order must be confirmed by a written "
        "dispatch order within this many hours.",
    )
    fs_reschedule_notice_minutes = fields.Integer(
        string="Reschedule Notice (min)",
        default=10,
        help="SOP D11: when the agreed arrival cannot be kept, the customer is "
        "called at least this many minutes before the agreed time.",
    )
    fs_departure_margin_minutes = fields.Integer(
        string="Early Arrival Margin (min)",
        default=10,
        help="SOP D12: departure is planned so the engineer arrives this many "
        "minutes before the appointment.",
    )
    fs_late_threshold_minutes = fields.Integer(
        string="Late Arrival Threshold (min)",
        default=15,
        help="SOP D13: arriving later than this is flagged and may escalate to "
        "the supervisor.",
    )
    fs_callback_hours = fields.Integer(
        string="Call-back After Phone Fix (h)",
        default=2,
        help="SOP D15: a question solved by phone gets a call-back this many "
        "hours later.",
    )
    fs_map_provider = fields.Selection(
        [
            ("auto", "Automatic"),
            ("osm", "OpenStreetMap"),
            ("amap", "Amap (高德地图)"),
            ("baidu", "Baidu Maps (百度地图)"),
        ],
        string="Map Service",
        default="auto",
        required=True,
        help="Where the map link of a dispatch order's site opens (SOP D12). "
        "OpenStreetMap works worldwide but is slow from mainland China and "
        "knows few Chinese street addresses; Amap and Baidu know them and open "
        "their app on a phone. None needs an API key.",
    )
    # ------------------------------------------------------------------
    # Fields: service reports (SOP S)
    # ------------------------------------------------------------------
    fs_signature_grace_hours = fields.Integer(
        string="Signature Grace Period (h)",
        default=48,
        help="SOP S4: a report still unsigned this many hours after the visit "
        "counts against the engineer's assessment.",
    )
    fs_report_entry_hours = fields.Integer(
        string="Report Entry Deadline (h)",
        default=48,
        help="SOP S8: the service report is entered within this many hours of "
        "the visit.",
    )
    fs_problem_report_hours = fields.Integer(
        string="Problem Report Deadline (h)",
        default=24,
        help="SOP S11: a problem report is written within this many hours of "
        "resolution.",
    )
    # ------------------------------------------------------------------
    # Fields: SLA targets and escalation (SOP E)
    # ------------------------------------------------------------------
    fs_response_minutes = fields.Integer(
        string="Response Time (min)",
        default=30,
        help="SOP E1: every request is answered within this many minutes.",
    )
    fs_remote_support_minutes = fields.Integer(
        string="Remote Support (min)",
        default=60,
        help="SOP E1: remote support starts within this many minutes.",
    )
    fs_stationed_onsite_minutes = fields.Integer(
        string="Stationed Engineer On Site (min)",
        default=10,
        help="SOP E1: a stationed engineer is on site within this many minutes.",
    )
    fs_severe_onsite_extra_minutes = fields.Integer(
        string="Severe Fault: Drive Time Plus (min)",
        default=60,
        help="SOP E1: for a severe fault the engineer is on site within the "
        "drive time to the customer plus this many minutes.",
    )
    fs_onsite_hours = fields.Integer(
        string="On Site When Not Solvable by Phone (h)",
        default=24,
        help="SOP E1: a problem that cannot be solved by phone gets an "
        "engineer on site within this many hours.",
    )
    fs_severe_unfixed_hours = fields.Integer(
        string="Severe Fault Unfixed After Arrival (h)",
        default=2,
        help="SOP E1: a severe fault still unfixed this many hours after "
        "arrival triggers the spare-parts procedure.",
    )
    fs_parts_ship_hours = fields.Integer(
        string="Spare Parts Shipped Within (h)",
        default=24,
        help="SOP E1: spare parts are shipped within this many hours.",
    )
    fs_parts_onsite_days = fields.Integer(
        string="Spare Parts On Site Within (working days)",
        default=2,
        help="SOP E1: spare parts are on site within this many working days.",
    )
    fs_hotline_dispatch_minutes = fields.Integer(
        string="Hotline: Request to Service Manager (min)",
        default=30,
        help="SOP E2: a dispatch request reaches the service manager within "
        "this many minutes.",
    )
    fs_hotline_answer_hours = fields.Integer(
        string="Hotline: Answer Open Questions (h)",
        default=3,
        help="SOP E2: unresolved hotline questions are answered within this "
        "many hours.",
    )
    fs_consult_callback_minutes = fields.Integer(
        string="Hotline: Call-back After Consultation (min)",
        default=60,
        help="SOP E2: after an internal consultation the customer is called "
        "back within this many minutes.",
    )
    fs_shift_handover_minutes = fields.Integer(
        string="Hotline: Shift Handover (min)",
        default=30,
        help="SOP E2: open items are handed over within this many minutes of "
        "the next shift's start.",
    )
    fs_sla_warning_percent = fields.Integer(
        string="SLA Warning Threshold (%)",
        default=80,
        help="SOP E3: the supervisor is warned when this share of an SLA "
        "target has elapsed.",
    )
    fs_escalation_interval_hours = fields.Integer(
        string="Escalation Interval (h)",
        default=2,
        help="SOP E4: while a deadline stays breached, it climbs one level "
        "(engineer, supervisor, manager, director) per interval.",
    )
    # ------------------------------------------------------------------
    # Fields: quality loop (SOP Q)
    # ------------------------------------------------------------------
    fs_complaint_rate_max_percent = fields.Integer(
        string="Maximum Complaint Rate (%)",
        default=5,
        help="SOP Q1: target ceiling for the complaint rate.",
    )
    fs_satisfaction_min_percent = fields.Integer(
        string="Minimum Satisfaction (%)",
        default=85,
        help="SOP Q1: target floor for customer satisfaction.",
    )
    fs_visit_contact_days = fields.Integer(
        string="Planned Visit: Contact Customer (days before)",
        default=5,
        help="SOP Q5: the customer is contacted this many days before a "
        "planned maintenance visit.",
    )
    fs_visit_reminder_days = fields.Integer(
        string="Planned Visit: Reminder (days before)",
        default=1,
        help="SOP Q5: the customer is reminded this many days before a "
        "planned maintenance visit.",
    )

    # ------------------------------------------------------------------
    # Fields: people (SOP S9)
    # ------------------------------------------------------------------
    fs_test_lead_id = fields.Many2one(
        "res.users",
        string="Test Lead",
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("field_service_sop.group_fs_test_manager").ids,
            ),
            ("share", "=", False),
        ],
        help="SOP S9: confirms the problems and requirements found on site into "
        "the ticket system. Empty: the first active Test Manager of the company.",
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("fs_test_lead_id")
    def _check_fs_test_lead(self):
        for company in self.filtered("fs_test_lead_id"):
            if not company.fs_test_lead_id.has_group(
                "field_service_sop.group_fs_test_manager"
            ):
                raise ValidationError(
                    company.env._(
                        "%(user)s is not a Test Manager: the test lead who confirms "
                        "problems found on site must be one (SOP S9).",
                        user=company.fs_test_lead_id.name,
                    )
                )

    def _fs_test_lead(self):
        """SOP S9: the company's test lead, else its first active Test Manager."""
        self.ensure_one()
        lead = self.fs_test_lead_id
        if lead.active and lead.has_group("field_service_sop.group_fs_test_manager"):
            return lead
        group = self.env.ref("field_service_sop.group_fs_test_manager")
        return (
            group.sudo()
            .users.filtered(
                lambda u: u.active and not u.share and self in u.company_ids
            )
            .sorted("id")[:1]
        )

    @api.model
    def _fs_sop_param_fields(self):
        """Names of the SOP parameter fields (all ``fs_*`` integers here)."""
        return [
            name
            for name, field in self._fields.items()
            if name.startswith("fs_") and field.type == "integer"
        ]

    @api.constrains(lambda self: self._fs_sop_param_fields())
    def _check_fs_sop_params(self):
        for company in self:
            for name in company._fs_sop_param_fields():
                value = company[name]
                label = company._fields[name].get_description(company.env)["string"]
                if name in SOP_PERCENT_FIELDS and not 1 <= value <= 100:
                    raise ValidationError(
                        company.env._(
                            "%(setting)s must be between 1 and 100 %% "
                            "(company %(company)s, got %(value)s).",
                            setting=label,
                            company=company.name,
                            value=value,
                        )
                    )
                if value <= 0:
                    raise ValidationError(
                        company.env._(
                            "%(setting)s must be greater than zero (company "
                            "%(company)s, got %(value)s). Enter the SOP value "
                            "your company uses.",
                            setting=label,
                            company=company.name,
                            value=value,
                        )
                    )
