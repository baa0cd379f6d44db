# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import unicodedata
from datetime import date, datetime

from PyPDF2 import PdfReader

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import mute_logger

from odoo.addons.base.models.ir_qweb import QWebException

RADICAL_LOOKALIKES = str.maketrans({"\u2ed8": "青"})


@tagged("post_install", "-at_install")
class TestDispatchOrderReport(HttpCase):
    """The printed dispatch order 派工单 (SOP D1-D4, D10-D13).

    Real wkhtmltopdf rendering, so an HttpCase (STYLE.md, traps); it cannot
    share ``DispatchCommon`` (a TransactionCase), hence its own small fixture.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env["res.company"].create(
            {"name": "FS Report Co", "fs_late_threshold_minutes": 15}
        )
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"fs_report_{role}",
                name=f"Report {role.title()}",
                groups=f"base.group_user,field_service_sop.group_fs_{role}",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
            for role in ("engineer", "dispatcher", "manager")
        }
        cls.outsider = new_test_user(
            cls.env,
            login="fs_report_outsider",
            groups="base.group_user,field_service_sop.group_fs_engineer",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        Employee = cls.env["hr.employee"]
        cls.lead = Employee.create(
            {
                "name": "Wang Lead",
                "user_id": cls.users["engineer"].id,
                "mobile_phone": "+86 139 0000 1111",
                "company_id": cls.company.id,
            }
        )
        cls.second = Employee.create(
            {"name": "Li Second", "company_id": cls.company.id}
        )
        cls.report = cls.env.ref("field_service_sop.action_report_fs_dispatch_order")

    def _customer(self, **vals):
        values = {
            "name": "North Bank",
            "is_company": True,
            "street": "8 Harbour Rd",
            "city": "Qingdao",
            "phone": "+86 532 5555 0101",
        }
        values.update(vals)
        return self.env["res.partner"].create(values)

    def _order(self, partner, **vals):
        values = {
            "company_id": self.company.id,
            "partner_id": partner.id,
            "purpose": "Core switch reboots hourly",
            "content": "Replace the supervisor module",
            "attention_points": "Change window after 22:00 only",
            "engineer_ids": [(6, 0, (self.lead | self.second).ids)],
            "lead_engineer_id": self.lead.id,
        }
        values.update(vals)
        return (
            self.env["fs.dispatch.order"]
            .with_user(self.users["dispatcher"])
            .create(values)
        )

    def _pdf_text(self, order, user=None, lang="en_US"):
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        pdf, kind = Report.with_context(
            force_report_rendering=True, lang=lang
        )._render_qweb_pdf(self.report, order.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), "wkhtmltopdf did not produce a PDF")
        pages = PdfReader(io.BytesIO(pdf)).pages
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
        return self._normalise(text)

    def _normalise(self, text):
        # CJK fonts map some glyphs to Kangxi radicals (⼩ for 小), which NFKC
        # folds, and others to CJK Radicals Supplement lookalikes (⻘ for 青),
        # which it does not: fold those we meet explicitly.
        return unicodedata.normalize("NFKC", text).translate(RADICAL_LOOKALIKES)

    def assertInPdf(self, expected, text):
        self.assertIn(self._normalise(expected), text)

    def test_issued_order_as_lead_engineer(self):
        """SOP D1-D4, D10, D13: everything the engineer needs on one sheet.

        Issued by a delegate (D2) and printed by the lead engineer, who has no
        rights on tickets or delegations: the order still shows both.
        """
        customer = self._customer()
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Switch unstable",
                "description": "<p>Reboots</p>",
                "partner_id": customer.id,
                "company_id": self.company.id,
            }
        )
        order = self._order(
            customer,
            ticket_id=ticket.id,
            contract_ref="SO-2026-0042",
            priority="1",
            window_start=datetime(2026, 3, 2, 1, 0),
            window_end=datetime(2026, 3, 2, 9, 0),
        )
        self.env["fs.dispatch.delegation"].with_user(self.users["manager"]).create(
            {
                "company_id": self.company.id,
                "manager_id": self.users["manager"].id,
                "delegate_id": self.users["dispatcher"].id,
                "date_from": date(2020, 1, 1),
                "date_to": date(2099, 12, 31),
            }
        )
        order.with_user(self.users["dispatcher"]).action_issue()
        self.assertTrue(order.delegation_id)
        order.with_user(self.users["engineer"]).write(
            {
                "contact_at": datetime(2026, 3, 1, 2, 0),
                "appointment_at": datetime(2026, 3, 2, 2, 0),
                "symptoms": "Supervisor LED amber",
                "customer_preparation": "Rack key and console cable",
                "departed_at": datetime(2026, 3, 2, 1, 0),
                "arrived_at": datetime(2026, 3, 2, 2, 20),
            }
        )
        self.assertEqual(order.late_minutes, 20)

        text = self._pdf_text(order, user=self.users["engineer"])
        for expected in (
            f"Dispatch Order {order.name}",
            "State: Issued",
            "FS Report Co",
            "North Bank",
            "8 Harbour Rd",
            "+86 532 5555 0101",
            f"{ticket.number} - Switch unstable",
            "SO-2026-0042",
            "Priority Urgent",
            "Core switch reboots hourly",
            "Replace the supervisor module",
            "Change window after 22:00 only",
            "Wang Lead Lead Engineer +86 139 0000 1111",
            "Li Second Engineer",
            "Dispatcher Report Dispatcher Issued By Report Dispatcher",
            "Authorised by Report Manager",
            "Supervisor LED amber",
            "Rack key and console cable",
            "20 min after the appointment (over the threshold)",
            "Signatures",
        ):
            self.assertInPdf(expected, text)
        self.assertNotIn("not issued", text)

    def test_customer_language_and_cjk(self):
        """The sheet follows the customer's language, with real CJK text (D1)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["field_service_sop"], ["zh_CN"], overwrite=True
        )
        customer = self._customer(name="青岛北方银行", lang="zh_CN")
        order = self._order(
            customer,
            purpose="核心交换机每小时重启",
            attention_points="仅在22点后操作",
            window_start=datetime(2026, 3, 2, 12, 0),  # same date in any tz
        )
        self.lead.name = "王工"
        order.with_user(self.users["manager"]).action_issue()
        # Printed by an English-speaking user: the customer's language wins, as
        # the window written in the zh_CN date format shows.
        text = self._pdf_text(order, lang="en_US")
        window = date(2026, 3, 2).strftime(
            self.env["res.lang"]._lang_get("zh_CN").date_format
        )
        for expected in (
            order.name,
            "青岛北方银行",
            "核心交换机每小时重启",
            "仅在22点后操作",
            "王工",
            window,
        ):
            self.assertInPdf(expected, text)

    def test_empty_draft_renders(self):
        """A bare draft prints (blank form to fill in) and says it is not valid."""
        order = (
            self.env["fs.dispatch.order"]
            .with_user(self.users["dispatcher"])
            .create({"company_id": self.company.id, "priority": False})
        )
        text = self._pdf_text(order)
        self.assertInPdf(f"Dispatch Order {order.name}", text)
        self.assertInPdf("State: Draft", text)
        self.assertInPdf("not issued: it does not authorise a site visit", text)
        self.assertInPdf("No engineer assigned yet.", text)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.http")
    def test_engineer_not_on_order_cannot_print(self):
        """Engineers print only the orders they are on (no leak via sudo)."""
        order = self._order(self._customer())
        with self.assertRaises(QWebException) as catcher:
            self._pdf_text(order, user=self.outsider)
        self.assertIsInstance(catcher.exception.__cause__, AccessError)
