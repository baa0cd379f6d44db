# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SIGNATURE, FsReportCommon

XSS = "<script>alert(1)</script>"
RATINGS = {
    "rating_attitude": "5",
    "rating_response": "4",
    "rating_effect": "5",
    "rating_overall": "9",
}


@tagged("post_install", "-at_install")
class TestServiceReportPortal(FsReportCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "chen@eastbank.example.com"
        cls.portal_user = new_test_user(
            cls.env, login="fs_portal_chen", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "West Bank", "is_company": True}
        )
        cls.other_portal_user = new_test_user(
            cls.env, login="fs_portal_wang", groups="base.group_portal"
        )
        cls.other_portal_user.partner_id.parent_id = cls.other_customer

    def _sent(self):
        report = self._complete(self._report())
        report.with_user(self.users["engineer"]).portal_partner_id = self.contact
        report.with_user(self.users["engineer"]).action_send_for_signature()
        return report

    def _sign(self, report, token=None, **params):
        values = {
            "access_token": report.access_token if token is None else token,
            "name": "Ms Chen",
            "signature": SIGNATURE.decode(),
            **RATINGS,
            "customer_comments": "Quick and tidy",
        }
        values.update(params)
        return self.make_jsonrpc_request(
            f"/my/service-reports/{report.id}/sign", values
        )

    # ------------------------------------------------------------------
    # Sending the link
    # ------------------------------------------------------------------
    def test_s12_send_for_signature_queues_tokenised_link(self):
        """SOP S2, S12: the engineer sends a link; mail queued, fingerprint kept."""
        report = self._sent()
        self.assertEqual(report.state, "to_sign")
        self.assertTrue(report.access_token)
        self.assertEqual(
            report.portal_sent_fingerprint, report._fs_portal_fingerprint()
        )
        self.assertEqual(report.portal_sent_by_id, self.users["engineer"])
        mail = self.env["mail.mail"].search(
            [("model", "=", "fs.service.report"), ("res_id", "=", report.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")  # queued, not sent inline
        self.assertIn(self.contact, mail.recipient_ids)
        self.assertIn(f"access_token={report.access_token}", mail.body_html)

    def test_s12_send_refusals(self):
        """Rights: not on the order, no e-mail, not the customer's contact."""
        report = self._complete(self._report())
        report.portal_partner_id = self.contact
        with self.assertRaises(AccessError):
            report.with_user(self.users["test_manager"]).action_send_for_signature()
        report.portal_partner_id = self.stranger
        with self.assertRaisesRegex(UserError, "not a contact of the customer"):
            report.with_user(self.users["engineer"]).action_send_for_signature()
        report.portal_partner_id = self.colleague  # no e-mail
        with self.assertRaisesRegex(UserError, "no e-mail"):
            report.with_user(self.users["dispatcher"]).action_send_for_signature()
        # The evidence is written by the action only, never through RPC.
        with self.assertRaises(AccessError):
            report.with_user(self.users["dispatcher"]).write(
                {"portal_sent_fingerprint": "forged"}
            )

    # ------------------------------------------------------------------
    # Signing
    # ------------------------------------------------------------------
    def test_s2_s12_sign_with_valid_token_escapes_name(self):
        """SOP S2, S12: valid token signs; channel portal, evidence, escaping."""
        report = self._sent()
        result = self._sign(report, name=XSS, customer_comments=XSS)
        self.assertNotIn("error", result)
        self.assertTrue(result["redirect_url"].startswith(report.access_url))
        self.env.invalidate_all()
        self.assertEqual(report.state, "signed")
        self.assertEqual(report.sign_channel, "portal")
        self.assertEqual(report.signer_id, self.contact)
        self.assertEqual(report.portal_signer_name, XSS)
        self.assertEqual(report.rating_overall, "9")
        self.assertTrue(report.portal_sign_ip)
        self.assertTrue(report.portal_sign_user_agent)
        # The evidence is sealed with the content.
        self.assertEqual(report.fingerprint, report._fs_compute_fingerprint())
        message = report.message_ids[0]
        self.assertIn("&lt;script&gt;", message.body)
        self.assertNotIn(XSS, message.body)
        page = self.url_open(report.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page.text)
        self.assertNotIn(XSS, page.text)

    def test_s12_second_signature_refused(self):
        """SOP S12: a signed report cannot be signed again."""
        report = self._sent()
        self._sign(report)
        result = self._sign(report, name="Someone Else")
        self.assertIn("already signed", result["error"])
        self.env.invalidate_all()
        self.assertEqual(report.portal_signer_name, "Ms Chen")

    def test_s12_reopen_voids_the_link(self):
        """SOP S12: after a manager reopens, the old link no longer signs."""
        report = self._sent()
        self._sign(report)
        self.env.invalidate_all()
        old_token = report.access_token
        report.with_user(self.users["manager"]).action_reopen("Wrong serial")
        self.assertFalse(report.portal_sent_fingerprint)
        self.assertFalse(report.portal_signer_name)
        self.assertFalse(report.access_token)
        report.with_user(self.users["engineer"]).action_to_sign()
        result = self._sign(report, token=old_token)
        self.assertEqual(result, {"error": "This link is not valid."})

    def test_s12_wrong_or_missing_token_leaks_nothing(self):
        """Security: no token or a wrong one neither signs nor shows content."""
        report = self._sent()
        other = self._sent_other()
        for token in ("", "wrong-token", other.access_token):
            result = self._sign(report, token=token)
            self.assertEqual(set(result), {"error"})
            page = self.url_open(
                f"/my/service-reports/{report.id}?access_token={token}"
            )
            self.assertNotIn(report.name, page.text)
            self.assertNotIn("Replaced disk 3", page.text)
        self.env.invalidate_all()
        self.assertEqual(report.state, "to_sign")
        self.assertFalse(report.signature)

    def _sent_other(self):
        order = self._issued_order(service_type_id=self.health.id)
        report = self._complete(self._report(order=order))
        report.portal_partner_id = self.contact
        report.with_user(self.users["dispatcher"]).action_send_for_signature()
        return report

    def test_s12_content_changed_after_sending_refused(self):
        """SOP S12: the customer signs what was sent, not a changed report."""
        report = self._sent()
        report.with_user(self.users["dispatcher"]).work_done = "Something else"
        result = self._sign(report)
        self.assertIn("changed after the link was sent", result["error"])
        self.env.invalidate_all()
        self.assertEqual(report.state, "to_sign")
        self.assertFalse(report.rating_overall)  # nothing half-written
        # Sending again takes the new content.
        report.with_user(self.users["dispatcher"]).action_send_for_signature()
        self.assertNotIn("error", self._sign(report))

    def test_s12_ratings_out_of_range_refused(self):
        """SOP S7, S12: marks are 1-5 and 1-10; all four are required."""
        report = self._sent()
        for params in (
            {"rating_overall": "11"},
            {"rating_attitude": "0"},
            {"rating_effect": ""},
        ):
            result = self._sign(report, **params)
            self.assertIn("error", result, params)
        self.assertIn("error", self._sign(report, name="  "))
        self.assertIn("error", self._sign(report, signature="not base64!"))
        self.env.invalidate_all()
        self.assertEqual(report.state, "to_sign")

    def test_get_changes_nothing(self):
        """Security: GET routes (with ratings in the query) store nothing."""
        report = self._sent()
        page = self.url_open(
            report.get_portal_url(query_string="&rating_overall=9&rating_attitude=5")
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("Replaced disk 3", page.text)
        self.assertNotIn(f"/my/service-reports/{report.id}/sign?", page.text)
        query = "".join(f"&{key}={value}" for key, value in RATINGS.items())
        page = self.url_open(report.get_portal_url(query_string=query))
        # All four marks chosen: the signature pad posts them (JSON).
        self.assertIn(f"/my/service-reports/{report.id}/sign?", page.text)
        sign_get = self.url_open(
            report.get_portal_url(suffix="/sign"), allow_redirects=False
        )
        self.assertNotEqual(sign_get.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(report.state, "to_sign")
        self.assertFalse(report.rating_overall)

    def test_s5_staff_never_sign_through_portal(self):
        """SOP S5: an engineer with the link cannot sign for the customer."""
        report = self._sent()
        self.authenticate("fs_unit_engineer", "fs_unit_engineer")
        result = self._sign(report)
        self.assertIn("behalf", result["error"])
        self.env.invalidate_all()
        self.assertEqual(report.state, "to_sign")

    def test_s5_rpc_cannot_fake_portal_channel(self):
        """Security: the portal evidence context is ignored outside superuser."""
        report = self._sent()
        report.with_user(self.users["engineer"]).with_context(
            fs_portal_sign_evidence={"name": "fake", "ip": "1.2.3.4"}
        ).action_customer_sign(self._accept_values())
        self.assertEqual(report.sign_channel, "device")
        self.assertFalse(report.portal_signer_name)

    # ------------------------------------------------------------------
    # /my for portal users
    # ------------------------------------------------------------------
    def test_portal_user_sees_only_own_company_reports(self):
        """Security: portal users list and open only their company's reports."""
        report = self._sent()
        draft = self._report(order=self._issued_order(service_type_id=self.health.id))
        self.authenticate("fs_portal_chen", "fs_portal_chen")
        listing = self.url_open("/my/service-reports")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(report.name, listing.text)
        self.assertNotIn(draft.name, listing.text)  # drafts stay internal
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["fs_service_report_count"]}
        )
        self.assertEqual(counters["fs_service_report_count"], 1)
        page = self.url_open(f"/my/service-reports/{report.id}")
        self.assertIn("Replaced disk 3", page.text)
        # A portal user signs as themselves (their contact is the signer).
        self.assertNotIn("error", self._sign(report, token=""))
        self.env.invalidate_all()
        self.assertEqual(report.signer_id, self.portal_user.partner_id)

        self.authenticate("fs_portal_wang", "fs_portal_wang")
        listing = self.url_open("/my/service-reports")
        self.assertNotIn(report.name, listing.text)
        page = self.url_open(f"/my/service-reports/{report.id}")
        self.assertNotIn("Replaced disk 3", page.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["fs_service_report_count"]}
        )
        self.assertEqual(counters["fs_service_report_count"], 0)
        # No access right for portal users: RPC reads nothing.
        with self.assertRaises(AccessError):
            report.with_user(self.portal_user).read(["name"])
