# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Adversarial review of the service report checks (SOP S4, S9, S10, S12).

Each test asserts the secure behaviour: an engineer over RPC, a manager on
the wrong report, a customer with an old link, two scheduled workers.
"""

from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ARRIVAL, SIGNATURE, FsReportCommon

DEPARTURE = ARRIVAL + timedelta(hours=3)
XSS = '<img src="x" onerror="alert(1)">'


class ReviewCommon(FsReportCommon):
    def _cron(self):
        return self.env["fs.service.report"]._cron_fs_check_assessments(
            batch_size=10000
        )

    def _to_sign_with_signature(self):
        """A report awaiting signature on which a signature was drawn, not
        accepted (the engineer may write the acceptance while to_sign)."""
        report = self._complete(self._report())
        engineer = report.with_user(self.users["engineer"])
        engineer.action_to_sign()
        engineer.write(self._accept_values())
        self.assertEqual(report.state, "to_sign")
        self.assertTrue(report.signature)
        return report


@tagged("post_install", "-at_install")
class TestReviewAssessment(ReviewCommon):
    # ------------------------------------------------------------------
    # Forged signature (SOP S4, S5)
    # ------------------------------------------------------------------
    def test_s4_forged_refused_on_unsigned_report(self):
        """SOP S4: only an accepted (signed) signature can be marked forged;
        a drawn-but-not-accepted or cancelled one gives no assessment."""
        report = self._to_sign_with_signature()
        manager = report.with_user(self.users["manager"])
        with self.assertRaises(UserError):
            manager.action_mark_forged("Not her hand")
        wizard = (
            self.env["fs.service.report.forged"]
            .with_user(self.users["manager"])
            .create({"report_id": report.id, "reason": "Not her hand"})
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        report.with_user(self.users["dispatcher"]).action_cancel()
        self.assertEqual(report.state, "cancelled")
        with self.assertRaises(UserError):
            manager.action_mark_forged("Not her hand")
        self.assertFalse(report.signature_forged)
        self.assertFalse(self._assessments(report))

    def test_s4_forged_refused_to_other_company_manager(self):
        """SOP S4, multi-company: a manager working in another company cannot
        mark (nor reach through the wizard) a report he cannot read."""
        report = self._signed()
        self.users["manager"].write(
            {"company_ids": [(4, self.company_b.id)], "company_id": self.company_b.id}
        )
        manager = report.with_user(self.users["manager"]).with_context(
            allowed_company_ids=[self.company_b.id]
        )
        with self.assertRaises(AccessError):
            manager.action_mark_forged("Forged")
        self.assertFalse(report.signature_forged)
        self.assertFalse(self._assessments(report))

    def test_s4_reopen_voids_forged_flag_with_signature(self):
        """SOP S4, S5: reopening voids the signature, so the forged flag of
        the void signature must not stick to the next one; a forged second
        signature can be marked again (the first assessment stays)."""
        report = self._signed()
        report.with_user(self.users["manager"]).action_mark_forged("Forged")
        first = self._assessments(report)
        report.with_user(self.users["manager"]).action_reopen("Signature forged")
        report.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values(signer_id=self.colleague.id)
        )
        self.assertEqual(report.state, "signed")
        self.assertFalse(
            report.signature_forged,
            "The new signature is shown as forged although nobody marked it.",
        )
        report.with_user(self.users["manager"]).action_mark_forged("Forged again")
        self.assertTrue(report.signature_forged)
        self.assertTrue(first.exists())
        forged = self._assessments(report).filtered(
            lambda a: a.reason == "forged_signature"
        )
        self.assertEqual(len(forged), 2, "The second forgery was not counted.")
        self.assertEqual(
            set(forged.mapped("evidence_fingerprint")),
            {first.evidence_fingerprint, report.fingerprint},
        )
        self.assertNotEqual(first.evidence_fingerprint, report.fingerprint)
        # The same forged signature still counts once (database key).
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["fs.engineer.assessment"].create(
                    {
                        "employee_id": self.lead.id,
                        "report_id": report.id,
                        "company_id": self.company.id,
                        "reason": "forged_signature",
                        "evidence_fingerprint": report.fingerprint,
                    }
                )

    # ------------------------------------------------------------------
    # Scheduled check (SOP S4)
    # ------------------------------------------------------------------
    def test_s4_reopened_report_is_assessed_again(self):
        """SOP S4: a report reopened (signature void) and never signed again
        is a missing signature once the grace period has passed again."""
        self.company.fs_signature_grace_hours = 48
        report = self._signed()
        with freeze_time(DEPARTURE + timedelta(days=3)):
            self._cron()
            self.assertTrue(report.assessment_checked_at)
            self.assertFalse(self._assessments(report))
        with freeze_time(DEPARTURE + timedelta(days=4)):
            report.with_user(self.users["manager"]).action_reopen("Wrong serial")
        self.assertEqual(report.state, "draft")
        with freeze_time(DEPARTURE + timedelta(days=4, hours=49)):
            self._cron()
        self.assertIn(
            "missing_signature",
            self._assessments(report).mapped("reason"),
            "A reopened, never re-signed report escapes the assessment.",
        )

    def test_s4_cleared_visit_times_do_not_escape_assessment(self):
        """SOP S4, S8: an engineer who blanks the visit times of his draft
        report (RPC) must not escape the scheduled check: either the write
        is refused or the order's arrival still starts the grace period."""
        self.company.fs_signature_grace_hours = 48
        report = self._report()
        self.assertEqual(report.arrival_at, ARRIVAL)  # from the order
        try:
            with self.env.cr.savepoint():
                report.with_user(self.users["engineer"]).write(
                    {"arrival_at": False, "departure_at": False}
                )
        except UserError:
            return  # refused: nothing to escape with
        with freeze_time(ARRIVAL + timedelta(days=30)):
            self._cron()
        self.assertIn(
            "missing_signature",
            self._assessments(report).mapped("reason"),
            "Blanking the times hides the report from the S4 check (and S8).",
        )

    def test_s8_cleared_visit_times_keep_the_entry_deadline(self):
        """SOP S8: without visit times the order's arrival starts the entry
        deadline; blanking the times does not remove it."""
        report = self._report()
        deadline = report.entry_deadline
        self.assertTrue(deadline)
        report.with_user(self.users["engineer"]).write(
            {"arrival_at": False, "departure_at": False}
        )
        self.assertEqual(report.entry_deadline, deadline)

    def test_s4_reopen_restarts_grace_period(self):
        """SOP S4: the grace period of a reopened report runs from the reopen,
        not from the old visit (no assessment right after reopening)."""
        self.company.fs_signature_grace_hours = 48
        report = self._signed()
        with freeze_time(DEPARTURE + timedelta(days=3)):
            self._cron()
        with freeze_time(DEPARTURE + timedelta(days=4)):
            report.with_user(self.users["manager"]).action_reopen("Wrong serial")
            self.assertFalse(report.assessment_checked_at)
            self.assertEqual(
                report.assessment_grace_from, DEPARTURE + timedelta(days=4)
            )
        with freeze_time(DEPARTURE + timedelta(days=4, hours=47)):
            self._cron()
        self.assertFalse(report.assessment_checked_at)
        self.assertFalse(self._assessments(report))

    def test_s4_future_departure_refused(self):
        """SOP S4, S7, S8: a departure far in the future would push the grace
        period (and the entry deadline) out indefinitely."""
        report = self._report()
        with freeze_time(ARRIVAL + timedelta(hours=4)):
            with self.assertRaises(ValidationError):
                report.with_user(self.users["engineer"]).write(
                    {"departure_at": ARRIVAL + timedelta(days=365)}
                )

    def test_s4_future_arrival_and_completion_refused(self):
        """SOP S4, S7: arrival and completion cannot be in the future either;
        an hour's leeway is allowed for clocks."""
        report = self._report()
        engineer = report.with_user(self.users["engineer"])
        with freeze_time(ARRIVAL + timedelta(hours=4)):
            for name in ("arrival_at", "completed_at"):
                with self.assertRaises(ValidationError):
                    engineer.write({name: ARRIVAL + timedelta(days=2)})
            engineer.write({"departure_at": ARRIVAL + timedelta(hours=4, minutes=30)})
        self.assertEqual(report.departure_at, ARRIVAL + timedelta(hours=4, minutes=30))

    def test_s4_one_assessment_per_report_and_reason_in_database(self):
        """SOP S4: two scheduled workers cannot count a report twice; the
        database refuses the duplicate even past the Python check."""
        report = self._complete(self._report())
        with freeze_time(DEPARTURE + timedelta(days=5)):
            self._cron()
        existing = self._assessments(report).filtered(
            lambda a: a.reason == "missing_signature"
        )
        self.assertEqual(len(existing), 1)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["fs.engineer.assessment"].create(
                    {
                        "employee_id": self.lead.id,
                        "report_id": report.id,
                        "company_id": self.company.id,
                        "reason": "missing_signature",
                    }
                )

    def test_s4_colleague_reads_no_forged_evidence_through_report(self):
        """SOP S4: the second engineer of the order reads the report, but not
        the lead's assessment, nor its evidence copied on the report (the
        manager's forged reason)."""
        report = self._signed()
        report.with_user(self.users["manager"]).action_mark_forged(
            "Signer was abroad; HR file 42"
        )
        colleague = report.with_user(self.second_user)
        colleague.read(["name"])
        self.assertFalse(
            self.env["fs.engineer.assessment"]
            .with_user(self.second_user)
            .search([("report_id", "=", report.id)])
        )
        try:
            values = colleague.read(["forged_reason"])[0]
        except AccessError:
            return
        self.assertNotIn(
            "HR file 42",
            values.get("forged_reason") or "",
            "A colleague reads the assessment's evidence on the report.",
        )


@tagged("post_install", "-at_install")
class TestReviewMaintenanceRecord(ReviewCommon):
    def _checked_missing(self):
        report = self._report(open_issues="Customer wants a second array")
        report.with_user(self.users["dispatcher"]).action_check_record()
        self.assertTrue(report.record_missing)
        return report

    def test_s10_found_on_site_ticket_is_not_a_maintenance_record(self):
        """SOP S9/S10: a ticket the engineer just created from the open issues
        (one click, as superuser) must not pass as the maintenance record."""
        report = self._checked_missing()
        engineer = report.with_user(self.users["engineer"])
        engineer.action_create_ticket()
        found = report.found_ticket_ids
        self.assertEqual(len(found), 1)
        with self.assertRaises(UserError):
            engineer.write({"maintenance_ticket_id": found.id})
        self.assertTrue(report.record_missing)

    def test_s10_ticket_without_customer_refused(self):
        """SOP S10: a ticket without a customer is nobody's maintenance
        record; it must not clear the flag."""
        report = self._checked_missing()
        ticket = self._ticket(partner_id=False, name="Anything")
        with self.assertRaises(UserError):
            report.with_user(self.users["engineer"]).write(
                {"maintenance_ticket_id": ticket.id}
            )
        self.assertTrue(report.record_missing)

    def test_s10_ticket_of_other_company_refused(self):
        """SOP S10, multi-company: the customer's ticket of another company."""
        report = self._checked_missing()
        ticket = self._ticket(company_id=self.company_b.id)
        with self.assertRaises(UserError):
            report.with_user(self.users["engineer"]).write(
                {"maintenance_ticket_id": ticket.id}
            )
        self.assertTrue(report.record_missing)

    def test_s10_refusal_does_not_leak_ticket_name(self):
        """Security: an engineer without helpdesk rights probing ticket ids
        must not learn other customers' ticket titles from the error."""
        report = self._report()
        secret = self._ticket(partner=self.stranger, name="Secret merger audit")
        with self.assertRaises(AccessError):
            secret.with_user(self.users["engineer"]).read(["name"])
        with self.assertRaises(UserError) as caught:
            report.with_user(self.users["engineer"]).write(
                {"maintenance_ticket_id": secret.id}
            )
        self.assertNotIn("Secret merger", str(caught.exception))

    def test_s10_deleting_the_record_raises_the_flag(self):
        """SOP S10, R1: a linked maintenance record that disappears must not
        leave the report passing the reimbursement gate."""
        ticket = self._ticket()
        report = self._report(maintenance_ticket_id=ticket.id)
        report.with_user(self.users["dispatcher"]).action_check_record()
        self.assertFalse(report.record_missing)
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                ticket.unlink()
        except (UserError, IntegrityError):
            self.assertTrue(ticket.exists())
            return  # the record cannot vanish while a report cites it
        self.env.invalidate_all()
        self.assertFalse(report.maintenance_ticket_id)
        self.assertTrue(
            report.record_missing,
            "The ticket is gone but the report is not flagged record missing.",
        )

    def test_s10_cited_ticket_deletion_refused_with_reason(self):
        """SOP S10: deleting a cited record says why, and works once the
        report links another record."""
        ticket = self._ticket()
        report = self._report(maintenance_ticket_id=ticket.id)
        with self.assertRaisesRegex(UserError, "maintenance record"):
            ticket.unlink()
        self.assertTrue(ticket.exists())
        report.with_user(self.users["engineer"]).write(
            {"maintenance_ticket_id": self._ticket(name="Real record").id}
        )
        ticket.unlink()
        self.assertFalse(ticket.exists())

    def test_s10_cited_ticket_keeps_its_customer(self):
        """SOP S10: the cited record cannot be moved to another customer."""
        ticket = self._ticket()
        self._report(maintenance_ticket_id=ticket.id)
        with self.assertRaises(UserError):
            ticket.write({"partner_id": self.stranger.id})
        self.assertEqual(ticket.partner_id, self.customer)

    def test_s10_check_refused_on_cancelled_report(self):
        """SOP S10: a cancelled report is not checked."""
        report = self._report()
        report.with_user(self.users["dispatcher"]).action_cancel()
        with self.assertRaisesRegex(UserError, "cancelled"):
            report.with_user(self.users["dispatcher"]).action_check_record()
        self.assertFalse(report.record_checked_at)


@tagged("post_install", "-at_install")
class TestReviewUnresolved(ReviewCommon):
    def _notified_unsolved(self, message="Firmware missing, back Monday"):
        report = self._unsolved()
        report.with_user(self.users["engineer"]).action_notify_dispatcher(message)
        return report

    def test_s9_notify_refused_once_signed_or_cancelled(self):
        """SOP S9: the notification happens before signing; it cannot be
        re-stamped on a signed report nor on a cancelled one."""
        report = self._notified_unsolved()
        stamp = report.notified_dispatcher_at
        report.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values()
        )
        with self.assertRaisesRegex(UserError, "before the report"):
            report.with_user(self.users["engineer"]).action_notify_dispatcher("x")
        self.assertEqual(report.notified_dispatcher_at, stamp)
        other = self._unsolved()
        other.with_user(self.users["dispatcher"]).action_cancel()
        with self.assertRaises(UserError):
            other.with_user(self.users["engineer"]).action_notify_dispatcher("x")
        self.assertFalse(other.notified_dispatcher_at)

    def test_s9_second_notice_keeps_the_first_stamp(self):
        """SOP S9: the first notice is the "before leaving" evidence; a later
        notice is posted in the chatter but never re-stamps it."""
        with freeze_time(DEPARTURE - timedelta(minutes=10)):
            report = self._notified_unsolved("First notice")
        stamp = report.notified_dispatcher_at
        with freeze_time(DEPARTURE + timedelta(hours=5)):
            report.with_user(self.users["engineer"]).action_notify_dispatcher(
                "Second notice"
            )
        self.assertEqual(report.notified_dispatcher_at, stamp)
        self.assertEqual(report.notified_dispatcher_note, "First notice")
        self.assertFalse(report.dispatcher_notified_late)
        self.assertIn("Second notice", str(report.message_ids[0].body))

    def test_s7_visit_times_are_tracked(self):
        """SOP S7, S8: changes of the visit times are kept in the chatter."""
        report = self._report()
        self.env.cr.precommit.run()  # a record is tracked once created
        report.with_user(self.users["engineer"]).with_context(
            tracking_disable=False
        ).write({"departure_at": DEPARTURE})
        self.env.cr.precommit.run()  # tracking values are written at commit
        self.env.invalidate_all()
        tracked = report.sudo().message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("departure_at", tracked)

    def test_s9_create_ticket_refused_on_cancelled_report(self):
        """SOP S9: a cancelled report hands nothing on."""
        report = self._unsolved()
        report.with_user(self.users["dispatcher"]).action_cancel()
        with self.assertRaisesRegex(UserError, "cancelled"):
            report.with_user(self.users["engineer"]).action_create_ticket()
        self.assertFalse(report.sudo().found_ticket_ids)

    def test_s9_engineer_text_is_escaped_in_chatter_activity_and_ticket(self):
        """Security: what the engineer types (notice, open issues) and the
        manager's reopen reason are escaped or sanitised everywhere."""
        report = self._unsolved()
        engineer = report.with_user(self.users["engineer"])
        engineer.write({"open_issues": XSS})
        engineer.action_notify_dispatcher(XSS)
        body = str(report.message_ids[0].body)
        self.assertNotIn("<img", body)
        self.assertIn("&lt;img", body)
        activity = report.activity_ids.filtered(
            lambda a: a.user_id == self.users["dispatcher"]
        )
        self.assertNotIn("onerror", str(activity.note))
        engineer.action_create_ticket()
        self.assertNotIn("<img", str(report.sudo().found_ticket_ids.description))
        engineer.action_customer_sign(self._accept_values())
        report.with_user(self.users["manager"]).action_reopen(XSS)
        self.assertNotIn("<img", str(report.message_ids[0].body))


@tagged("post_install", "-at_install")
class TestReviewPortal(ReviewCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "chen@eastbank.example.com"
        cls.portal_user = new_test_user(
            cls.env, login="fs_review_portal_a", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        other_customer = cls.env["res.partner"].create(
            {"name": "West Bank", "is_company": True}
        )
        cls.other_portal_user = new_test_user(
            cls.env, login="fs_review_portal_b", groups="base.group_portal"
        )
        cls.other_portal_user.partner_id.parent_id = other_customer

    def _sent(self):
        report = self._complete(self._report())
        report.with_user(self.users["engineer"]).portal_partner_id = self.contact
        report.with_user(self.users["engineer"]).action_send_for_signature()
        return report

    def _sign(self, report, token):
        return self.make_jsonrpc_request(
            f"/my/service-reports/{report.id}/sign",
            {
                "access_token": token,
                "name": "Ms Chen",
                "signature": SIGNATURE.decode(),
                "rating_attitude": "5",
                "rating_response": "4",
                "rating_effect": "5",
                "rating_overall": "9",
            },
        )

    def test_portal_old_link_hides_report_reset_to_draft(self):
        """SOP S12, security: customers never see drafts; a link sent before
        the engineer reset the report to draft must not show his edits."""
        report = self._sent()
        token = report.access_token
        engineer = report.with_user(self.users["engineer"])
        engineer.action_reset_draft()
        engineer.write({"work_done": "INTERNAL: blame the customer's admin"})
        page = self.url_open(f"/my/service-reports/{report.id}?access_token={token}")
        self.assertNotIn("INTERNAL: blame", page.text)

    def test_portal_reset_to_draft_voids_the_link(self):
        """SOP S12: a report reset to draft loses the link sent; sending it
        again issues a new token."""
        report = self._sent()
        token = report.access_token
        self.assertTrue(token and report.portal_sent_fingerprint)
        report.with_user(self.users["engineer"]).action_reset_draft()
        self.assertFalse(report.access_token)
        self.assertFalse(report.portal_sent_fingerprint)
        self.assertEqual(set(self._sign(report, token)), {"error"})
        report.with_user(self.users["engineer"]).action_send_for_signature()
        self.assertTrue(report.access_token)
        self.assertNotEqual(report.access_token, token)

    def test_portal_cancelled_report_neither_signed_nor_shown(self):
        """SOP S12: after cancelling, neither the old link nor a contact of
        the customer signs or reads it."""
        report = self._sent()
        token = report.access_token
        report.with_user(self.users["dispatcher"]).action_cancel()
        self.assertEqual(set(self._sign(report, token)), {"error"})
        self.authenticate("fs_review_portal_a", "fs_review_portal_a")
        self.assertEqual(set(self._sign(report, "")), {"error"})
        page = self.url_open(f"/my/service-reports/{report.id}")
        self.assertNotIn("Replaced disk 3", page.text)
        self.env.invalidate_all()
        self.assertEqual(report.state, "cancelled")
        self.assertFalse(report.portal_signer_name)

    def test_portal_page_has_no_stray_alert(self):
        """Quality: the report page shows no empty "True" alert box."""
        report = self._sent()
        page = self.url_open(report.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertNotRegex(page.text, r">\s*True\s*<")

    def test_portal_other_customer_cannot_sign_without_token(self):
        """Security: a portal user of customer B signs nothing of customer A."""
        report = self._sent()
        self.authenticate("fs_review_portal_b", "fs_review_portal_b")
        self.assertEqual(self._sign(report, ""), {"error": "This link is not valid."})
        self.env.invalidate_all()
        self.assertEqual(report.state, "to_sign")
        self.assertFalse(report.signature)
