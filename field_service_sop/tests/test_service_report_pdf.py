# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import unicodedata
from datetime import datetime, timedelta
from unittest.mock import patch

from PIL import ImageColor
from psycopg2 import errors
from PyPDF2 import PdfReader

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.fs_service_report_pdf import FsServiceReport
from .common import ARRIVAL, FsReportCommon, build_issued_order, drawn_signature

CRON = "field_service_sop.ir_cron_fs_service_report_pdf"


def _png(color):
    """A real drawn signature PNG (SOP S5), so wkhtmltopdf can draw it."""
    return drawn_signature(color=(*ImageColor.getrgb(color), 255))


@tagged("post_install", "-at_install")
class TestServiceReportPdfQueue(FsReportCommon):
    """Signing queues the signed PDF; only the system writes the queue flag.

    No rendering here: wkhtmltopdf hangs inside a TransactionCase (STYLE.md).
    """

    def _triggers(self):
        return self.env["ir.cron.trigger"].search_count(
            [("cron_id", "=", self.env.ref(CRON).id)]
        )

    def test_s12_signing_queues_the_pdf(self):
        """SOP S2, S12: the signature marks the report for the PDF cron."""
        report = self._complete(self._report())
        self.assertFalse(report.pdf_pending)
        triggers = self._triggers()
        report.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values()
        )
        self.assertEqual(report.state, "signed")
        self.assertTrue(report.pdf_pending)
        self.assertGreater(self._triggers(), triggers, "the cron is woken up")
        self.assertEqual(report.pdf_recipient_id, self.contact)

    def test_s3_phone_confirmation_queues_the_pdf(self):
        """SOP S3: a report confirmed by phone is sent to the customer too."""
        report = self._complete(self._report())
        report.with_user(self.users["engineer"]).write(
            {k: v for k, v in self._accept_values().items() if k.startswith("rating")}
        )
        dispatcher = report.with_user(self.users["dispatcher"])
        dispatcher.write(
            {
                "phone_contact_id": self.colleague.id,
                "phone_called_at": datetime(2026, 3, 3, 10, 0),
                "phone_confirmation": "Disk replaced, satisfied",
            }
        )
        dispatcher.action_phone_confirm()
        self.assertTrue(report.pdf_pending)
        self.assertEqual(report.pdf_recipient_id, self.colleague)

    def test_flag_written_by_the_system_only(self):
        """The queue flag and the PDF link are the system's: refused via RPC."""
        report = self._complete(self._report())
        for role in ("engineer", "dispatcher", "manager"):
            with self.assertRaises(AccessError):
                report.with_user(self.users[role]).write({"pdf_pending": True})
        with self.assertRaises(UserError):
            self._report(order=self._issued_order(), pdf_pending=True)
        report.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values()
        )
        for role in ("dispatcher", "manager", "director"):
            with self.assertRaises(AccessError):
                report.with_user(self.users[role]).write({"pdf_pending": False})
        attachment = self.env["ir.attachment"].create(
            {"name": "fake.pdf", "raw": b"%PDF-fake"}
        )
        with self.assertRaises(AccessError):
            report.with_user(self.users["manager"]).write(
                {"pdf_attachment_id": attachment.id}
            )
        self.assertTrue(report.pdf_pending)

    def test_send_signed_report_button(self):
        """Dispatchers queue a signed report again; engineers cannot."""
        report = self._complete(self._report())
        with self.assertRaisesRegex(UserError, "not signed"):
            report.with_user(self.users["dispatcher"]).action_send_signed_report()
        report.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values()
        )
        report.sudo().pdf_pending = False
        with self.assertRaises(AccessError):
            report.with_user(self.users["engineer"]).action_send_signed_report()
        self.assertFalse(report.pdf_pending)
        action = report.with_user(self.users["dispatcher"]).action_send_signed_report()
        self.assertEqual(action["tag"], "display_notification")
        self.assertTrue(report.pdf_pending)

    def test_reopened_report_leaves_the_queue_unsent(self):
        """SOP S12: a report reopened before the cron ran is not sent."""
        report = self._signed()
        self.assertTrue(report.pdf_pending)
        report.with_user(self.users["manager"]).action_reopen("Wrong serial")
        self.assertFalse(report.pdf_pending, "reopening takes it out of the queue")
        done = self.env["fs.service.report"]._cron_send_signed_reports()
        self.assertNotIn(report, done)
        self.assertFalse(report.pdf_pending)
        self.assertFalse(report.pdf_attachment_id)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", report._name), ("res_id", "=", report.id)]
            )
        )

    def test_s12_reopened_while_queued_by_raw_state_write(self):
        """SOP S12: any way out of the signed states unqueues the PDF."""
        report = self._signed()
        report.sudo().write({"state": "draft"})
        self.assertFalse(report.pdf_pending)

    def test_s12_concurrent_update_keeps_the_report_queued(self):
        """SOP S12: a lock or serialization conflict is not a render failure.

        The report stays queued without a failure note, the cron is woken up
        to retry it, and the other reports of the batch are still handled.
        """
        first, second = self._signed(), self._signed()
        self.env.cr.execute(
            "UPDATE fs_service_report SET pdf_pending = FALSE WHERE id NOT IN %s",
            [(first.id, second.id)],
        )
        self.env.invalidate_all()
        sent = []

        def send(report):
            if report == first:
                raise errors.SerializationFailure("concurrent update")
            sent.append(report.id)
            report.pdf_pending = False

        triggers = self._triggers()
        notes = len(first.message_ids)
        with patch.object(FsServiceReport, "_fs_send_signed_pdf", send):
            done = self.env["fs.service.report"]._cron_send_signed_reports()
        self.assertEqual(done, second)
        self.assertEqual(sent, second.ids)
        self.assertTrue(first.pdf_pending, "retried later, not dropped")
        self.assertEqual(len(first.message_ids), notes, "no failure note")
        self.assertGreater(self._triggers(), triggers, "the retry is scheduled")


@tagged("post_install", "-at_install")
class TestServiceReportPdf(HttpCase):
    """The signed 服务报告单 rendered by the cron (SOP S1-S7, S12).

    Real wkhtmltopdf rendering, so an HttpCase (STYLE.md, traps); it cannot
    share ``FsReportCommon`` (a TransactionCase), hence its own fixture.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "FS PDF Co"})
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"fs_pdf_{role}",
                name=f"Pdf {role.title()}",
                groups=f"base.group_user,field_service_sop.group_fs_{role}",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
            for role in ("engineer", "dispatcher", "manager")
        }
        cls.lead = cls.env["hr.employee"].create(
            {
                "name": "Wang Lead",
                "user_id": cls.users["engineer"].id,
                "company_id": cls.company.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "North Bank", "is_company": True, "city": "Qingdao"}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Ms Zhao",
                "parent_id": cls.customer.id,
                "email": "zhao@northbank.example.com",
            }
        )
        cls.fault = cls.env.ref("field_service_sop.fs_service_type_fault")

    def _signed_report(self):
        order = build_issued_order(
            self.env,
            self.users["dispatcher"],
            self.users["manager"],
            self.customer,
            self.lead,
            arrived_at=ARRIVAL,
            company_id=self.company.id,
            service_type_id=self.fault.id,
            purpose="Core switch reboots hourly",
            content="Replace the supervisor module",
        )
        Report = self.env["fs.service.report"].with_user(self.users["engineer"])
        report = Report.create({"order_id": order.id})
        # SOP S6: consent before work on the customer's systems.
        report.write(
            {
                "consent_os_backup": True,
                "consent_os_backup_at": ARRIVAL - timedelta(days=1),
                "consent_data_backup": True,
                "consent_data_backup_at": ARRIVAL - timedelta(hours=2),
                "consent_downtime_approved": True,
                "consent_recovery_kept": True,
                "consent_signer_id": self.contact.id,
                "consent_signature": _png("gray"),
            }
        )
        report.action_consent_sign()
        report.write(
            {
                "departure_at": ARRIVAL + timedelta(hours=3),
                "work_done": "Replaced supervisor module",
                "cause": "Failed supervisor",
                "result": "solved",
                "fault_category": "hardware",
                "completed_at": ARRIVAL + timedelta(hours=3),
                "part_ids": [
                    (
                        0,
                        0,
                        {
                            "description": "Supervisor module",
                            "new_part_number": "SUP-720",
                            "new_serial": "SN-NEW-77",
                            "old_part_number": "SUP-720",
                            "old_serial": "SN-OLD-66",
                            "usage": "used",
                        },
                    )
                ],
            }
        )
        report.action_customer_sign(
            {
                "rating_attitude": "5",
                "rating_response": "4",
                "rating_effect": "3",
                "rating_overall": "9",
                "customer_comments": "Quick <b>and</b> tidy",
                "signer_id": self.contact.id,
                "signature": _png("black"),
            }
        )
        return report.sudo()

    def _text(self, pdf):
        pages = PdfReader(io.BytesIO(pdf)).pages
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
        # CJK fonts map some glyphs to Kangxi radicals: compare NFKC.
        return unicodedata.normalize("NFKC", text)

    def test_s12_signed_pdf_attached_and_mailed(self):
        """SOP S2, S12: the cron renders, attaches, posts and mails the PDF."""
        report = self._signed_report()
        self.assertEqual(report.state, "signed")
        self.assertTrue(report.pdf_pending)
        Report = self.env["fs.service.report"].with_context(force_report_rendering=True)
        done = Report._cron_send_signed_reports()
        self.assertIn(report, done)
        report.invalidate_recordset()
        self.assertFalse(report.pdf_pending)
        self.assertTrue(report.pdf_sent_at)
        attachment = report.pdf_attachment_id
        self.assertEqual(attachment.name, f"Service Report {report.name}.pdf")
        self.assertEqual(
            (attachment.res_model, attachment.res_id), (report._name, report.id)
        )
        self.assertTrue(attachment.raw.startswith(b"%PDF-"), "not a real PDF")
        text = self._text(attachment.raw)
        for expected in (
            f"Service Report {report.name}",
            report.order_id.name,
            "North Bank",
            "Pdf Dispatcher",
            "Wang Lead",
            "Replaced supervisor module",
            "SUP-720",
            "SN-NEW-77",
            "SN-OLD-66",
            "5 / 5",
            "4 / 5",
            "3 / 5",
            "9 / 10",
            "Quick <b>and</b> tidy",  # escaped, shown as typed
            "Ms Zhao",
            report.fingerprint,
        ):
            self.assertIn(unicodedata.normalize("NFKC", expected), text)
        # Posted in the chatter with the PDF, e-mailed to the signer.
        message = report.message_ids.filtered(lambda m: attachment in m.attachment_ids)
        self.assertEqual(len(message), 1)
        # (followers get their own notification; the customer's is queued)
        mail = self.env["mail.mail"].search(
            [
                ("mail_message_id", "=", message.id),
                ("recipient_ids", "in", self.contact.ids),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(attachment, mail.attachment_ids)
        self.assertEqual(mail.state, "outgoing")
        # Idempotent: a second run finds nothing to do.
        attachments = self.env["ir.attachment"].search_count(
            [("res_model", "=", report._name), ("res_id", "=", report.id)]
        )
        mails = self.env["mail.mail"].search_count([])
        self.assertFalse(Report._cron_send_signed_reports())
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", report._name), ("res_id", "=", report.id)]
            ),
            attachments,
        )
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)

    def _pending_only(self, reports):
        """Only these reports are queued (demo data may queue others)."""
        self.env.cr.execute(
            "UPDATE fs_service_report SET pdf_pending = FALSE WHERE id NOT IN %s",
            [tuple(reports.ids)],
        )
        self.env.invalidate_all()

    def test_s12_one_failure_loses_no_other_report(self):
        """SOP S12: a report that cannot be rendered leaves the queue with a
        note; the report rendered before it in the same batch keeps its PDF."""
        good, bad = self._signed_report(), self._signed_report()
        self._pending_only(good | bad)
        Report = self.env["fs.service.report"].with_context(force_report_rendering=True)
        render = type(self.env["ir.actions.report"])._render_qweb_pdf

        def flaky(actions, report_ref, res_ids=None, data=None):
            if bad.id in (res_ids or []):
                raise ValueError("wkhtmltopdf crashed")
            return render(actions, report_ref, res_ids=res_ids, data=data)

        with (
            patch.object(
                type(self.env["ir.actions.report"]), "_render_qweb_pdf", flaky
            ),
            mute_logger("odoo.addons.field_service_sop.models.fs_service_report_pdf"),
        ):
            done = Report._cron_send_signed_reports()
        self.assertEqual(done, good | bad)
        (good | bad).invalidate_recordset()
        self.assertTrue(good.pdf_attachment_id.raw.startswith(b"%PDF-"))
        self.assertFalse(good.pdf_pending)
        self.assertFalse(bad.pdf_pending, "out of the queue: it cannot block it")
        self.assertFalse(bad.pdf_attachment_id)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", bad._name), ("res_id", "=", bad.id)]
            ),
            "nothing half-written",
        )
        self.assertIn("could not be rendered", bad.message_ids[0].body)
        self.assertFalse(Report._cron_send_signed_reports())

    def test_s12_reopened_after_sending_voids_the_pdf(self):
        """SOP S12: reopening a sent report keeps the PDF the customer got,
        marked void and unlinked; signing again sends a new one, once."""
        report = self._signed_report()
        self._pending_only(report)
        Report = self.env["fs.service.report"].with_context(force_report_rendering=True)
        Report._cron_send_signed_reports()
        report.invalidate_recordset()
        old = report.pdf_attachment_id
        self.assertTrue(old)
        report.with_user(self.users["manager"]).action_reopen("Wrong serial")
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.pdf_attachment_id)
        self.assertFalse(report.pdf_sent_at)
        self.assertFalse(report.pdf_pending)
        self.assertTrue(old.exists(), "what the customer received is kept")
        self.assertIn("Void", old.description)
        self.assertIn(old, report.message_ids.attachment_ids)
        self.assertFalse(Report._cron_send_signed_reports(), "nothing stale is sent")
        report.with_user(self.users["engineer"]).action_customer_sign(
            {
                "rating_attitude": "5",
                "rating_response": "5",
                "rating_effect": "5",
                "rating_overall": "10",
                "signer_id": self.contact.id,
                "signature": _png("black"),
            }
        )
        self.assertTrue(report.pdf_pending)
        self.assertEqual(Report._cron_send_signed_reports(), report)
        report.invalidate_recordset()
        new = report.pdf_attachment_id
        self.assertTrue(new)
        self.assertNotEqual(new, old)
        self.assertFalse(new.description)
        self.assertIn(report.fingerprint, self._text(new.raw))
        self.assertFalse(Report._cron_send_signed_reports())
