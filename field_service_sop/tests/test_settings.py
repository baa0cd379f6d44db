# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import FsSopCommon

# The SOP's numbers (SOP.md) as each new company must get them.
SOP_DEFAULTS = {
    "fs_verbal_confirm_hours": 24,  # D5
    "fs_reschedule_notice_minutes": 10,  # D11
    "fs_departure_margin_minutes": 10,  # D12
    "fs_late_threshold_minutes": 15,  # D13
    "fs_callback_hours": 2,  # D15
    "fs_signature_grace_hours": 48,  # S4
    "fs_report_entry_hours": 48,  # S8
    "fs_problem_report_hours": 24,  # S11
    "fs_response_minutes": 30,  # E1
    "fs_remote_support_minutes": 60,  # E1
    "fs_stationed_onsite_minutes": 10,  # E1
    "fs_severe_onsite_extra_minutes": 60,  # E1
    "fs_onsite_hours": 24,  # E1
    "fs_severe_unfixed_hours": 2,  # E1
    "fs_parts_ship_hours": 24,  # E1
    "fs_parts_onsite_days": 2,  # E1
    "fs_hotline_dispatch_minutes": 30,  # E2
    "fs_hotline_answer_hours": 3,  # E2
    "fs_consult_callback_minutes": 60,  # E2
    "fs_shift_handover_minutes": 30,  # E2
    "fs_sla_warning_percent": 80,  # E3
    "fs_escalation_interval_hours": 2,  # E4
    "fs_complaint_rate_max_percent": 5,  # Q1
    "fs_satisfaction_min_percent": 85,  # Q1
    "fs_visit_contact_days": 5,  # Q5
    "fs_visit_reminder_days": 1,  # Q5
}


@tagged("post_install", "-at_install")
class TestSopSettings(FsSopCommon):
    def test_new_company_gets_sop_defaults(self):
        """Every SOP number starts at the rule book's value (D5, S8, E1-E4, Q1)."""
        params = self.company._fs_sop_param_fields()
        self.assertCountEqual(params, SOP_DEFAULTS)
        for name, value in SOP_DEFAULTS.items():
            self.assertEqual(self.company[name], value, name)

    def test_settings_form_writes_the_current_company(self):
        """Settings edit the company of the session, not another one."""
        settings = Form(self.env["res.config.settings"].with_company(self.company_b))
        self.assertEqual(settings.fs_report_entry_hours, 48)
        settings.fs_report_entry_hours = 36  # SOP S8 made stricter
        settings.fs_late_threshold_minutes = 10  # SOP D13
        settings.save().execute()
        self.assertEqual(self.company_b.fs_report_entry_hours, 36)
        self.assertEqual(self.company_b.fs_late_threshold_minutes, 10)
        self.assertEqual(self.company.fs_report_entry_hours, 48)

    def test_non_positive_value_is_refused_with_its_name(self):
        for value in (0, -4):
            with (
                self.assertRaisesRegex(
                    ValidationError, "Report Entry Deadline.*greater than zero"
                ),
                self.cr.savepoint(),
            ):
                self.company.fs_report_entry_hours = value
        self.assertEqual(self.company.fs_report_entry_hours, 48)

    def test_percent_outside_range_is_refused(self):
        with (
            self.assertRaisesRegex(ValidationError, "SLA Warning Threshold.*1 and 100"),
            self.cr.savepoint(),
        ):
            self.company.fs_sla_warning_percent = 120
        self.assertEqual(self.company.fs_sla_warning_percent, 80)
        self.company.fs_sla_warning_percent = 100  # the edge is allowed
        self.company.flush_recordset()
        self.assertEqual(self.company.fs_sla_warning_percent, 100)

    def test_only_administrators_change_sop_numbers(self):
        """Company settings belong to administrators, whatever the SOP role."""
        for role in ("engineer", "manager", "director"):
            user = self.users[role]
            with self.assertRaises(AccessError, msg=role):
                self.company.with_user(user).write({"fs_report_entry_hours": 12})
            with self.assertRaises(AccessError, msg=role):
                self.env["res.config.settings"].with_user(user).create(
                    {"fs_report_entry_hours": 12}
                )
        self.assertEqual(self.company.fs_report_entry_hours, 48)
        # Every role can read them: later features compute deadlines from them.
        self.assertEqual(
            self.company.with_user(self.users["engineer"]).fs_report_entry_hours, 48
        )


@tagged("post_install", "-at_install")
class TestSopSettingsChinese(FsSopCommon):
    """Users read Chinese: labels and refusals come in zh_CN (i18n/zh_CN.po)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["field_service_sop"], ["zh_CN"], overwrite=True
        )

    def test_refusal_is_translated(self):
        company = self.company.with_context(lang="zh_CN")
        with (
            self.assertRaisesRegex(ValidationError, "报告录入时限.*必须大于零"),
            self.cr.savepoint(),
        ):
            company.fs_report_entry_hours = 0

    def test_labels_and_app_name_are_translated(self):
        env = self.env(context=dict(self.env.context, lang="zh_CN"))
        field = env["res.company"]._fields["fs_verbal_confirm_hours"]
        self.assertEqual(
            field.get_description(env)["string"], "口头派工后补书面派工单（小时）"
        )
        root = env.ref("field_service_sop.fs_menu_root")
        self.assertEqual(root.name, "现场服务规范")
        self.assertEqual(
            env.ref("field_service_sop.fs_service_type_fault").name, "故障维修"
        )
