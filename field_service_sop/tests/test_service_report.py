# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ARRIVAL, SIGNATURE, FsReportCommon


@tagged("post_install", "-at_install")
class TestServiceReportOrder(FsReportCommon):
    def test_s1_report_carries_order_number_and_dispatcher(self):
        """SOP S1: number, order, dispatcher, customer, lead and visit defaults."""
        report = self._report()
        self.assertTrue(report.name.startswith("FW"))
        self.assertEqual(report.order_number, report.order_id.name)
        self.assertEqual(report.dispatcher_id, self.users["dispatcher"])
        self.assertEqual(report.partner_id, self.customer)
        self.assertEqual(report.engineer_id, self.lead)
        self.assertEqual(report.company_id, self.company)
        self.assertEqual(report.arrival_at, ARRIVAL)
        self.assertEqual(report.service_type_id, self.health)
        order = report.order_id
        self.assertEqual(order.service_report_count, 1)
        self.assertEqual(order.action_view_service_reports()["res_id"], report.id)

    def test_s1_needs_an_issued_order(self):
        """SOP S1: a draft order has no report."""
        order = self._order()
        with self.assertRaisesRegex(UserError, "issued dispatch order"):
            self._report(order=order)

    def test_s1_one_live_report_per_order(self):
        """SOP S1: one report per visit, unless the previous one is cancelled."""
        report = self._report()
        order = report.order_id
        with self.assertRaises(ValidationError):
            self._report(order=order)
        with self.assertRaises(ValidationError):
            self.env["fs.service.report"].create({"order_id": order.id})
        report.with_user(self.users["dispatcher"]).action_cancel()
        second = self._report(order=order)
        self.assertEqual(second.state, "draft")
        # The cancelled one cannot come back while the second lives.
        with self.assertRaises(ValidationError):
            report.with_user(self.users["dispatcher"]).action_reset_draft()
        # The database refuses it too (partial unique index).
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "UPDATE fs_service_report SET state = 'draft' WHERE id = %s",
                    [report.id],
                )

    def test_s1_only_engineers_of_the_order_or_dispatchers(self):
        """Rights: an engineer not on the order creates and reads nothing."""
        order = self._issued_order(service_type_id=self.health.id)
        with self.assertRaises(AccessError):
            self._report(user="test_manager", order=order)
        report = self._report(user="dispatcher", order=order)
        with self.assertRaises(AccessError):
            report.with_user(self.users["test_manager"]).read(["name"])
        with self.assertRaises(AccessError):
            report.with_user(self.users["test_manager"]).write({"symptoms": "x"})

    def test_s1_other_company_cannot_read(self):
        """Multi-company: a report of company A is invisible from company B."""
        report = self._report()
        self.users["dispatcher"].write(
            {
                "company_ids": [(4, self.company_b.id)],
                "company_id": self.company_b.id,
            }
        )
        other = report.with_user(self.users["dispatcher"]).with_context(
            allowed_company_ids=[self.company_b.id]
        )
        with self.assertRaises(AccessError):
            other.read(["name"])

    def test_d9_history_lists_previous_reports(self):
        """SOP D9: the customer's earlier reports show on the next order."""
        report = self._report()
        next_order = self._issued_order()
        self.assertIn(report, next_order.previous_report_ids)
        self.assertNotIn(report, report.order_id.previous_report_ids)

    def test_create_button_on_order(self):
        """The order's button writes its report and opens it."""
        order = self._issued_order(service_type_id=self.health.id)
        action = order.with_user(self.users["engineer"]).action_create_service_report()
        report = self.env["fs.service.report"].browse(action["res_id"])
        self.assertEqual(report.order_id, order)


@tagged("post_install", "-at_install")
class TestServiceReportContent(FsReportCommon):
    def test_s7_severity_suggested_and_editable(self):
        """SOP S7: severe / normal / minor from result and hours, editable."""
        report = self._report()
        cases = [
            (1, "solved", False, "minor"),
            (3, "solved", False, "normal"),
            (1, "partly", False, "normal"),
            (5, "not_solved", False, "severe"),
            (1, "solved", True, "severe"),
        ]
        for hours, result, loss, expected in cases:
            report.with_user(self.users["engineer"]).write(
                {
                    "departure_at": ARRIVAL + timedelta(hours=hours),
                    "result": result,
                    "major_data_loss": loss,
                }
            )
            self.assertEqual(report.hours_on_site, hours)
            self.assertEqual(report.severity, expected, (hours, result, loss))
        report.with_user(self.users["engineer"]).severity = "minor"
        self.assertEqual(report.severity, "minor")

    def test_s7_engineer_edits_draft_only(self):
        """Rights: after "ready to sign" the engineer records acceptance only."""
        report = self._complete(self._report())
        report.with_user(self.users["engineer"]).action_to_sign()
        self.assertEqual(report.state, "to_sign")
        with self.assertRaisesRegex(AccessError, "no longer|acceptance"):
            report.with_user(self.users["engineer"]).write({"work_done": "other"})
        with self.assertRaises(AccessError):
            report.part_ids.with_user(self.users["engineer"]).write({"new_serial": "X"})
        report.with_user(self.users["engineer"]).write({"rating_attitude": "4"})
        report.with_user(self.users["engineer"]).action_reset_draft()
        report.with_user(self.users["engineer"]).write({"work_done": "other"})

    def test_s7_to_sign_needs_content(self):
        """SOP S7: departure, work done and result before the customer signs."""
        report = self._report()
        with self.assertRaisesRegex(UserError, "the departure, the work done"):
            report.with_user(self.users["engineer"]).action_to_sign()
        with self.assertRaises(UserError):
            report.with_user(self.users["engineer"]).write({"state": "to_sign"})

    def test_stamps_only_through_actions(self):
        """Evidence fields are never written directly (RPC)."""
        report = self._report()
        for vals in (
            {"signed_at": datetime(2026, 3, 2)},
            {"sign_channel": "device"},
            {"fingerprint": "0" * 64},
            {"consent_signed_at": datetime(2026, 3, 2)},
            {"name": "FW-FAKE"},
        ):
            with self.assertRaises(AccessError):
                report.with_user(self.users["dispatcher"]).write(vals)
        with self.assertRaises(UserError):
            self._report(order=self._issued_order(), state="signed")
        with self.assertRaises(AccessError):
            report.with_user(self.users["engineer"]).write(
                {"phone_confirmation": "all fine"}
            )


@tagged("post_install", "-at_install")
class TestServiceReportConsent(FsReportCommon):
    def _fault_report(self):
        return self._report(order=self._issued_order())  # fault touches systems

    def _consent(self, report, **vals):
        values = {
            "consent_os_backup": True,
            "consent_os_backup_at": datetime(2026, 3, 1, 22, 0),
            "consent_data_backup": True,
            "consent_data_backup_at": datetime(2026, 3, 1, 23, 0),
            "consent_downtime_approved": True,
            "consent_recovery_kept": True,
            "consent_signer_id": self.contact.id,
            "consent_signature": SIGNATURE,
        }
        values.update(vals)
        report.with_user(self.users["engineer"]).write(values)
        return report.with_user(self.users["engineer"]).action_consent_sign()

    def test_s6_no_work_before_consent(self):
        """SOP S5, S6: work fields refused until the customer consented."""
        report = self._fault_report()
        self.assertTrue(report.consent_required)
        for vals in (
            {"work_done": "Rebuilt"},
            {"result": "solved"},
            {"cause": "Disk"},
            {"part_ids": [(0, 0, {"description": "disk"})]},
        ):
            with self.assertRaisesRegex(UserError, "consent"):
                report.with_user(self.users["engineer"]).write(vals)
            with self.assertRaisesRegex(UserError, "consent"):
                report.with_user(self.users["dispatcher"]).write(vals)
        with self.assertRaisesRegex(UserError, "consent"):
            self.env["fs.service.report.part"].with_user(self.users["engineer"]).create(
                {"report_id": report.id, "description": "disk"}
            )
        with self.assertRaisesRegex(UserError, "consent"):
            self._report(order=self._issued_order(), work_done="Rebuilt")
        # Symptoms are observations, not work.
        report.with_user(self.users["engineer"]).write({"symptoms": "Beeping"})

    def test_s6_consent_needs_backups_downtime_recovery_signature(self):
        """SOP S6: each confirmation and the signature are required."""
        report = self._fault_report()
        with self.assertRaisesRegex(UserError, "last data backup time"):
            self._consent(report, consent_data_backup_at=False)
        with self.assertRaisesRegex(UserError, "signature"):
            self._consent(report, consent_signature=False)
        self.assertFalse(report.consent_signed_at)

    def test_s5_consent_signer_is_the_customer(self):
        """SOP S5: never the engineer; only a contact of the customer."""
        report = self._fault_report()
        with self.assertRaisesRegex(UserError, "staff"):
            self._consent(
                report, consent_signer_id=self.users["engineer"].partner_id.id
            )
        with self.assertRaisesRegex(UserError, "not a contact"):
            self._consent(report, consent_signer_id=self.stranger.id)

    def test_s6_consent_then_work_and_consent_frozen(self):
        """SOP S6: after consent the work is recorded; consent is final."""
        report = self._fault_report()
        self._consent(report)
        self.assertTrue(report.consent_signed_at)
        self.assertEqual(report.consent_recorded_by_id, self.users["engineer"])
        self._complete(report)
        self.assertEqual(report.result, "solved")
        with self.assertRaisesRegex(UserError, "consent is signed"):
            report.with_user(self.users["engineer"]).write(
                {"consent_downtime_approved": False}
            )


@tagged("post_install", "-at_install")
class TestServiceReportAcceptance(FsReportCommon):
    def test_s2_s12_sign_on_device(self):
        """SOP S2, S12: ratings and signature close the report, with evidence."""
        report = self._signed()
        self.assertEqual(report.state, "signed")
        self.assertEqual(report.sign_channel, "device")
        self.assertEqual(report.sign_recorded_by_id, self.users["engineer"])
        self.assertTrue(report.signed_at)
        self.assertTrue(report.entered_at)
        self.assertEqual(len(report.fingerprint), 64)
        self.assertEqual(report.rating_overall_score, 9)
        self.assertAlmostEqual(report.rating_average, 14 / 3, places=2)

    def test_s12_no_close_without_ratings_or_signature(self):
        """SOP S12: refused without any rating or without the signature."""
        report = self._complete(self._report())
        engineer = report.with_user(self.users["engineer"])
        with self.assertRaisesRegex(UserError, "rates"):
            engineer.action_customer_sign(self._accept_values(rating_effect=False))
        with self.assertRaisesRegex(UserError, "signs"):
            engineer.action_customer_sign(self._accept_values(signature=False))
        # A raw state write goes through the same checks.
        with self.assertRaises(UserError):
            engineer.write({"state": "signed"})
        self.assertEqual(report.state, "draft")

    def test_s5_signer_never_the_engineer(self):
        """SOP S5: the engineer, staff or a stranger cannot be the signer."""
        report = self._complete(self._report())
        engineer = report.with_user(self.users["engineer"])
        for partner, message in (
            (self.users["engineer"].partner_id, "staff"),
            (self.users["dispatcher"].partner_id, "staff"),
            (self.stranger, "not a contact"),
        ):
            with self.assertRaisesRegex(UserError, message):
                engineer.action_customer_sign(self._accept_values(signer_id=partner.id))
        self.assertEqual(report.state, "draft")

    def test_s5_authorised_colleague_recorded(self):
        """SOP S5: an absent customer's colleague signs with the note recorded."""
        report = self._complete(self._report())
        engineer = report.with_user(self.users["engineer"])
        with self.assertRaisesRegex(UserError, "authorised"):
            engineer.action_customer_sign(
                self._accept_values(
                    signer_id=self.colleague.id, signer_is_colleague=True
                )
            )
        engineer.action_customer_sign(
            self._accept_values(
                signer_id=self.colleague.id,
                signer_is_colleague=True,
                authorisation_note="Ms Chen by phone at 11:40",
            )
        )
        self.assertEqual(report.state, "signed")

    def test_s3_phone_confirmation_by_assistant(self):
        """SOP S3: a Project Assistant confirms a forgotten signature by phone."""
        report = self._complete(self._report())
        report.with_user(self.users["engineer"]).write(
            {k: v for k, v in self._accept_values().items() if k.startswith("rating")}
        )
        phone = {
            "phone_contact_id": self.contact.id,
            "phone_called_at": datetime(2026, 3, 3, 10, 0),
            "phone_confirmation": "Disk replaced, server up, satisfied",
        }
        with self.assertRaises(AccessError):
            report.with_user(self.users["engineer"]).write(phone)
        with self.assertRaises(AccessError):
            report.with_user(self.users["engineer"]).action_phone_confirm()
        dispatcher = report.with_user(self.users["dispatcher"])
        with self.assertRaisesRegex(UserError, "whom you called"):
            dispatcher.action_phone_confirm()
        dispatcher.write(phone)
        dispatcher.action_phone_confirm()
        self.assertEqual(report.state, "phone_confirmed")
        self.assertEqual(report.sign_channel, "phone")
        self.assertEqual(report.phone_recorded_by_id, self.users["dispatcher"])
        self.assertTrue(report.fingerprint)


@tagged("post_install", "-at_install")
class TestServiceReportSeal(FsReportCommon):
    def test_signed_report_is_sealed_for_everyone(self):
        """SOP S2: nobody but the superuser changes or deletes a signed report."""
        report = self._signed()
        for role in ("engineer", "dispatcher", "manager", "director"):
            user = self.users[role]
            for vals in (
                {"work_done": "changed"},
                {"rating_overall": "10"},
                {"signature": False},
                {"state": "draft"},
            ):
                with self.assertRaisesRegex(AccessError, "sealed"):
                    report.with_user(user).write(vals)
                with self.assertRaisesRegex(AccessError, "sealed"):
                    report.with_user(user).with_context(
                        tracking_disable=True, install_mode=True, force=True
                    ).write(vals)
        with self.assertRaises(AccessError):
            report.part_ids.with_user(self.users["manager"]).write({"new_serial": "X"})
        with self.assertRaises(AccessError):
            report.part_ids.with_user(self.users["manager"]).unlink()
        with self.assertRaises(AccessError):
            report.with_user(self.users["manager"]).unlink()
        with self.assertRaises(AccessError):
            report.with_user(self.users["director"]).action_customer_sign(
                self._accept_values(rating_overall="1")
            )
        self.assertEqual(report.work_done, "Replaced disk 3, rebuilt RAID 5")
        report.action_verify_fingerprint()
        self.assertEqual(report.fingerprint_check, "match")

    def test_fingerprint_detects_sql_tampering(self):
        """SOP S2: a change made directly in SQL fails the verification."""
        report = self._signed()
        report.with_user(self.users["dispatcher"]).action_verify_fingerprint()
        self.assertEqual(report.fingerprint_check, "match")
        self.env.cr.execute(
            "UPDATE fs_service_report SET rating_overall = '10' WHERE id = %s",
            [report.id],
        )
        action = report.with_user(self.users["engineer"]).action_verify_fingerprint()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(report.fingerprint_check, "mismatch")
        self.assertEqual(report.fingerprint_checked_by_id, self.users["engineer"])

    def test_fingerprint_detects_part_line_tampering(self):
        """The spare-part lines are sealed too (SOP S7)."""
        report = self._signed()
        self.env.cr.execute(
            "UPDATE fs_service_report_part SET old_serial = 'SN-SWAPPED' "
            "WHERE report_id = %s",
            [report.id],
        )
        report.action_verify_fingerprint()
        self.assertEqual(report.fingerprint_check, "mismatch")

    def test_reopen_only_by_manager_with_reason(self):
        """The only way back: a manager's reopen, which voids the signature."""
        report = self._signed()
        with self.assertRaises(AccessError):
            report.with_user(self.users["dispatcher"]).action_reopen("typo")
        with self.assertRaisesRegex(UserError, "reason"):
            report.with_user(self.users["manager"]).action_reopen("  ")
        report.with_user(self.users["manager"]).action_reopen("Wrong serial")
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.signature)
        self.assertFalse(report.signed_at)
        self.assertFalse(report.rating_overall)
        self.assertFalse(report.fingerprint)
        self.assertIn("Wrong serial", report.message_ids[0].body)
        # Editable again as a draft, then signed anew.
        report.with_user(self.users["engineer"]).write({"work_done": "Fixed"})
        report.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values()
        )
        self.assertEqual(report.state, "signed")

    def test_superuser_may_still_write(self):
        """The seal yields to the superuser only (data fixes, migrations)."""
        report = self._signed()
        report.sudo().write({"customer_comments": "fixed by admin"})
        self.assertEqual(report.customer_comments, "fixed by admin")


@tagged("post_install", "-at_install")
class TestServiceReportDeadlines(FsReportCommon):
    def test_s8_entry_deadline_and_overdue_filter(self):
        """SOP S8: entered within 48 h of the visit; overdue found by search."""
        report = self._report(departure_at=ARRIVAL + timedelta(hours=2))
        deadline = ARRIVAL + timedelta(hours=50)
        self.assertEqual(report.entry_deadline, deadline)
        Report = self.env["fs.service.report"]
        with freeze_time(deadline - timedelta(hours=1)):
            report.invalidate_recordset(["entry_status"])
            self.assertEqual(report.entry_status, "due")
            self.assertIn(report, Report.search([("entry_status", "=", "due")]))
        with freeze_time(deadline + timedelta(hours=1)):
            report.invalidate_recordset(["entry_status"])
            self.assertEqual(report.entry_status, "overdue")
            self.assertIn(report, Report.search([("entry_status", "=", "overdue")]))
        with freeze_time(deadline + timedelta(hours=5)):
            # Completing moves the departure (and the deadline) by one hour.
            self._complete(report).with_user(self.users["engineer"]).action_to_sign()
            report.invalidate_recordset(["entry_status"])
            self.assertEqual(report.entry_status, "late")
            self.assertIn(report, Report.search([("entry_status", "=", "late")]))
            self.assertNotIn(report, Report.search([("entry_status", "=", "overdue")]))

    def test_s8_deadline_follows_company_setting(self):
        """SOP S8: the entry window is the company's."""
        self.company.fs_report_entry_hours = 24
        report = self._report()
        self.assertEqual(report.entry_deadline, ARRIVAL + timedelta(hours=24))

    def test_s11_problem_report_deadline(self):
        """SOP S11: problem report within 24 h of resolution, stamped once."""
        report = self._signed()
        resolved = ARRIVAL + timedelta(hours=3)
        self.assertEqual(report.problem_deadline, resolved + timedelta(hours=24))
        Report = self.env["fs.service.report"]
        with freeze_time(resolved + timedelta(hours=30)):
            self.assertIn(report, Report.search([("problem_status", "=", "overdue")]))
        engineer = report.with_user(self.users["engineer"])
        with self.assertRaisesRegex(UserError, "category, cause"):
            engineer.action_write_problem_report()
        # Allowed on a sealed report: it is not part of the signed content.
        engineer.write(
            {
                "problem_category": "hardware",
                "problem_cause": "Disk wear",
                "problem_method": "Replaced the disk",
                "problem_losses": "None",
            }
        )
        with freeze_time(resolved + timedelta(hours=2)):
            engineer.action_write_problem_report()
        report.invalidate_recordset(["problem_status"])
        self.assertEqual(report.problem_status, "done")
        with self.assertRaisesRegex(UserError, "final"):
            engineer.write({"problem_losses": "Some"})
        with self.assertRaises(AccessError):
            report.with_user(self.users["test_manager"]).action_write_problem_report()
        report.action_verify_fingerprint()
        self.assertEqual(report.fingerprint_check, "match")


@tagged("post_install", "-at_install")
class TestServiceReportDerivedFields(FsReportCommon):
    """Review findings: derived fields are never typed in (SOP S1, S4, S6, S8)."""

    def test_derived_fields_refused_for_every_role(self):
        fault = self.env.ref("field_service_sop.fs_service_type_fault")
        report = self._report(order=self._issued_order(service_type_id=fault.id))
        self.assertTrue(report.consent_required)
        other = self.env["hr.employee"].create(
            {"name": "Scapegoat", "company_id": self.company.id}
        )
        for role in ("engineer", "dispatcher", "manager"):
            for vals in (
                {"consent_required": False},
                {"engineer_id": other.id},
                {"partner_id": self.stranger.id},
                {"entry_deadline": "2099-01-01 00:00:00"},
                {"hours_on_site": 99},
                {"access_token": "guessable"},
            ):
                with self.assertRaises(AccessError, msg=f"{role} {vals}"):
                    report.with_user(self.users[role]).write(vals)
        self.assertTrue(report.consent_required)
        self.assertEqual(report.partner_id, self.customer)
        # S6 still holds: no work before the consent.
        with self.assertRaises(UserError):
            report.with_user(self.users["engineer"]).write({"work_done": "x"})

    def test_s6_service_type_fixed_once_work_recorded(self):
        report = self._report()  # health check: no consent needed
        report.with_user(self.users["engineer"]).write({"work_done": "Checked"})
        fault = self.env.ref("field_service_sop.fs_service_type_fault")
        with self.assertRaisesRegex(UserError, "service type is fixed"):
            report.with_user(self.users["dispatcher"]).write(
                {"service_type_id": fault.id}
            )
        self.assertEqual(report.service_type_id, self.health)

    def test_cancel_voids_the_portal_link(self):
        report = self._report()
        report.sudo()._portal_ensure_token()
        self.assertTrue(report.access_token)
        report.with_user(self.users["dispatcher"]).action_cancel()
        self.assertFalse(report.access_token)
