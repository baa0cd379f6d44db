# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Sealed means frozen (SOP S2, S12; issue 10.3).

A signed service report is the customer's voucher: what the signed PDF, the
portal page and the e-mail show is frozen in the report's seal at signing, the
seals of a company form a keyed hash chain, and "Verify Fingerprint" finds any
change made behind the application's back.
"""

import hashlib
import hmac
import io
import json
import unicodedata
from datetime import timedelta
from unittest.mock import patch

from PyPDF2 import PdfReader

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, config, mute_logger

from .common import (
    ARRIVAL,
    SIGNATURE,  # a drawn signature: the server refuses anything else (SOP S5)
    FsSopCommon,
    build_issued_order,
)

PDF_REPORT = "field_service_sop.action_report_fs_service_report"
SECRET = "unit-test-seal-key"


class SealCommon(FsSopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.health = cls.env.ref("field_service_sop.fs_service_type_health_check")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Harbour Bank",
                "is_company": True,
                "street": "8 Quay Rd",
                "city": "Ningbo",
                "phone": "+86 574 5555 0101",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Ms Qian (IT)",
                "parent_id": cls.customer.id,
                "email": "qian@harbourbank.example.com",
            }
        )
        cls.other_dispatcher = new_test_user(
            cls.env,
            login="fs_seal_dispatcher2",
            name="Second Dispatcher",
            groups="base.group_user,field_service_sop.group_fs_dispatcher",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.users["dispatcher"].name = "First Dispatcher"
        cls.lead = cls._employee("Lead Seal Eng", cls.users["engineer"], cls.company)
        cls.spare = cls._employee("Spare Seal Eng", False, cls.company)
        # Company B has its own people, its own reports and its own chain.
        cls.users_b = {
            role: new_test_user(
                cls.env,
                login=f"fs_seal_b_{role}",
                groups=f"base.group_user,field_service_sop.group_fs_{role}",
                company_id=cls.company_b.id,
                company_ids=[cls.company_b.id],
            )
            for role in ("engineer", "dispatcher", "manager")
        }
        cls.lead_b = cls._employee("Lead B", cls.users_b["engineer"], cls.company_b)

    @classmethod
    def _employee(cls, name, user, company):
        return cls.env["hr.employee"].create(
            {"name": name, "user_id": user and user.id, "company_id": company.id}
        )

    def _signed(self, b=False, work_done="Replaced disk 3, rebuilt RAID 5"):
        """A report signed on the engineer's device (SOP S2, S12)."""
        users, lead = (self.users_b, self.lead_b) if b else (self.users, self.lead)
        company = self.company_b if b else self.company
        order = build_issued_order(
            self.env,
            users["dispatcher"],
            users["manager"],
            self.customer,
            lead,
            arrived_at=ARRIVAL,
            company_id=company.id,
            service_type_id=self.health.id,
            purpose="Disk alarm",
            content="Replace the failed disk",
            attention_points=False,
        )
        report = (
            self.env["fs.service.report"]
            .with_user(users["engineer"])
            .create({"order_id": order.id})
        )
        report.write(
            {
                "departure_at": ARRIVAL + timedelta(hours=3),
                "completed_at": ARRIVAL + timedelta(hours=3),
                "work_done": work_done,
                "result": "solved",
                "part_ids": [
                    (
                        0,
                        0,
                        {
                            "description": "SAS disk 600 GB",
                            "quantity": 2,
                            "new_serial": "SN-NEW-1",
                            "old_serial": "SN-OLD-1",
                        },
                    )
                ],
            }
        )
        report.action_customer_sign(
            {
                "rating_attitude": "5",
                "rating_response": "4",
                "rating_effect": "5",
                "rating_overall": "9",
                "signer_id": self.contact.id,
                "signature": SIGNATURE,
            }
        )
        return report.sudo()

    def _change_order_after_signing(self, report):
        """What the attacker of issue 10.3 changed: all outside the report."""
        report.order_id.sudo().write(
            {
                "name": "PG-RENAMED-99",
                "dispatcher_id": self.other_dispatcher.id,
                "site_address": "99 Forged Street",
                "site_phone": "+86 000 0000 0000",
            }
        )

    def _verify(self, report, user="dispatcher"):
        action = report.with_user(self.users[user]).action_verify_fingerprint()
        report.invalidate_recordset()
        return action["params"]

    def _plain_hash(self, seal, snapshot):
        """What an attacker without the key recomputes (sha256 of the seal)."""
        payload = {
            "company_id": seal.company_id.id,
            "sequence": seal.sequence,
            "report_id": seal.report_id.id,
            "name": seal.name,
            "sealed_at": str(seal.sealed_at),
            "keyed": False,
        }
        text = json.dumps(
            payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        message = "\n".join((seal.previous_hash or "", text, snapshot)).encode()
        return hashlib.sha256(message).hexdigest()

    def _sql(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(SQL(query, *args))
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestSealFrozen(SealCommon):
    """SOP S2, S12 (issue 10.3): the signed documents render from the seal."""

    def test_s12_signed_pdf_keeps_the_signed_order_data(self):
        """Renaming the order, changing its dispatcher, site address or phone
        after signing changes neither the signed PDF nor the e-mail."""
        report = self._signed()
        number = report.order_id.name
        self._change_order_after_signing(report)
        self.env.invalidate_all()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(PDF_REPORT, report.ids)[0]
            .decode()
        )
        for signed in (number, "First Dispatcher", "8 Quay Rd", "+86 574 5555 0101"):
            self.assertIn(signed, html)
        for live in ("PG-RENAMED-99", "Second Dispatcher", "99 Forged", "+86 000"):
            self.assertNotIn(live, html)
        self.assertIn(report.fingerprint, html)
        self.assertIn("data:image/png;base64,", html, "the QR code is printed")
        self.assertIn(f"/fs/seal/{report.fingerprint}", html)
        template = self.env.ref(
            "field_service_sop.fs_service_report_mail_template_signed"
        )
        body = template._render_field("body_html", report.ids)[report.id]
        self.assertIn(number, body)
        self.assertNotIn("PG-RENAMED-99", body)

    def test_s2_snapshot_holds_every_printed_value(self):
        """SOP S2: the seal's snapshot holds what the documents show."""
        report = self._signed()
        seal = report.seal_id
        self.assertEqual(seal.report_id, report)
        self.assertEqual(report.fingerprint, seal.hash)
        snapshot = json.loads(report.seal_snapshot)
        self.assertEqual(snapshot["order_number"], report.order_id.name)
        self.assertEqual(snapshot["dispatcher"], "First Dispatcher")
        self.assertEqual(snapshot["customer"], "Harbour Bank")
        self.assertEqual(snapshot["engineer"], "Lead Seal Eng")
        self.assertEqual(snapshot["signer"], "Ms Qian (IT)")
        self.assertIn("8 Quay Rd", snapshot["site_address"])
        self.assertEqual(snapshot["hours_on_site"], 3.0)
        self.assertEqual(snapshot["parts"][0]["quantity"], 2.0)
        self.assertEqual(
            snapshot["signature_sha256"], hashlib.sha256(SIGNATURE).hexdigest()
        )

    def test_seal_is_written_by_the_seal_only(self):
        """Seals and the chain head: read-only for every role (RPC too)."""
        report = self._signed()
        seal = report.seal_id
        for role in ("engineer", "dispatcher", "manager", "director"):
            user = self.users[role]
            self.assertEqual(seal.with_user(user).read(["hash"])[0]["hash"], seal.hash)
            with self.assertRaises(AccessError):
                seal.with_user(user).write({"snapshot": "{}"})
            with self.assertRaises(AccessError):
                seal.with_user(user).unlink()
            with self.assertRaises(AccessError):
                seal.with_user(user).create({"name": "FW-FAKE"})
            with self.assertRaises(AccessError):
                report.with_user(user).write({"seal_id": False})
        head = self.env["fs.service.report.seal.head"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual((head.sequence, head.hash), (seal.sequence, seal.hash))
        with self.assertRaises(AccessError):
            head.with_user(self.users["manager"]).write({"hash": "0" * 64})
        # Another company's user does not even read the seal.
        with self.assertRaises(AccessError):
            seal.with_user(self.users_b["manager"]).read(["hash"])


@tagged("post_install", "-at_install")
class TestSealVerify(SealCommon):
    """SOP S2 (issue 10.3): verification finds what SQL changed."""

    def test_verify_detects_sql_update_of_each_printed_value(self):
        report = self._signed()
        self.assertEqual(self._verify(report)["type"], "success")
        self.assertEqual(report.fingerprint_check, "match")
        part = report.part_ids
        cases = [
            # (table, column, value, row, result, label shown)
            ("fs_service_report", "hours_on_site", 9.5, report.id, "mismatch", None),
            ("fs_service_report", "work_done", "Nothing", report.id, "mismatch", None),
            ("fs_service_report_part", "quantity", 7, part.id, "mismatch", "Spare"),
            ("fs_dispatch_order", "name", "PG-X", report.order_id.id, "changed", None),
            (
                "fs_service_report",
                "partner_id",
                self.contact.id,
                report.id,
                "changed",
                "Customer",
            ),
            (
                "fs_service_report",
                "engineer_id",
                self.spare.id,
                report.id,
                "changed",
                "Lead Engineer",
            ),
            (
                "fs_service_report",
                "dispatcher_id",
                self.other_dispatcher.id,
                report.id,
                "changed",
                "Dispatcher",
            ),
        ]
        labels = {
            "hours_on_site": "Hours On Site",
            "work_done": "Work Done",
            "name": "Order Number",
        }
        for table, column, value, row, result, label in cases:
            with self.subTest(column=f"{table}.{column}"):
                self.env.cr.execute("SAVEPOINT seal_case")
                self._sql(
                    "UPDATE %s SET %s = %s WHERE id = %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    value,
                    row,
                )
                params = self._verify(report)
                self.assertEqual(report.fingerprint_check, result)
                self.assertIn(report.name, params["message"])
                self.assertIn(label or labels[column], params["message"])
                self.assertEqual(
                    params["type"], "danger" if result == "mismatch" else "warning"
                )
                self.env.flush_all()
                self.env.cr.execute("ROLLBACK TO SAVEPOINT seal_case")
                self.env.invalidate_all()
        self._verify(report)
        self.assertEqual(report.fingerprint_check, "match")

    def test_verify_detects_sql_edit_of_the_snapshot(self):
        """Editing the frozen snapshot itself breaks the seal's hash."""
        report = self._signed()
        self._sql(
            "UPDATE fs_service_report_seal SET snapshot = "
            "replace(snapshot, 'Replaced disk 3', 'Nothing done') WHERE id = %s",
            report.seal_id.id,
        )
        self.assertIn("Nothing done", report.seal_id.snapshot)
        params = self._verify(report)
        self.assertEqual(report.fingerprint_check, "mismatch")
        self.assertIn("BROKEN", params["message"])
        self.assertIn(f"seal No. 1 ({report.name}) was altered", params["message"])
        self.assertIn("Fingerprint verification FAILED", report.message_ids[0].body)

    def test_edit_and_recompute_of_one_fingerprint_breaks_the_chain(self):
        """Recomputing an edited seal's plain hash breaks the next link; the
        result names the first broken link."""
        first, second, third = (self._signed() for _i in range(3))
        self.assertEqual(
            [first.seal_sequence, second.seal_sequence, third.seal_sequence], [1, 2, 3]
        )
        self.assertEqual(second.seal_previous_hash, first.fingerprint)
        self.assertEqual(third.seal_previous_hash, second.fingerprint)
        seal = second.seal_id
        snapshot = seal.snapshot.replace("Replaced disk 3", "Nothing done")
        forged = self._plain_hash(seal, snapshot)
        self._sql(
            "UPDATE fs_service_report_seal SET snapshot = %s, hash = %s WHERE id = %s",
            snapshot,
            forged,
            seal.id,
        )
        self._sql(
            "UPDATE fs_service_report SET fingerprint = %s, work_done = %s "
            "WHERE id = %s",
            forged,
            "Nothing done",
            second.id,
        )
        self.assertTrue(seal._fs_hash_ok(), "the forged seal alone looks fine")
        params = self._verify(second)
        self.assertEqual(second.fingerprint_check, "mismatch")
        self.assertIn(
            f"first broken link: seal No. 3 ({third.name}) does not follow seal "
            f"No. 2 ({second.name})",
            params["message"],
        )
        # The seal before the broken link is still intact.
        self._verify(first)
        self.assertEqual(first.fingerprint_check, "match")

    def test_edit_and_recompute_of_the_last_seal_is_caught_by_the_head(self):
        first, last = self._signed(), self._signed()
        seal = last.seal_id
        snapshot = seal.snapshot.replace("Replaced disk 3", "Nothing done")
        forged = self._plain_hash(seal, snapshot)
        self._sql(
            "UPDATE fs_service_report_seal SET snapshot = %s, hash = %s WHERE id = %s",
            snapshot,
            forged,
            seal.id,
        )
        params = self._verify(first)
        self.assertIn(f"last seal No. 2 ({last.name})", params["message"])
        self.assertEqual(first.fingerprint_check, "match")

    def test_two_companies_have_independent_chains(self):
        report_a, report_b = self._signed(), self._signed(b=True)
        report_a2 = self._signed()
        self.assertEqual(report_a.seal_id.company_id, self.company)
        self.assertEqual(report_b.seal_id.company_id, self.company_b)
        self.assertEqual((report_a.seal_sequence, report_b.seal_sequence), (1, 1))
        self.assertFalse(report_b.seal_previous_hash)
        self.assertEqual(report_a2.seal_previous_hash, report_a.fingerprint)
        # Company B's chain broken: company A's still verifies.
        self._sql(
            "UPDATE fs_service_report_seal SET snapshot = snapshot || ' ' "
            "WHERE id = %s",
            report_b.seal_id.id,
        )
        params = self._verify(report_a2)
        self.assertEqual(report_a2.fingerprint_check, "match")
        self.assertIn("intact (2 seals)", params["message"])
        report_b.with_user(self.users_b["dispatcher"]).action_verify_fingerprint()
        self.assertEqual(report_b.fingerprint_check, "mismatch")

    def test_reopen_keeps_the_chain_valid(self):
        """A reopened report's seal stays in the chain; signing again appends."""
        report, other = self._signed(), self._signed()
        old = report.seal_id
        report.with_user(self.users["manager"]).action_reopen("Wrong serial")
        self.assertFalse(report.seal_id)
        self.assertTrue(old.exists())
        self.assertEqual(old._fs_public_status(), "void")
        with self.assertRaisesRegex(UserError, "signed once"):
            report.with_user(self.users["manager"]).unlink()
        report.with_user(self.users["engineer"]).action_customer_sign(
            {
                "rating_attitude": "5",
                "rating_response": "5",
                "rating_effect": "5",
                "rating_overall": "10",
                "signer_id": self.contact.id,
                "signature": SIGNATURE,
            }
        )
        self.assertEqual(report.seal_sequence, 3)
        self.assertEqual(report.seal_previous_hash, other.fingerprint)
        self.assertEqual(report.seal_ids, old | report.seal_id)
        params = self._verify(report)
        self.assertEqual(report.fingerprint_check, "match")
        self.assertIn("intact (3 seals)", params["message"])
        self.assertEqual(report.seal_id._fs_public_status(), "valid")


@tagged("post_install", "-at_install")
class TestSealKey(SealCommon):
    """SOP S2 (issue 10.3): seals are keyed with the server's secret."""

    def _secret(self, value=SECRET):
        return patch.dict(config.options, {"fs_seal_secret": value})

    def test_unkeyed_without_secret(self):
        with self._secret(False):
            report = self._signed()
            self.assertFalse(report.fingerprint_keyed)
            self._verify(report)
        self.assertEqual(report.fingerprint_check, "match")

    def test_keyed_with_secret(self):
        with self._secret():
            report = self._signed()
            self.assertTrue(report.fingerprint_keyed)
            seal = report.seal_id
            values = seal._fs_hashed_values(
                {
                    "name": seal.name,
                    "sequence": seal.sequence,
                    "keyed": True,
                    "company_id": seal.company_id.id,
                    "report_id": report.id,
                    "sealed_at": seal.sealed_at,
                    "previous_hash": seal.previous_hash,
                    "snapshot": seal.snapshot,
                }
            )
            payload = json.dumps(
                {
                    k: v
                    for k, v in values.items()
                    if k not in ("previous_hash", "snapshot")
                },
                sort_keys=True,
                separators=(",", ":"),
                ensure_ascii=False,
            )
            message = "\n".join(("", payload, seal.snapshot)).encode()
            expected = hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
            self.assertEqual(report.fingerprint, expected)
            self._verify(report)
            self.assertEqual(report.fingerprint_check, "match")
        # Without the key a keyed seal cannot be checked: said, not "match".
        with self._secret(False), self.assertRaisesRegex(UserError, "fs_seal_secret"):
            report.with_user(self.users["dispatcher"]).action_verify_fingerprint()
        # Another key: every keyed seal fails.
        with self._secret("another key"):
            self._verify(report)
        self.assertEqual(report.fingerprint_check, "mismatch")

    def test_keyed_seal_cannot_be_recomputed_without_the_key(self):
        """An attacker without the key recomputes a plain hash (and moves the
        head): the unkeyed seal after keyed ones is a broken link."""
        with self._secret():
            first, last = self._signed(), self._signed()
        seal = last.seal_id
        snapshot = seal.snapshot.replace("Replaced disk 3", "Nothing done")
        forged = self._plain_hash(seal, snapshot)
        self._sql(
            "UPDATE fs_service_report_seal SET snapshot = %s, hash = %s, "
            "keyed = FALSE WHERE id = %s",
            snapshot,
            forged,
            seal.id,
        )
        self._sql(
            "UPDATE fs_service_report_seal_head SET hash = %s WHERE company_id = %s",
            forged,
            self.company.id,
        )
        self._sql(
            "UPDATE fs_service_report SET fingerprint = %s WHERE id = %s",
            forged,
            last.id,
        )
        with self._secret():
            params = self._verify(first)
            self.assertIn("not keyed although earlier seals are", params["message"])
            self.assertEqual(seal._fs_public_status(), "invalid")
            self._verify(last)
        self.assertEqual(last.fingerprint_check, "mismatch")


@tagged("post_install", "-at_install")
class TestSealPages(SealCommon, HttpCase):
    """SOP S2, S12 (issue 10.3): the portal page, the real PDF and the public
    verification page."""

    def test_s12_portal_page_and_pdf_keep_the_signed_values(self):
        report = self._signed()
        number = report.order_id.name
        report._portal_ensure_token()
        self._change_order_after_signing(report)
        page = self.url_open(report.get_portal_url())
        self.assertEqual(page.status_code, 200)
        for signed in (number, "First Dispatcher", "8 Quay Rd", "+86 574 5555 0101"):
            self.assertIn(signed, page.text)
        for live in ("PG-RENAMED-99", "Second Dispatcher", "99 Forged", "+86 000"):
            self.assertNotIn(live, page.text)
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(PDF_REPORT, report.ids)
        )
        pages = PdfReader(io.BytesIO(pdf)).pages
        text = unicodedata.normalize(
            "NFKC", " ".join(" ".join(p.extract_text() for p in pages).split())
        )
        self.assertIn(number, text)
        self.assertIn("First Dispatcher", text)
        self.assertNotIn("PG-RENAMED-99", text)
        self.assertIn(report.fingerprint, text.replace(" ", ""))

    def test_public_verification_page(self):
        report = self._signed()
        url = f"/fs/seal/{report.fingerprint}"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn('data-status="valid"', page.text)
        self.assertIn(report.name, page.text)
        for private in ("Harbour Bank", "Ms Qian", "Quay", "Lead Seal Eng", "disk"):
            self.assertNotIn(private, page.text)
        # Altered behind the application's back: invalid.
        self._sql(
            "UPDATE fs_service_report_seal SET snapshot = snapshot || ' ' "
            "WHERE id = %s",
            report.seal_id.id,
        )
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn('data-status="invalid"', page.text)
        with mute_logger("odoo.http", "werkzeug"):
            self.assertEqual(self.url_open("/fs/seal/" + "0" * 64).status_code, 404)
            self.assertEqual(self.url_open("/fs/seal/not-a-hash").status_code, 404)
            # Read-only: no other method than GET.
            self.assertEqual(self.url_open(url, data={"x": "1"}).status_code, 405)
