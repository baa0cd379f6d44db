# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io

from PyPDF2 import PdfReader

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSopStandardsReport(HttpCase):
    """Real wkhtmltopdf rendering: only inside an HttpCase (STYLE.md, traps)."""

    def test_sop_standards_pdf(self):
        company = self.env["res.company"].create(
            {"name": "PDF Test Co", "fs_report_entry_hours": 37}
        )
        self.env["fs.service.type"].create(
            {"name": "Quarterly Audit", "code": "qaudit", "company_id": company.id}
        )
        report = self.env.ref("field_service_sop.action_report_fs_sop_standards")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, company.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), "wkhtmltopdf did not produce a PDF")
        # The report uses system fonts so the PDF keeps a text layer (and CJK).
        pages = PdfReader(io.BytesIO(pdf)).pages
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
        self.assertIn("SOP Standards PDF Test Co", text)
        # This company's S8 value, not the default 48.
        self.assertIn("S8 Report Entry Deadline (h) 37", text)
        self.assertIn("Quarterly Audit qaudit Not required", text)
        self.assertIn("Fault Repair fault Required", text)
