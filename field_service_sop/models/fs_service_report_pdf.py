# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from .fs_service_report import LOCKED_STATES

_logger = logging.getLogger(__name__)

PDF_BATCH_SIZE = 10
PDF_REPORT = "field_service_sop.action_report_fs_service_report"
PDF_TEMPLATE = "field_service_sop.fs_service_report_mail_template_signed"
PDF_CRON = "field_service_sop.ir_cron_fs_service_report_pdf"
# A report another transaction got in the way of is retried this much later.
PDF_RETRY_DELAY = timedelta(minutes=1)


class FsServiceReport(models.Model):
    """The signed service report PDF 服务报告单 (SOP S2, S3, S12).

    Once the customer has signed (or a Project Assistant confirmed by phone),
    the sealed report is rendered as a PDF with both signatures, the ratings,
    the spare parts and the fingerprint, attached to the report, posted in
    its chatter and e-mailed to the customer's contact.

    Rendering calls wkhtmltopdf (seconds per report), so signing only marks
    the report ``pdf_pending`` and wakes the scheduled action
    ``_cron_send_signed_reports``, which renders pending reports in bounded
    batches. The flag and the attachment are written by the system only;
    dispatchers may queue a sealed report again with "Send Signed Report".
    Reopening a report voids its PDF: the file stays (the customer received
    it) but is marked void and no longer linked as the report's signed PDF.
    """

    _inherit = "fs.service.report"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    pdf_pending = fields.Boolean(
        string="Signed PDF Queued",
        readonly=True,
        copy=False,
        index=True,
        help="The signed PDF will be rendered and e-mailed to the customer "
        "by a scheduled action.",
    )
    pdf_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Signed PDF",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    pdf_sent_at = fields.Datetime(
        string="Signed PDF Sent At", readonly=True, copy=False
    )
    pdf_recipient_id = fields.Many2one(
        "res.partner",
        string="Signed PDF Recipient",
        compute="_compute_pdf_recipient_id",
        help="The customer's contact who receives the signed PDF: the signer, "
        "else the contact called, the site contact or the customer.",
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends(
        "signer_id.email",
        "phone_contact_id.email",
        "order_id.site_contact_id.email",
        "partner_id.email",
    )
    def _compute_pdf_recipient_id(self):
        for report in self:
            candidates = (
                report.signer_id
                | report.phone_contact_id
                | report.order_id.site_contact_id
                | report.partner_id
            )
            with_email = candidates.filtered("email")
            report.pdf_recipient_id = (with_email or candidates)[:1]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send_signed_report(self):
        """Dispatchers: render the signed PDF again and e-mail it (queued)."""
        self._fs_require_dispatcher(self.env._("send the signed service report"))
        self.check_access("read")
        unsigned = self.filtered(lambda report: not report._fs_is_locked())
        if unsigned:
            raise UserError(
                self.env._(
                    "%(reports)s is not signed yet: only a signed or "
                    "phone-confirmed report is sent to the customer (SOP S12).",
                    reports=", ".join(unsigned.mapped("name")),
                )
            )
        # Rights checked above; the flag is the system's own field.
        self.sudo()._fs_queue_pdf()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The signed report will be rendered and e-mailed to the "
                    "customer in a moment."
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_void_pdf(self, previous):
        """SOP S12: a report leaving the signed states (reopened) no longer
        matches the PDF the customer received: unqueue and unlink it.

        The attachment is kept: it is what the customer received, and the
        chatter message that carried it keeps it. Its description says it is
        void; the next signature renders and sends a new one. Entered-state
        hook: the guarded write checked the caller may change the state.
        """
        reopened = self.filtered(
            lambda report: previous[report.id] in LOCKED_STATES
            and (report.pdf_pending or report.pdf_attachment_id)
        )
        for report in reopened.sudo():
            attachment = report.pdf_attachment_id
            if attachment:
                attachment.description = self.env._(
                    "Void: service report %(report)s was reopened on %(date)s "
                    "after this PDF was sent; it no longer matches the report.",
                    report=report.name,
                    date=fields.Datetime.now(),
                )
            report.write(
                {"pdf_pending": False, "pdf_attachment_id": False, "pdf_sent_at": False}
            )

    def _fs_queue_pdf(self):
        """Mark for the scheduled action and wake it (call as superuser)."""
        self.write({"pdf_pending": True})
        cron = self.env.ref(PDF_CRON, raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    def _fs_pdf_filename(self):
        """Attachment name in the customer's language (服务报告单 <number>.pdf)."""
        self.ensure_one()
        lang = self.pdf_recipient_id.lang or self.partner_id.lang
        env = self.with_context(lang=lang).env if lang else self.env
        return env._(
            "Service Report %(number)s.pdf",
            number=(self.name or "").replace("/", "-"),
        )

    def _fs_send_signed_pdf(self):
        """Render, attach, post and queue the e-mail of one sealed report."""
        self.ensure_one()
        pdf, kind = self.env["ir.actions.report"]._render_qweb_pdf(PDF_REPORT, self.ids)
        if kind != "pdf":  # only tests without force_report_rendering
            _logger.info("Service report %s rendered as %s", self.name, kind)
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._fs_pdf_filename(),
                "type": "binary",
                "raw": pdf,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        template = self.env.ref(PDF_TEMPLATE)
        # The template's recipient is the customer's contact; the chatter
        # message carries the PDF and is e-mailed through the mail queue.
        self.message_post_with_source(
            template,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=[Command.set(attachment.ids)],
            force_send=False,
        )
        self.write(
            {
                "pdf_pending": False,
                "pdf_attachment_id": attachment.id,
                "pdf_sent_at": fields.Datetime.now(),
            }
        )

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_signed_reports(self, batch_size=PDF_BATCH_SIZE):
        """Render and send queued signed reports, one bounded batch per call.

        Idempotent: each report's flag is cleared in the same transaction as
        its PDF and e-mail, and rows being handled by another worker are
        skipped. Each report runs in its own savepoint, so one failure loses
        no other report's work. A report that fails to render gets a chatter
        note and leaves the queue, so it cannot block the others; "Send
        Signed Report" retries. A report that failed only because another
        transaction held or changed a row it needs (the customer's partner is
        written by every portal notification) stays queued and is retried a
        minute later: a busy customer must not lose its PDF.

        Returns the reports handled (sent, failed or no longer signed).
        """
        Report = self.sudo()
        Report.flush_model(["pdf_pending"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM fs_service_report WHERE pdf_pending "
                "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                batch_size,
            )
        )
        handled = deferred = Report.browse()
        for report in Report.browse([row[0] for row in rows]):
            if report.state not in LOCKED_STATES:  # reopened meanwhile
                report.pdf_pending = False
                handled |= report
                continue
            try:
                with self.env.cr.savepoint():
                    report._fs_send_signed_pdf()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
                _logger.info(
                    "Signed service report %s deferred (concurrent update: %s)",
                    report.name,
                    error.pgcode,
                )
                deferred |= report
                continue
            except Exception:
                _logger.exception("Cannot send signed service report %s", report.name)
                if not report._fs_unqueue_failed_pdf():
                    deferred |= report
                    continue
            handled |= report
        if deferred:
            cron = self.env.ref(PDF_CRON, raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger(fields.Datetime.now() + PDF_RETRY_DELAY)
        remaining = Report.search_count([("pdf_pending", "=", True)])
        self.env["ir.cron"]._notify_progress(done=len(handled), remaining=remaining)
        return handled

    def _fs_unqueue_failed_pdf(self):
        """Take a report that failed to render out of the queue, with a note.

        Returns False if even that met a concurrent update (then the report
        stays queued and is retried).
        """
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.pdf_pending = False
                self.message_post(
                    body=self.env._(
                        "The signed PDF could not be rendered or e-mailed. A "
                        "dispatcher may retry with Send Signed Report."
                    )
                )
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            return False
        return True
