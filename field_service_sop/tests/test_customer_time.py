# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer documents show the customer's local time (issue 12.3).

The arrival is 2026-03-02 01:30 UTC: 09:30 in Shanghai (the customer), 10:30
in Tokyo (our company, for a customer without a time zone) and 02:30 in
Brussels (the user the scheduled action or the print runs as). Every
document prints the zone it uses.
"""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import FsReportCommon

SERVICE_PDF = "field_service_sop.action_report_fs_service_report"
ORDER_PDF = "field_service_sop.action_report_fs_dispatch_order"
SIGNED_MAIL = "field_service_sop.fs_service_report_mail_template_signed"
SIGN_MAIL = "field_service_sop.fs_service_report_mail_portal_sign"
DEPARTURE_MAIL = "field_service_sop.fs_dispatch_order_mail_template_emergency_departure"
ARRIVAL_UTC = datetime(2026, 3, 2, 1, 30)
# The PDFs and the portal (en_US, seconds hidden) ...
SHANGHAI = "03/02/2026 09:30"
TOKYO = "03/02/2026 10:30"
BRUSSELS = "03/02/2026 02:30"
UTC = "03/02/2026 01:30"
# ... and the e-mails (short format).
SHANGHAI_SHORT = "3/2/26, 9:30"
TOKYO_SHORT = "3/2/26, 10:30"


class CustomerTimeCommon(FsReportCommon):
    """East Bank in Shanghai; our company in Tokyo; staff in Brussels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in cls.users.values():
            user.tz = "Europe/Brussels"
        cls.customer.tz = "Asia/Shanghai"
        cls.company.partner_id.tz = "Asia/Tokyo"
        cls.contact.email = "chen@eastbank.example.com"
        cls.zoneless = cls.env["res.partner"].create(
            {"name": "Nowhere Bank", "is_company": True, "email": "it@nowhere.example"}
        )

    def _visit(self, partner=None):
        """A completed draft report of a visit arrived at 01:30 UTC."""
        order = self._issued_order(
            arrived_at=None,
            partner_id=(partner or self.customer).id,
            service_type_id=self.health.id,
        )
        report = self._report(order=order, arrival_at=ARRIVAL_UTC)
        self._complete(report)
        report.with_user(self.users["engineer"]).write(
            {
                "departure_at": ARRIVAL_UTC + timedelta(hours=3),
                "completed_at": ARRIVAL_UTC + timedelta(hours=3),
            }
        )
        return report

    def _sign(self, report):
        report.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values(
                signer_id=(report.partner_id.child_ids[:1] or report.partner_id).id
            )
        )
        return report

    def assertCustomerTime(self, text, shown, zone):
        """``shown`` and the zone are printed; staff's and UTC times are not."""
        self.assertIn(shown, text)
        self.assertIn(zone, text)
        for wrong in {BRUSSELS, UTC, SHANGHAI, TOKYO} - {shown}:
            self.assertNotIn(wrong, text)


@tagged("post_install", "-at_install")
class TestCustomerTimeDocuments(CustomerTimeCommon):
    """PDF (as HTML: wkhtmltopdf hangs in a TransactionCase) and e-mails."""

    def _html(self, action, records, user="engineer"):
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.users[user])
            ._render_qweb_html(action, records.ids)
        )
        return html.decode()

    def test_helper_customer_then_company(self):
        """The customer's zone (its contact's, then its company's), else our
        company's, else UTC."""
        report = self._visit()
        self.assertEqual(report._fs_customer_tz(), "Asia/Shanghai")
        self.assertEqual(report.order_id._fs_customer_tz(), "Asia/Shanghai")
        person = self._visit(partner=self.contact)  # a contact without a zone
        self.assertEqual(person._fs_customer_tz(), "Asia/Shanghai")
        self.contact.tz = "Asia/Urumqi"
        self.assertEqual(person._fs_customer_tz(), "Asia/Urumqi")
        zoneless = self._visit(partner=self.zoneless)
        self.assertEqual(zoneless._fs_customer_tz(), "Asia/Tokyo")
        self.company.partner_id.tz = False
        self.assertEqual(zoneless._fs_customer_tz(), "UTC")

    def test_service_report_pdf_in_customer_time(self):
        """The service report prints 09:30 Asia/Shanghai, not the printing
        user's 02:30, before and after signing (the seal keeps UTC)."""
        report = self._visit(partner=self.contact)
        self.assertCustomerTime(
            self._html(SERVICE_PDF, report), SHANGHAI, "Asia/Shanghai"
        )
        self._sign(report)
        self.assertEqual(report.state, "signed")
        self.assertIn('"arrival_at":"2026-03-02T01:30:00"', report.seal_snapshot)
        html = self._html(SERVICE_PDF, report, user="dispatcher")
        self.assertCustomerTime(html, SHANGHAI, "Asia/Shanghai")
        self.assertIn("03/02/2026 12:30", html, "departure, 04:30 UTC")

    def test_service_report_pdf_in_company_time(self):
        """A customer without a zone reads our company's time, named."""
        report = self._sign(self._visit(partner=self.zoneless))
        self.assertCustomerTime(self._html(SERVICE_PDF, report), TOKYO, "Asia/Tokyo")

    def test_dispatch_order_pdf_in_customer_time(self):
        """The printed dispatch order shows the arrival in the customer's time."""
        order = self._issued_order(arrived_at=ARRIVAL_UTC, partner_id=self.contact.id)
        self.assertCustomerTime(self._html(ORDER_PDF, order), SHANGHAI, "Asia/Shanghai")
        order = self._issued_order(arrived_at=ARRIVAL_UTC, partner_id=self.zoneless.id)
        self.assertCustomerTime(self._html(ORDER_PDF, order), TOKYO, "Asia/Tokyo")

    def test_mails_in_customer_time(self):
        """The signed-report and sign-online e-mails give the visit's time in
        the customer's zone, named; the emergency departure its ETA."""
        signed = self.env.ref(SIGNED_MAIL)
        sign = self.env.ref(SIGN_MAIL)
        for partner, shown, zone in (
            (self.contact, SHANGHAI_SHORT, "Asia/Shanghai"),
            (self.zoneless, TOKYO_SHORT, "Asia/Tokyo"),
        ):
            report = self._visit(partner=partner)
            body = sign._render_field("body_html", report.ids)[report.id]
            self.assertIn(shown, body)
            self.assertIn(zone, body)
            self._sign(report)
            body = signed.with_user(self.users["engineer"])._render_field(
                "body_html", report.ids
            )[report.id]
            self.assertIn(shown, body)
            self.assertIn(zone, body)
            self.assertNotIn("2:30", body)
        order = self._issued_order(arrived_at=None, partner_id=self.contact.id)
        order.sudo().emergency_eta = ARRIVAL_UTC
        body = self.env.ref(DEPARTURE_MAIL)._render_field("body_html", order.ids)[
            order.id
        ]
        self.assertIn(SHANGHAI_SHORT, body)
        self.assertIn("Asia/Shanghai", body)


@tagged("post_install", "-at_install")
class TestCustomerTimePortal(CustomerTimeCommon, HttpCase):
    """The portal page, the portal list and the public seal page."""

    def test_portal_page_in_customer_time(self):
        """The customer's page shows 09:30 Asia/Shanghai, not UTC."""
        report = self._sign(self._visit(partner=self.contact))
        report._portal_ensure_token()
        page = self.url_open(report.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertCustomerTime(page.text, SHANGHAI, "Asia/Shanghai")
        zoneless = self._sign(self._visit(partner=self.zoneless))
        zoneless._portal_ensure_token()
        page = self.url_open(zoneless.get_portal_url())
        self.assertCustomerTime(page.text, TOKYO, "Asia/Tokyo")

    def test_portal_page_to_sign_in_customer_time(self):
        """Before signing too: the link the customer opens to rate and sign."""
        report = self._visit()
        report.with_user(self.users["engineer"]).portal_partner_id = self.contact
        report.with_user(self.users["engineer"]).action_send_for_signature()
        page = self.url_open(report.get_portal_url())
        self.assertCustomerTime(page.text, SHANGHAI, "Asia/Shanghai")

    def test_seal_page_in_customer_time(self):
        """The public seal page dates the seal in the customer's time."""
        report = self._visit()
        with freeze_time(ARRIVAL_UTC + timedelta(hours=4)):
            self._sign(report)
        self.assertEqual(report.fingerprint_at, datetime(2026, 3, 2, 5, 30))
        page = self.url_open(f"/fs/seal/{report.fingerprint}")
        self.assertEqual(page.status_code, 200)
        self.assertRegex(page.text, r"Mar 2, 2026, 1:30:00\sPM")
        self.assertIn("Asia/Shanghai", page.text)
        self.assertNotIn("5:30:00", page.text)
        self.assertIn('data-status="valid"', page.text)
