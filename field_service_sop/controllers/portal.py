# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.urls import url_encode

from odoo import SUPERUSER_ID, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.fs_service_report import RATING_5, RATING_10
from ..models.fs_service_report_pdf import PDF_REPORT
from ..models.fs_signature_image import check_drawn_signature

# Rating fields and the marks each accepts (SOP S7, S12).
RATINGS = {
    "rating_attitude": {key for key, _label in RATING_5},
    "rating_response": {key for key, _label in RATING_5},
    "rating_effect": {key for key, _label in RATING_5},
    "rating_overall": {key for key, _label in RATING_10},
}
# What the customer sees: never drafts nor cancelled reports.
PORTAL_STATES = ("to_sign", "signed", "phone_confirmed")
MAX_NAME = 128
MAX_COMMENTS = 2000


class FsServiceReportPortal(CustomerPortal):
    """The customer's service reports: list, page, rating and signature.

    SOP S2, S12: the customer signs and rates a pending report through a
    tokenised link. Portal users have no access right on the model: every
    record is read as superuser only after ``_fs_report_check_access`` has
    checked the token of THAT report or that the user belongs to its
    customer. No GET route changes anything; the signature is JSON (POST).
    """

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def _fs_report_domain(self):
        """Reports of the logged-in user's company (commercial partner)."""
        partner = request.env.user.commercial_partner_id
        return [
            ("partner_id.commercial_partner_id", "=", partner.id),
            ("state", "in", PORTAL_STATES),
        ]

    def _fs_report_check_access(self, report_id, access_token=None):
        """Sudoed report after the token or ownership check, else raise."""
        try:
            report_sudo = self._document_check_access(
                "fs.service.report", report_id, access_token=access_token
            )
        except AccessError:
            user = request.env.user
            if user._is_public():
                raise
            report = request.env["fs.service.report"].browse(report_id)
            # Same environment as ``_document_check_access`` returns.
            report_sudo = report.with_user(SUPERUSER_ID).exists()
            if not report_sudo.filtered_domain(self._fs_report_domain()):
                raise
            return report_sudo
        # A link sent for signature shows nothing once the report went back to
        # draft (the engineer edits it again) or was cancelled.
        if report_sudo.state not in PORTAL_STATES:
            raise AccessError(request.env._("This link is not valid."))
        return report_sudo

    @staticmethod
    def _fs_ratings(params):
        """Valid ratings among ``params``; raise on a mark out of range."""
        ratings = {}
        for name, allowed in RATINGS.items():
            value = params.get(name)
            if value in (None, "", False):
                continue
            value = str(value)
            if value not in allowed:
                raise UserError(
                    request.env._(
                        "Ratings go from 1 to %(top)s: %(value)s is out of range.",
                        top=max(allowed, key=int),
                        value=value[:10],
                    )
                )
            ratings[name] = value
        return ratings

    # ------------------------------------------------------------------
    # /my
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "fs_service_report_count" in counters:
            # Domain restricted to the user's own company just above.
            values["fs_service_report_count"] = (
                request.env["fs.service.report"]
                .sudo()
                .search_count(self._fs_report_domain())
            )
        return values

    @http.route(
        ["/my/service-reports", "/my/service-reports/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def fs_portal_my_service_reports(self, page=1, **kw):
        Report = request.env["fs.service.report"].sudo()
        domain = self._fs_report_domain()
        pager = portal_pager(
            url="/my/service-reports",
            total=Report.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        reports = Report.search(
            domain, limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "reports": reports,
                "page_name": "fs_service_report",
                "pager": pager,
                "default_url": "/my/service-reports",
            }
        )
        return request.render("field_service_sop.fs_service_report_portal_list", values)

    @http.route(
        ["/my/service-reports/<int:report_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def fs_portal_service_report_page(
        self, report_id, access_token=None, message=None, **kw
    ):
        try:
            report_sudo = self._fs_report_check_access(report_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        sign_error = sign_url = False
        try:
            report_sudo._fs_portal_check_signable()
        except UserError as error:
            sign_error = error.args[0]
        # The ratings chosen in the first step (GET: nothing is stored) are
        # carried in the signing URL; the POST checks them again.
        try:
            ratings = self._fs_ratings(kw)
        except UserError as error:
            ratings, sign_error = {}, sign_error or error.args[0]
        comments = (kw.get("customer_comments") or "")[:MAX_COMMENTS]
        if not sign_error and len(ratings) == len(RATINGS):
            query = {"access_token": access_token or report_sudo.access_token}
            query.update(ratings)
            if comments:
                query["customer_comments"] = comments
            sign_url = f"/my/service-reports/{report_sudo.id}/sign?{url_encode(query)}"
        values = self._prepare_portal_layout_values()
        values = self._get_page_view_values(
            report_sudo,
            access_token,
            values,
            "my_fs_service_reports_history",
            False,
        )
        values.update(
            {
                "report": report_sudo,
                "page_name": "fs_service_report",
                "message": message,
                "sign_error": sign_error,
                "sign_url": sign_url,
                "ratings": ratings,
                "comments": comments,
                "rating_5": RATING_5,
                "rating_10": RATING_10,
                "default_name": report_sudo.portal_partner_id.name or "",
            }
        )
        return request.render("field_service_sop.fs_service_report_portal_page", values)

    @http.route(
        ["/my/service-reports/<int:report_id>/pdf"],
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
    )
    def fs_portal_service_report_pdf(self, report_id, access_token=None, **kw):
        """The signed PDF the customer was e-mailed (SOP S2, S12): read-only.

        Served from the attachment the scheduled action rendered; until it
        has run, rendered on the fly from the seal, without storing anything
        (a GET changes nothing).
        """
        try:
            report_sudo = self._fs_report_check_access(report_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not report_sudo._fs_is_locked():
            return request.redirect(report_sudo.get_portal_url())
        attachment = report_sudo.pdf_attachment_id
        if attachment:
            pdf = attachment.raw
        else:
            pdf, _kind = (
                request.env["ir.actions.report"]
                .sudo()
                ._render_qweb_pdf(PDF_REPORT, report_sudo.ids)
            )
        filename = report_sudo._fs_pdf_filename()
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    # ------------------------------------------------------------------
    # Signature (POST / JSON only)
    # ------------------------------------------------------------------
    @http.route(
        ["/my/service-reports/<int:report_id>/sign"],
        type="json",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def fs_portal_service_report_sign(
        self, report_id, access_token=None, name=None, signature=None, **kw
    ):
        """SOP S2, S5, S12: the customer rates and signs a pending report."""
        _ = request.env._
        args = request.httprequest.args
        access_token = access_token or args.get("access_token")
        try:
            report_sudo = self._fs_report_check_access(report_id, access_token)
        except (AccessError, MissingError):
            return {"error": _("This link is not valid.")}
        user = request.env.user
        if user._is_internal():
            # SOP S5: staff never sign on the customer's behalf.
            return {
                "error": _(
                    "Staff never sign on the customer's behalf (SOP S5): the "
                    "customer signs through their own link."
                )
            }
        params = {**args, **kw}
        name = (name or "").strip()
        comments = (params.get("customer_comments") or "").strip()
        try:
            report_sudo._fs_portal_check_signable()
            ratings = self._fs_ratings(params)
            if len(ratings) != len(RATINGS):
                raise UserError(
                    _(
                        "Rate attitude, response time and effect, and the overall "
                        "service."
                    )
                )
            if not name or len(name) > MAX_NAME:
                raise UserError(_("Type your name (at most 128 characters)."))
            if len(comments) > MAX_COMMENTS:
                raise UserError(_("Your comments are too long."))
            if not signature:
                raise UserError(_("Sign in the box first."))
            # SOP S5: drawn by the customer; write() checks it again.
            check_drawn_signature(request.env, signature)
            signer = report_sudo.portal_partner_id
            if not user._is_public() and user.commercial_partner_id == (
                report_sudo.partner_id.commercial_partner_id
            ):
                signer = user.partner_id
            values = {
                **ratings,
                "customer_comments": comments or False,
                "signer_id": signer.id,
                "signature": signature,
            }
            evidence = {
                "name": name,
                "ip": request.httprequest.remote_addr,
                "user_agent": (request.httprequest.user_agent.string or "")[:512],
            }
            # Token or ownership checked above: sign as superuser, all or nothing.
            with request.env.cr.savepoint():
                report_sudo._fs_portal_sign(values, evidence)
        except (UserError, ValidationError) as error:
            return {"error": error.args[0]}
        # Plain text: message_post escapes it (the name is the customer's).
        report_sudo.message_post(
            body=_(
                "Signed on the portal by %(name)s (contact %(contact)s, IP %(ip)s).",
                name=name,
                contact=signer.name,
                ip=evidence["ip"],
            ),
            author_id=signer.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return {
            "force_refresh": True,
            "redirect_url": report_sudo.get_portal_url(query_string="&message=sign_ok"),
        }
