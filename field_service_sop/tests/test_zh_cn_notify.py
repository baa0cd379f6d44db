# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 12: what the scheduled actions write reads in its reader's language.

The crons run in no language: their to-dos, e-mails and notes came out in
English for everybody. Each to-do and e-mail is now in its recipient's
language; a note on a document (read by followers of any language) in the
language of the person responsible for it, else the company's.
"""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..models.fs_expense_suspension import REASONS
from .common import (
    NOW,
    FsDispatchCommon,
    FsEscalationCommon,
    FsExpenseCommon,
    FsReportCommon,
    FsSlaCommon,
)


def _zh_cn(env):
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"]._load_module_terms(
        ["field_service_sop"], ["zh_CN"], overwrite=True
    )


def _text(html):
    return str(html or "")


@tagged("post_install", "-at_install")
class TestSlaNoticesLanguage(FsSlaCommon):
    """SOP E3: the warning reaches each person in their own language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _zh_cn(cls.env)
        cls.users["engineer"].lang = "zh_CN"  # responsible (the ticket's)
        cls.users["manager"].lang = "en_US"  # his supervisor

    def test_e3_warning_in_each_readers_language(self):
        policy = self._policy(name="Remote Support")
        policy.with_context(lang="zh_CN").name = "远程支持"
        with freeze_time(datetime(2026, 3, 6, 10, 0)):
            ticket = self._tickets()
        self.assertEqual(self._timer(ticket, policy).user_id, self.users["engineer"])
        with freeze_time(datetime(2026, 3, 6, 10, 48)):
            # As the scheduled action runs: no language in the context.
            self.assertEqual(self.Timer.with_context(lang=None)._cron_fs_sla_sweep(), 1)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        by_user = {activity.user_id: activity for activity in activities}
        chinese = by_user[self.users["engineer"]]
        self.assertIn("SLA 即将超时：远程支持", chinese.summary)
        self.assertIn("远程支持", _text(chinese.note))
        english = by_user[self.users["manager"]]
        self.assertIn("SLA about to breach: Remote Support", english.summary)
        # One e-mail per language, each to its readers.
        mails = self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(
            {mail.subject: mail.recipient_ids for mail in mails},
            {
                chinese.summary: self.users["engineer"].partner_id,
                english.summary: self.users["manager"].partner_id,
            },
        )
        # The note on the ticket: the responsible's language.
        note = ticket.message_ids.filtered(lambda m: "SLA" in _text(m.body))
        self.assertEqual(len(note), 1)
        self.assertIn("SLA 即将超时：远程支持", _text(note.body))


@tagged("post_install", "-at_install")
class TestEscalationNoticesLanguage(FsEscalationCommon):
    """SOP E4: each decider is told in his language, the order's followers
    in the responsible engineer's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _zh_cn(cls.env)
        cls.engineer.lang = "zh_CN"
        cls.supervisor.lang = "en_US"
        cls.manager.lang = "zh_CN"
        cls.policy.with_context(lang="zh_CN").name = "现场 SLA"

    @freeze_time(NOW)
    def test_e4_escalations_in_each_readers_language(self):
        timer = self._timer()
        escalations = (
            self.env["fs.escalation"]
            .with_context(lang=None)
            .sudo()
            ._fs_create_escalations([(timer, 1), (timer, 2)])
        )
        level_1, level_2 = escalations.sorted("level")
        self.assertEqual(level_1.user_id, self.supervisor)
        self.assertEqual(level_1.activity_ids.summary, "Decide on the SLA escalation")
        self.assertIn("Test on-site SLA", _text(level_1.activity_ids.note))
        self.assertEqual(level_2.user_id, self.manager)
        self.assertEqual(level_2.activity_ids.summary, "对 SLA 升级作出决定")
        self.assertIn("现场 SLA", _text(level_2.activity_ids.note))
        mails = self.env["mail.mail"].search(
            [("recipient_ids", "in", (self.supervisor | self.manager).partner_id.ids)]
        )
        subjects = {mail.recipient_ids: mail.subject for mail in mails}
        self.assertTrue(
            subjects[self.supervisor.partner_id].startswith("SLA escalation: ")
        )
        self.assertTrue(
            subjects[self.manager.partner_id].startswith("SLA 升级：现场 SLA")
        )
        # The order's note: in the responsible engineer's language.
        note = self.order.message_ids.filtered(lambda m: "SLA" in _text(m.body))
        self.assertEqual(len(note), 1)
        self.assertIn("SLA 已超时：现场 SLA", _text(note.body))
        self.assertIn("已升级到第 1 级", _text(note.body))
        self.assertIn("已升级到第 2 级", _text(note.body))


@tagged("post_install", "-at_install")
class TestVerbalOverdueLanguage(FsDispatchCommon):
    """SOP D5: the dispatcher's manager gets the overdue to-do in his
    language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _zh_cn(cls.env)
        Employee = cls.env["hr.employee"]
        manager = Employee.create(
            {
                "name": "Manager",
                "user_id": cls.users["manager"].id,
                "company_id": cls.company.id,
            }
        )
        Employee.create(
            {
                "name": "Dispatcher",
                "user_id": cls.users["dispatcher"].id,
                "company_id": cls.company.id,
                "parent_id": manager.id,
            }
        )
        cls._delegate(cls, date_from=date(2026, 11, 1), date_to=date(2026, 12, 31))
        cls.users["manager"].lang = "zh_CN"

    def test_d5_overdue_todo_in_the_managers_language(self):
        order = self._order(purpose=False, content=False)
        with freeze_time(datetime(2026, 11, 2, 8, 0)):
            order.with_user(self.users["dispatcher"]).action_issue_verbal()
        Order = self.env["fs.dispatch.order"].with_context(lang=None)
        with freeze_time(datetime(2026, 11, 3, 9, 0)):
            self.assertEqual(Order._cron_escalate_overdue_verbal(), 1)
        activity = order.activity_ids.filtered(
            lambda a: a.user_id == self.users["manager"]
        )
        self.assertEqual(activity.summary, "书面派工单逾期（规范 D5）")


@tagged("post_install", "-at_install")
class TestAssessmentNoteLanguage(FsReportCommon):
    """SOP S4: the engineer assessment found by the cron is noted on the
    report in the company's language."""

    def test_s4_assessment_note_in_the_companys_language(self):
        _zh_cn(self.env)
        self.company.partner_id.lang = "zh_CN"
        self.company.fs_signature_grace_hours = 48
        report = self._complete(self._report())
        departure = report.departure_at
        with freeze_time(departure + timedelta(hours=49)):
            self.env["fs.service.report"].with_context(
                lang=None
            )._cron_fs_check_assessments()
        notes = report.message_ids.filtered(lambda m: "S4" in _text(m.body))
        self.assertTrue(notes)
        for note in notes:
            self.assertIn("已为", _text(note.body))
            self.assertNotIn("Engineer assessment recorded", _text(note.body))


@tagged("post_install", "-at_install")
class TestSuspensionReasonsLanguage(FsExpenseCommon):
    """SOP R1: the employee reads why his expense is suspended in his
    language, even before the module's field labels are translated in the
    database (the demo expenses are suspended while the module installs)."""

    def test_r1_reasons_in_the_employees_language_at_install(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        # As during the install: the reason labels not translated yet.
        field = self.env["ir.model.fields"]._get("fs.expense.suspension", "reason")
        self.env.cr.execute(
            SQL(
                "UPDATE ir_model_fields_selection SET name = name - 'zh_CN' "
                "WHERE field_id = %s",
                field.id,
            )
        )
        self.env.registry.clear_cache()
        self.env.invalidate_all()
        self.lead.user_id.lang = "zh_CN"
        expense = self._expense()
        self.assertTrue(expense.fs_suspended)
        note = expense.message_ids.filtered(lambda m: "R1" in _text(m.body))
        self.assertEqual(len(note), 1)
        self.assertIn("未引用派工单", _text(note.body))
        self.assertNotIn("No dispatch order cited", _text(note.body))

    def test_r1_reason_labels_are_the_fields(self):
        """The code terms say what the field's labels say (one wording)."""
        english = self.env(context=dict(self.env.context, lang="en_US"))
        self.assertEqual(
            self.env["hr.expense"]._fs_reason_labels(english), dict(REASONS)
        )
