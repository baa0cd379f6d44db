# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SOP S5: the customer's signatures are drawn, never typed nor uploaded.

The browser offers only the drawing pad; the server refuses every signature
value that is no real, bounded PNG/JPEG with enough ink, whatever the path:
ORM/RPC create and write, the sign action, the portal route.
"""

import base64
import random
from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import FsReportCommon, drawn_signature

ARRIVAL = datetime(2026, 3, 2, 9, 0)
TOO_LITTLE = "empty or too small"
UNREADABLE = "could not be read"
TOO_LARGE = "too large"
TOO_MANY_PIXELS = "pixels a side"


def _bad_signatures():
    """(label, base64 value or raw bytes, expected message) of refused values."""
    rng = random.Random(5)  # noqa: S311 (test data, not security)
    return [
        ("empty pad", drawn_signature(strokes=[]), TOO_LITTLE),
        (
            "one-pixel dot",
            drawn_signature(strokes=[[(180, 60), (180, 60)]]),
            TOO_LITTLE,
        ),
        (
            "a tap-sized dash",
            drawn_signature(strokes=[[(100, 60), (115, 60)]]),
            TOO_LITTLE,
        ),
        ("a flat line", drawn_signature(strokes=[[(20, 60), (340, 61)]]), TOO_LITTLE),
        ("random bytes", base64.b64encode(rng.randbytes(4096)), UNREADABLE),
        ("not base64", b"not base64!", UNREADABLE),
        ("a GIF", drawn_signature(image_format="GIF"), UNREADABLE),
        ("4 MB of random bytes", rng.randbytes(4 * 1024 * 1024), TOO_LARGE),
        (
            "over 1 MB of base64",
            base64.b64encode(rng.randbytes(1024 * 1024 + 10)),
            TOO_LARGE,
        ),
        ("oversized picture", drawn_signature(size=(5000, 200)), TOO_MANY_PIXELS),
    ]


@tagged("post_install", "-at_install")
class TestDrawnSignature(FsReportCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "chen@eastbank.example.com"

    def _complete(self, report):
        report.with_user(self.users["engineer"]).write(
            {
                "departure_at": ARRIVAL + timedelta(hours=2),
                "work_done": "Checked disks and logs",
                "result": "solved",
                "completed_at": ARRIVAL + timedelta(hours=2),
            }
        )
        return report

    def _accept_values(self, signature):
        return {
            "rating_attitude": "5",
            "rating_response": "4",
            "rating_effect": "5",
            "rating_overall": "9",
            "signer_id": self.contact.id,
            "signature": signature,
        }

    # ------------------------------------------------------------------
    # ORM / RPC, as the engineer
    # ------------------------------------------------------------------
    def test_s5_orm_refuses_what_is_not_drawn(self):
        """Create and write of both customer signatures, and the sign action."""
        report = self._fs_report(ARRIVAL)
        engineer = report.with_user(self.users["engineer"])
        Report = self.env["fs.service.report"].with_user(self.users["engineer"])
        order = self._fs_order()
        order.with_user(self.users["manager"]).action_issue()
        for label, value, message in _bad_signatures():
            for field in ("signature", "consent_signature"):
                with self.subTest(label=label, field=field):
                    with self.assertRaisesRegex(UserError, message):
                        engineer.write({field: value})
            with self.subTest(label=label, path="create"):
                with self.assertRaisesRegex(UserError, message):
                    Report.create({"order_id": order.id, "consent_signature": value})
        self.assertFalse(report.signature or report.consent_signature)
        # Drawn ones are taken: a PNG from the pad, a JPEG of strokes on white.
        engineer.write({"consent_signature": drawn_signature(image_format="JPEG")})
        self.assertTrue(report.consent_signature)
        self._complete(report)
        engineer.action_to_sign()
        with self.assertRaisesRegex(UserError, TOO_LITTLE):
            engineer.action_customer_sign(
                self._accept_values(drawn_signature(strokes=[]))
            )
        self.assertEqual(report.state, "to_sign")
        self.assertFalse(report.signature)
        engineer.action_customer_sign(self._accept_values(drawn_signature()))
        self.assertEqual(report.state, "signed")
        self.assertEqual(report.signature, drawn_signature())

    # ------------------------------------------------------------------
    # The portal route (token link), as the customer
    # ------------------------------------------------------------------
    def _sent(self):
        report = self._complete(self._fs_report(ARRIVAL))
        engineer = report.with_user(self.users["engineer"])
        engineer.portal_partner_id = self.contact
        engineer.action_send_for_signature()
        return report

    def _portal_sign(self, report, signature):
        return self.make_jsonrpc_request(
            f"/my/service-reports/{report.id}/sign",
            {
                "access_token": report.access_token,
                "name": "Ms Chen",
                "signature": signature,
                "rating_attitude": "5",
                "rating_response": "4",
                "rating_effect": "5",
                "rating_overall": "9",
            },
        )

    def test_s5_portal_route_refuses_what_is_not_drawn(self):
        report = self._sent()
        for label, value, message in _bad_signatures():
            if label == "4 MB of random bytes":
                value = base64.b64encode(value[: 3 * 1024 * 1024])  # 4 MB, JSON-safe
            with self.subTest(label=label):
                result = self._portal_sign(report, value.decode("latin-1"))
                self.assertIn(message, result.get("error", ""))
        self.env.invalidate_all()
        self.assertEqual(report.state, "to_sign")
        self.assertFalse(report.signature)
        result = self._portal_sign(report, drawn_signature().decode())
        self.assertNotIn("error", result)
        self.env.invalidate_all()
        self.assertEqual(report.state, "signed")
        self.assertEqual(report.sign_channel, "portal")
