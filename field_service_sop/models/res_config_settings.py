# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The SOP parameters of the current company, in Settings > Field Service SOP."""

    _inherit = "res.config.settings"

    fs_verbal_confirm_hours = fields.Integer(
        related="company_id.fs_verbal_confirm_hours", readonly=False
    )
    fs_reschedule_notice_minutes = fields.Integer(
        related="company_id.fs_reschedule_notice_minutes", readonly=False
    )
    fs_departure_margin_minutes = fields.Integer(
        related="company_id.fs_departure_margin_minutes", readonly=False
    )
    fs_late_threshold_minutes = fields.Integer(
        related="company_id.fs_late_threshold_minutes", readonly=False
    )
    fs_callback_hours = fields.Integer(
        related="company_id.fs_callback_hours", readonly=False
    )
    fs_map_provider = fields.Selection(
        related="company_id.fs_map_provider", readonly=False
    )
    fs_signature_grace_hours = fields.Integer(
        related="company_id.fs_signature_grace_hours", readonly=False
    )
    fs_report_entry_hours = fields.Integer(
        related="company_id.fs_report_entry_hours", readonly=False
    )
    fs_problem_report_hours = fields.Integer(
        related="company_id.fs_problem_report_hours", readonly=False
    )
    fs_test_lead_id = fields.Many2one(
        related="company_id.fs_test_lead_id", readonly=False
    )
    fs_response_minutes = fields.Integer(
        related="company_id.fs_response_minutes", readonly=False
    )
    fs_remote_support_minutes = fields.Integer(
        related="company_id.fs_remote_support_minutes", readonly=False
    )
    fs_stationed_onsite_minutes = fields.Integer(
        related="company_id.fs_stationed_onsite_minutes", readonly=False
    )
    fs_severe_onsite_extra_minutes = fields.Integer(
        related="company_id.fs_severe_onsite_extra_minutes", readonly=False
    )
    fs_onsite_hours = fields.Integer(
        related="company_id.fs_onsite_hours", readonly=False
    )
    fs_severe_unfixed_hours = fields.Integer(
        related="company_id.fs_severe_unfixed_hours", readonly=False
    )
    fs_parts_ship_hours = fields.Integer(
        related="company_id.fs_parts_ship_hours", readonly=False
    )
    fs_parts_onsite_days = fields.Integer(
        related="company_id.fs_parts_onsite_days", readonly=False
    )
    fs_hotline_dispatch_minutes = fields.Integer(
        related="company_id.fs_hotline_dispatch_minutes", readonly=False
    )
    fs_hotline_answer_hours = fields.Integer(
        related="company_id.fs_hotline_answer_hours", readonly=False
    )
    fs_consult_callback_minutes = fields.Integer(
        related="company_id.fs_consult_callback_minutes", readonly=False
    )
    fs_shift_handover_minutes = fields.Integer(
        related="company_id.fs_shift_handover_minutes", readonly=False
    )
    fs_sla_warning_percent = fields.Integer(
        related="company_id.fs_sla_warning_percent", readonly=False
    )
    fs_escalation_interval_hours = fields.Integer(
        related="company_id.fs_escalation_interval_hours", readonly=False
    )
    fs_complaint_rate_max_percent = fields.Integer(
        related="company_id.fs_complaint_rate_max_percent", readonly=False
    )
    fs_satisfaction_min_percent = fields.Integer(
        related="company_id.fs_satisfaction_min_percent", readonly=False
    )
    fs_visit_contact_days = fields.Integer(
        related="company_id.fs_visit_contact_days", readonly=False
    )
    fs_visit_reminder_days = fields.Integer(
        related="company_id.fs_visit_reminder_days", readonly=False
    )

    def action_fs_print_sop_standards(self):
        """Print the company's SOP standards sheet (deadlines and service types)."""
        self.ensure_one()
        return self.env.ref(
            "field_service_sop.action_report_fs_sop_standards"
        ).report_action(self.company_id)
