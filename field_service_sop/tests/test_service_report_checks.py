# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import ARRIVAL, FsReportCommon

DEPARTURE = ARRIVAL + timedelta(hours=3)


@tagged("post_install", "-at_install")
class TestUnresolved(FsReportCommon):
    def test_s9_unsolved_refused_until_dispatcher_notified(self):
        """SOP S9: no signature of an unsolved report before the notification."""
        report = self._unsolved()
        engineer = report.with_user(self.users["engineer"])
        with self.assertRaisesRegex(UserError, "notify the dispatcher"):
            engineer.action_to_sign()
        with self.assertRaisesRegex(UserError, "notify the dispatcher"):
            engineer.write({"state": "to_sign"})
        with self.assertRaisesRegex(UserError, "notify the dispatcher"):
            engineer.action_customer_sign(self._accept_values())
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.signed_at)

    def test_s9_phone_confirmation_also_refused(self):
        """SOP S9: the phone path (S3) is held back the same way."""
        report = self._unsolved("not_solved")
        report.with_user(self.users["dispatcher"]).write(
            {
                "rating_attitude": "3",
                "rating_response": "3",
                "rating_effect": "2",
                "rating_overall": "5",
                "phone_contact_id": self.contact.id,
                "phone_called_at": datetime(2026, 3, 3, 10, 0),
                "phone_confirmation": "Confirmed",
            }
        )
        with self.assertRaisesRegex(UserError, "notify the dispatcher"):
            report.with_user(self.users["dispatcher"]).action_phone_confirm()
        self.assertEqual(report.state, "draft")

    def test_s9_notify_records_who_when_what(self):
        """SOP S9: the notification is stamped, posted and scheduled."""
        report = self._unsolved()
        engineer = report.with_user(self.users["engineer"])
        with self.assertRaisesRegex(UserError, "write the message"):
            engineer.action_notify_dispatcher("  ")
        engineer.write({"dispatcher_notice": "Need new firmware, back Monday"})
        engineer.action_notify_dispatcher()
        self.assertTrue(report.notified_dispatcher_at)
        self.assertEqual(report.notified_dispatcher_by_id, self.users["engineer"])
        self.assertEqual(
            report.notified_dispatcher_note, "Need new firmware, back Monday"
        )
        activity = report.activity_ids.filtered(
            lambda a: a.user_id == self.users["dispatcher"]
        )
        self.assertEqual(len(activity), 1)
        self.assertIn("Need new firmware", report.message_ids[0].body)
        engineer.action_customer_sign(self._accept_values())
        self.assertEqual(report.state, "signed")

    def test_s9_notify_refusals(self):
        """SOP S9: wrong user, solved result, and direct writes of the stamps."""
        report = self._unsolved()
        with self.assertRaises(AccessError):
            report.with_user(self.users["test_manager"]).action_notify_dispatcher("x")
        with self.assertRaises(AccessError):
            report.with_user(self.plain_user).action_notify_dispatcher("x")
        for role in ("engineer", "dispatcher", "manager"):
            with self.assertRaises(AccessError):
                report.with_user(self.users[role]).write(
                    {"notified_dispatcher_at": datetime(2026, 3, 2, 11, 0)}
                )
        self.assertFalse(report.notified_dispatcher_at)
        report.with_user(self.users["engineer"]).write({"result": "solved"})
        with self.assertRaisesRegex(UserError, "partly or not solved"):
            report.with_user(self.users["engineer"]).action_notify_dispatcher("x")

    def test_s9_solved_needs_no_notification(self):
        """SOP S9: a fully solved report signs without notification."""
        report = self._signed()
        self.assertEqual(report.state, "signed")
        self.assertFalse(report.notified_dispatcher_at)

    def test_s9_create_ticket_from_open_issues(self):
        """SOP S9: one click, linked, by an engineer without helpdesk rights."""
        report = self._unsolved()
        report.with_user(self.users["engineer"]).action_create_ticket()
        ticket = report.found_ticket_ids
        self.assertEqual(len(ticket), 1)
        self.assertEqual(report.found_ticket_count, 1)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.company_id, self.company)
        self.assertIn("firmware too old", ticket.description)
        self.assertEqual(ticket.fs_found_report_id, report)

    def test_s9_create_ticket_refusals(self):
        """SOP S9: strangers and empty open issues create nothing."""
        report = self._unsolved()
        with self.assertRaises(AccessError):
            report.with_user(self.users["test_manager"]).action_create_ticket()
        report.with_user(self.users["engineer"]).write({"open_issues": False})
        with self.assertRaisesRegex(UserError, "open issues"):
            report.with_user(self.users["engineer"]).action_create_ticket()
        with self.assertRaises(AccessError):
            report.with_user(self.users["engineer"]).write(
                {"found_ticket_ids": [(0, 0, {"name": "x", "description": "y"})]}
            )
        self.assertFalse(report.found_ticket_ids)


@tagged("post_install", "-at_install")
class TestMaintenanceRecord(FsReportCommon):
    def test_s10_missing_record_flags_and_asks_engineer(self):
        """SOP S10: missing -> flag + activity; linked -> flag cleared, done."""
        report = self._signed()
        report.with_user(self.users["dispatcher"]).action_check_record()
        self.assertTrue(report.record_missing)
        self.assertEqual(report.record_checked_by_id, self.users["dispatcher"])
        activity = report.record_activity_id
        self.assertEqual(activity.user_id, self.users["engineer"])
        # The lead engineer links the record on the signed report.
        ticket = self._ticket()
        report.with_user(self.users["engineer"]).write(
            {"maintenance_ticket_id": ticket.id}
        )
        self.assertFalse(report.record_missing)
        self.assertFalse(report.record_activity_id)
        self.assertFalse(activity.exists())
        self.assertEqual(report.state, "signed")
        # Unlinking it again raises the flag.
        report.with_user(self.users["dispatcher"]).write(
            {"maintenance_ticket_id": False}
        )
        self.assertTrue(report.record_missing)

    def test_s10_check_with_record_present(self):
        """SOP S10: a linked record passes the check."""
        report = self._report(maintenance_ticket_id=self._ticket().id)
        report.with_user(self.users["dispatcher"]).action_check_record()
        self.assertFalse(report.record_missing)
        self.assertTrue(report.record_checked_at)

    def test_s10_only_dispatchers_check_and_flags_are_system(self):
        """SOP S10: engineers cannot check; nobody writes the flag directly."""
        report = self._signed()
        with self.assertRaises(AccessError):
            report.with_user(self.users["engineer"]).action_check_record()
        self.assertFalse(report.record_checked_at)
        draft = self._report(order=self._issued_order(service_type_id=self.health.id))
        for role in ("engineer", "dispatcher", "manager"):
            with self.assertRaises(AccessError):
                draft.with_user(self.users[role]).write({"record_missing": True})
        report.with_user(self.users["dispatcher"]).action_check_record()
        for role in ("engineer", "dispatcher", "manager"):
            with self.assertRaises(AccessError):
                report.with_user(self.users[role]).write({"record_missing": False})
        self.assertTrue(report.record_missing)

    def test_s10_record_of_another_customer_refused(self):
        """SOP S10: the record must be this customer's ticket."""
        report = self._report()
        with self.assertRaises(ValidationError):
            report.with_user(self.users["engineer"]).write(
                {"maintenance_ticket_id": self._ticket(partner=self.stranger).id}
            )


@tagged("post_install", "-at_install")
class TestEngineerAssessment(FsReportCommon):
    def _cron(self, **kwargs):
        return self.env["fs.service.report"]._cron_fs_check_assessments(
            batch_size=kwargs.get("batch_size", 10000)
        )

    def test_s4_grace_period_then_cron_is_idempotent(self):
        """SOP S4: unsigned past the grace period counts once per reason."""
        self.company.fs_signature_grace_hours = 48
        report = self._complete(self._report())
        with freeze_time(DEPARTURE + timedelta(hours=47)):
            self._cron()
            self.assertFalse(self._assessments(report))
        with freeze_time(DEPARTURE + timedelta(hours=49)):
            self._cron()
            assessments = self._assessments(report)
            self.assertEqual(
                set(assessments.mapped("reason")),
                {"missing_signature", "missing_rating"},
            )
            self.assertEqual(assessments.employee_id, self.lead)
            self.assertEqual(assessments.order_id, report.order_id)
            self.assertEqual(assessments.company_id, self.company)
            self.assertTrue(report.assessment_checked_at)
            self._cron()
            # A second pass, even after clearing the flag, adds nothing.
            report.sudo().assessment_checked_at = False
            self._cron()
            self.assertEqual(self._assessments(report), assessments)

    def test_s4_signed_report_not_assessed(self):
        """SOP S4: signed and rated in time: nothing recorded."""
        report = self._signed()
        with freeze_time(DEPARTURE + timedelta(days=10)):
            self._cron()
        self.assertTrue(report.assessment_checked_at)
        self.assertFalse(self._assessments(report))

    def test_s4_phone_confirmed_counts_as_missing_signature(self):
        """SOP S3/S4: a forgotten signature confirmed by phone still counts."""
        report = self._complete(self._report())
        report.with_user(self.users["dispatcher"]).write(
            {
                "rating_attitude": "4",
                "rating_response": "4",
                "rating_effect": "4",
                "rating_overall": "8",
                "phone_contact_id": self.contact.id,
                "phone_called_at": datetime(2026, 3, 3, 10, 0),
                "phone_confirmation": "Confirmed",
            }
        )
        report.with_user(self.users["dispatcher"]).action_phone_confirm()
        with freeze_time(DEPARTURE + timedelta(days=3)):
            self._cron()
        self.assertEqual(
            self._assessments(report).mapped("reason"), ["missing_signature"]
        )

    def test_s4_cron_batches_are_bounded(self):
        """SOP S4: the cron takes at most batch_size reports per run."""
        first = self._complete(self._report())
        second = self._complete(
            self._report(order=self._issued_order(service_type_id=self.health.id))
        )
        with freeze_time(DEPARTURE + timedelta(days=30)):
            done = self._cron(batch_size=1)
            self.assertEqual(len(done), 1)
            self._cron()
        self.assertTrue(first.assessment_checked_at and second.assessment_checked_at)

    def test_s4_company_grace_hours(self):
        """SOP S4: the grace period is the company's setting."""
        self.company.fs_signature_grace_hours = 100
        report = self._complete(self._report())
        with freeze_time(DEPARTURE + timedelta(hours=99)):
            self._cron()
        self.assertFalse(self._assessments(report))
        with freeze_time(DEPARTURE + timedelta(hours=101)):
            self._cron()
        self.assertTrue(self._assessments(report))

    def test_s4_forged_signature_by_manager_only(self):
        """SOP S4: a manager marks a signature forged; others are refused."""
        report = self._signed()
        for role in ("engineer", "dispatcher"):
            with self.assertRaises(AccessError):
                report.with_user(self.users[role]).action_mark_forged("Not hers")
        manager = report.with_user(self.users["manager"])
        with self.assertRaisesRegex(UserError, "reason"):
            manager.action_mark_forged(" ")
        with self.assertRaises(AccessError):
            manager.write({"signature_forged": True})
        manager.action_mark_forged("Signer was on holiday that day")
        self.assertTrue(report.signature_forged)
        self.assertEqual(report.forged_by_id, self.users["manager"])
        assessment = self._assessments(report)
        self.assertEqual(assessment.reason, "forged_signature")
        self.assertEqual(assessment.created_by_id, self.users["manager"])
        self.assertEqual(assessment.note, "Signer was on holiday that day")
        with self.assertRaisesRegex(UserError, "already"):
            manager.action_mark_forged("again")
        # The stamp cannot be written directly on a draft report either.
        draft = self._report(order=self._issued_order(service_type_id=self.health.id))
        with self.assertRaises(AccessError):
            draft.with_user(self.users["manager"]).write({"signature_forged": True})

    def test_s4_forged_through_the_wizard(self):
        """The form's wizard asks the reason and keeps the manager-only rule."""
        report = self._signed()
        Wizard = self.env["fs.service.report.forged"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.users["dispatcher"]).create(
                {"report_id": report.id, "reason": "x"}
            )
        wizard = (
            Wizard.with_user(self.users["manager"])
            .with_context(active_model="fs.service.report", active_id=report.id)
            .create({"reason": "Not the customer's hand"})
        )
        wizard.action_confirm()
        self.assertTrue(report.signature_forged)
        self.assertEqual(self._assessments(report).reason, "forged_signature")

    def test_s4_assessments_are_evidence(self):
        """SOP S4: nobody creates, changes or deletes an assessment by hand."""
        report = self._signed()
        report.with_user(self.users["manager"]).action_mark_forged("Forged")
        assessment = self._assessments(report)
        Assessment = self.env["fs.engineer.assessment"]
        for role in ("engineer", "manager", "director"):
            with self.assertRaises(AccessError):
                Assessment.with_user(self.users[role]).create(
                    {
                        "employee_id": self.lead.id,
                        "report_id": report.id,
                        "company_id": self.company.id,
                        "reason": "missing_rating",
                    }
                )
            with self.assertRaises(AccessError):
                assessment.with_user(self.users[role]).write({"note": "x"})
            with self.assertRaises(AccessError):
                assessment.with_user(self.users[role]).unlink()
        with self.assertRaises(AccessError):
            report.with_user(self.users["manager"]).write(
                {"assessment_ids": [(2, assessment.id)]}
            )
        self.assertTrue(assessment.exists())

    def test_s4_read_rights_and_smart_button(self):
        """SOP S4: the engineer and managers read it; colleagues do not."""
        report = self._signed()
        report.with_user(self.users["manager"]).action_mark_forged("Forged")
        assessment = self._assessments(report)
        assessment.with_user(self.users["engineer"]).read(["reason"])
        assessment.with_user(self.users["manager"]).read(["reason"])
        for user in (self.users["product_owner"], self.users["dispatcher"]):
            with self.assertRaises(AccessError):
                assessment.with_user(user).read(["reason"])
        self.users["manager"].write(
            {"company_ids": [(4, self.company_b.id)], "company_id": self.company_b.id}
        )
        other = self.env["fs.engineer.assessment"].with_user(self.users["manager"])
        self.assertFalse(
            other.with_context(allowed_company_ids=[self.company_b.id]).search(
                [("id", "=", assessment.id)]
            )
        )
        lead = self.lead.with_user(self.users["manager"])
        self.assertEqual(lead.fs_assessment_count, 1)
        action = lead.action_view_fs_assessments()
        self.assertEqual(action["domain"], [("employee_id", "=", self.lead.id)])


@tagged("post_install", "-at_install")
class TestFoundOnSiteConfirmation(FsReportCommon):
    """SOP S9: problems found on site go to the test lead, who confirms them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        helpdesk = cls.env.ref("helpdesk_mgmt.group_helpdesk_user")
        # The test lead works in the ticket system (helpdesk rights of his own).
        cls.users["test_manager"].groups_id = [(4, helpdesk.id)]
        cls.users["manager"].groups_id = [(4, helpdesk.id)]
        cls.env["res.company"].search([]).fs_test_lead_id = False

    def _found_ticket(self):
        report = self._unsolved()
        report.with_user(self.users["engineer"]).action_create_ticket()
        return self.env["helpdesk.ticket"].search(
            [("fs_found_report_id", "=", report.id)]
        )

    def test_s9_found_ticket_waits_for_test_lead(self):
        """SOP S9: the ticket is To Confirm with an activity for the test lead
        (the first active Test Manager when the company names none)."""
        ticket = self._found_ticket()
        self.assertEqual(ticket.fs_confirm_state, "to_confirm")
        activity = ticket.fs_confirm_activity_id
        self.assertEqual(activity.user_id, self.users["test_manager"])
        self.assertIn(
            ticket,
            self.env["helpdesk.ticket"].search(
                [("fs_confirm_state", "=", "to_confirm")]
            ),
        )

    def test_s9_company_test_lead_setting(self):
        """SOP S9: the company's test lead gets the activity; only a Test
        Manager may be named."""
        lead = new_test_user(
            self.env,
            login="fs_unit_test_lead",
            groups="base.group_user,field_service_sop.group_fs_test_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaisesRegex(ValidationError, "not a Test Manager"):
            self.company.fs_test_lead_id = self.users["engineer"]
        settings = Form(self.env["res.config.settings"].with_company(self.company))
        settings.fs_test_lead_id = lead
        settings.save().execute()
        self.assertEqual(self.company.fs_test_lead_id, lead)
        ticket = self._found_ticket()
        self.assertEqual(ticket.fs_confirm_activity_id.user_id, lead)

    @freeze_time("2026-03-04 08:00:00")
    def test_s9_test_lead_confirms(self):
        """SOP S9: the test lead confirms; who and when are stamped and the
        activity is done."""
        ticket = self._found_ticket()
        activity = ticket.fs_confirm_activity_id
        ticket.with_user(self.users["test_manager"]).action_fs_confirm_found()
        self.assertEqual(ticket.fs_confirm_state, "confirmed")
        self.assertEqual(ticket.fs_confirmed_by_id, self.users["test_manager"])
        self.assertEqual(ticket.fs_confirmed_date, datetime(2026, 3, 4, 8, 0))
        self.assertFalse(activity.exists())
        self.assertFalse(ticket.fs_confirm_activity_id)
        with self.assertRaisesRegex(UserError, "awaiting confirmation"):
            ticket.with_user(self.users["manager"]).action_fs_confirm_found()

    def test_s9_manager_may_confirm(self):
        """SOP S9: an Engineering Manager may confirm in the test lead's place."""
        ticket = self._found_ticket()
        ticket.with_user(self.users["manager"]).action_fs_confirm_found()
        self.assertEqual(ticket.fs_confirmed_by_id, self.users["manager"])

    def test_s9_confirm_refused_to_others(self):
        """SOP S9: engineers, dispatchers and helpdesk users do not confirm,
        by the button or by writing the fields."""
        ticket = self._found_ticket()
        helpdesk_user = new_test_user(
            self.env,
            login="fs_unit_helpdesk",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        for user in (
            self.users["engineer"],
            self.users["dispatcher"],
            self.users["product_owner"],
            helpdesk_user,
        ):
            with self.assertRaises(AccessError):
                ticket.with_user(user).action_fs_confirm_found()
        with self.assertRaises(AccessError):
            ticket.with_user(helpdesk_user).write({"fs_confirm_state": "confirmed"})
        with self.assertRaises(AccessError):
            ticket.with_user(helpdesk_user).write(
                {"fs_confirmed_by_id": helpdesk_user.id}
            )
        # Even the test lead confirms by the button only (who and when).
        for user in (self.users["test_manager"], self.users["manager"]):
            with self.assertRaisesRegex(UserError, "Confirm"):
                ticket.with_user(user).write({"fs_confirm_state": "confirmed"})
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(helpdesk_user).create(
                {
                    "name": "Preconfirmed",
                    "description": "x",
                    "fs_confirm_state": "confirmed",
                }
            )
        self.assertEqual(ticket.fs_confirm_state, "to_confirm")
        self.assertFalse(ticket.fs_confirmed_by_id)

    def test_s9_ordinary_ticket_needs_no_confirmation(self):
        """SOP S9: only tickets found on site wait for the test lead."""
        ticket = self._ticket()
        self.assertFalse(ticket.fs_confirm_state)
        self.assertFalse(ticket.fs_confirm_activity_id)
        with self.assertRaisesRegex(UserError, "not a problem found on site"):
            ticket.with_user(self.users["test_manager"]).action_fs_confirm_found()

    def test_s9_ticket_form_for_helpdesk_and_test_lead(self):
        """SOP S9: the found-on-site ticket opens for a helpdesk user without
        SOP rights (no report link) and shows the Confirm button to the lead."""
        ticket = self._found_ticket()
        helpdesk_user = new_test_user(
            self.env,
            login="fs_unit_helpdesk_form",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        form = Form(ticket.with_user(helpdesk_user))
        self.assertEqual(form.fs_confirm_state, "to_confirm")
        arch = (
            self.env["helpdesk.ticket"]
            .with_user(self.users["test_manager"])
            .get_view(view_type="form")["arch"]
        )
        self.assertIn("action_fs_confirm_found", arch)
        arch = (
            self.env["helpdesk.ticket"]
            .with_user(helpdesk_user)
            .get_view(view_type="form")["arch"]
        )
        self.assertNotIn("action_fs_confirm_found", arch)
        self.assertNotIn("fs_found_report_id", arch)


@tagged("post_install", "-at_install")
class TestDispatcherNotifiedLate(FsReportCommon):
    """SOP S9: notify the dispatcher before leaving the site."""

    def _notify_at(self, when):
        report = self._unsolved()
        with freeze_time(when):
            report.with_user(self.users["engineer"]).action_notify_dispatcher(
                "Firmware missing, back Monday"
            )
        return report

    def test_s9_notice_before_departure_is_on_time(self):
        """SOP S9: a notice before the recorded departure is not flagged."""
        report = self._notify_at(DEPARTURE - timedelta(minutes=10))
        self.assertFalse(report.dispatcher_notified_late)
        report.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values()
        )
        self.assertEqual(report.state, "signed")
        self.assertFalse(report.dispatcher_notified_late)

    def test_s9_notice_after_departure_is_flagged_late(self):
        """SOP S9: a notice after leaving is flagged (still needed to sign),
        searchable, and follows a corrected departure time."""
        report = self._notify_at(DEPARTURE + timedelta(hours=2))
        self.assertTrue(report.dispatcher_notified_late)
        Report = self.env["fs.service.report"]
        self.assertIn(report, Report.search([("dispatcher_notified_late", "=", True)]))
        report.with_user(self.users["engineer"]).write(
            {"departure_at": DEPARTURE + timedelta(hours=3)}
        )
        self.assertFalse(report.dispatcher_notified_late)

    def test_s9_late_flag_cannot_be_written(self):
        """SOP S9: the flag is derived; nobody writes it, directly or on create."""
        report = self._notify_at(DEPARTURE + timedelta(hours=2))
        for role in ("engineer", "dispatcher", "manager"):
            with self.assertRaises(AccessError):
                report.with_user(self.users[role]).write(
                    {"dispatcher_notified_late": False}
                )
        self.assertTrue(report.dispatcher_notified_late)
        with self.assertRaises(UserError):
            self._report(dispatcher_notified_late=True)

    def test_s9_notice_still_required_before_signing(self):
        """SOP S9: the late flag does not replace the notice itself."""
        report = self._unsolved()
        with self.assertRaisesRegex(UserError, "notify the dispatcher"):
            report.with_user(self.users["engineer"]).action_customer_sign(
                self._accept_values()
            )
        self.assertFalse(report.dispatcher_notified_late)
