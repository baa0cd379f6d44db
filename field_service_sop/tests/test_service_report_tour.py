# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
from datetime import datetime, timedelta

from PIL import Image

from odoo.tests import HttpCase, tagged

from .common import FsReportCommon, build_issued_order


@tagged("post_install", "-at_install")
class TestServiceReportSignTour(HttpCase):
    def test_customer_signs_on_the_engineers_device(self):
        """SOP S2, S5, S12 in the browser: rate, sign, seal."""
        customer = self.env["res.partner"].create(
            {"name": "Tour Sign Customer", "is_company": True}
        )
        signer = self.env["res.partner"].create(
            {"name": "Tour Signer", "parent_id": customer.id}
        )
        engineer = self.env["hr.employee"].create({"name": "Tour Sign Engineer"})
        order = build_issued_order(
            self.env,
            None,
            None,
            customer,
            engineer,
            service_type_id=self.env.ref(
                "field_service_sop.fs_service_type_health_check"
            ).id,
            purpose="Health check",
            content="Check the servers",
            attention_points=False,
        )
        report = self.env["fs.service.report"].create(
            {
                "order_id": order.id,
                "arrival_at": datetime(2026, 11, 20, 9, 0),
                "departure_at": datetime(2026, 11, 20, 11, 0),
                "work_done": "Checked disks and logs",
                "result": "solved",
            }
        )
        self.start_tour(
            f"/odoo/fs.service.report/{report.id}",
            "fs_service_report_sign_tour",
            login="admin",
        )
        self.assertEqual(report.state, "signed")
        self.assertEqual(report.signer_id, signer)
        self.assertEqual(report.rating_overall, "9")
        self.assertEqual(report.sign_channel, "device")
        self.assertTrue(report.signature and report.fingerprint)


@tagged("post_install", "-at_install")
class TestServiceReportPortalSignTour(FsReportCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "chen@eastbank.example.com"

    browser_size = "390x844"
    touch_enabled = True

    def test_customer_draws_signature_on_phone(self):
        """SOP S2, S5, S12 on a phone: the customer opens the link, rates, draws
        the signature (no typed name nor upload offered) and accepts."""
        arrival = datetime(2026, 3, 2, 9, 0)
        report = self._fs_report(arrival)
        engineer = report.with_user(self.users["engineer"])
        engineer.write(
            {
                "departure_at": arrival + timedelta(hours=2),
                "work_done": "Checked disks and logs",
                "result": "solved",
                "completed_at": arrival + timedelta(hours=2),
                "portal_partner_id": self.contact.id,
            }
        )
        engineer.action_send_for_signature()
        self.start_tour(report.get_portal_url(), "fs_service_report_portal_sign_tour")
        self.env.invalidate_all()
        self.assertEqual(report.state, "signed")
        self.assertEqual(report.sign_channel, "portal")
        self.assertEqual(report.signer_id, self.contact)
        self.assertEqual(report.rating_overall, "9")
        self.assertEqual(report.customer_comments, "Quick and tidy")
        self.assertEqual(report.fingerprint, report._fs_compute_fingerprint())
        pad = Image.open(io.BytesIO(base64.b64decode(report.signature)))
        self.assertEqual(pad.format, "PNG")
        # The pad spans the phone's width (390 px less the page's margins).
        self.assertGreater(pad.width, 320)
        # Then the signed PDF opens from the portal page, with the link's
        # token (SOP S12): the one the scheduled action rendered and mailed.
        report.with_context(force_report_rendering=True)._cron_send_signed_reports()
        self.assertTrue(report.pdf_attachment_id)
        response = self.url_open(report.get_portal_url(suffix="/pdf"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertEqual(response.content, report.pdf_attachment_id.raw)
        # Nobody without the token reads it.
        self.authenticate(None, None)
        bare = self.url_open(f"/my/service-reports/{report.id}/pdf")
        self.assertNotEqual(bare.headers.get("Content-Type"), "application/pdf")
        wrong = self.url_open(f"/my/service-reports/{report.id}/pdf?access_token=x1")
        self.assertNotEqual(wrong.headers.get("Content-Type"), "application/pdf")
