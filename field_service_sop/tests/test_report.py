# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import unicodedata

from PyPDF2 import PdfReader

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSopStandardsReport(HttpCase):
    """Real wkhtmltopdf rendering: only inside an HttpCase (STYLE.md, traps)."""

    def _render_text(self, company, lang="en_US"):
        report = self.env.ref("field_service_sop.action_report_fs_sop_standards")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, lang=lang)
            ._render_qweb_pdf(report, company.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), "wkhtmltopdf did not produce a PDF")
        # The report uses system fonts so the PDF keeps a text layer (and CJK).
        pages = PdfReader(io.BytesIO(pdf)).pages
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
        # CJK fonts map some glyphs to Kangxi radicals (⼩ for 小): compare NFKC.
        return unicodedata.normalize("NFKC", text)

    def assertInPdf(self, expected, text):
        self.assertIn(unicodedata.normalize("NFKC", expected), text)

    def test_sop_standards_pdf_in_chinese(self):
        """Chinese users get the sheet in Chinese, with real CJK glyphs."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["field_service_sop"], ["zh_CN"], overwrite=True
        )
        company = self.env["res.company"].create({"name": "深圳测试公司"})
        text = self._render_text(company, lang="zh_CN")
        self.assertInPdf("服务规范标准 深圳测试公司", text)
        self.assertInPdf("S8 报告录入时限（小时） 48", text)
        self.assertInPdf("故障维修 fault 需要", text)

    def test_sop_standards_pdf(self):
        company = self.env["res.company"].create(
            {"name": "PDF Test Co", "fs_report_entry_hours": 37}
        )
        self.env["fs.service.type"].create(
            {"name": "Quarterly Audit", "code": "qaudit", "company_id": company.id}
        )
        text = self._render_text(company)
        self.assertIn("SOP Standards PDF Test Co", text)
        # This company's S8 value, not the default 48.
        self.assertIn("S8 Report Entry Deadline (h) 37", text)
        self.assertIn("Quarterly Audit qaudit Not required", text)
        self.assertIn("Fault Repair fault Required", text)
