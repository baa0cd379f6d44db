# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import http
from odoo.http import request
from odoo.tools import format_datetime

SEAL_HASH = re.compile(r"[0-9a-f]{64}")


class FsServiceReportSealPage(http.Controller):
    """Public check of a signed service report's seal (SOP S2, S12).

    The QR code printed on the signed PDF opens ``/fs/seal/<hash>``: anyone
    holding the document learns whether its seal is intact, still current
    (not voided by a reopening) and linked in its company's chain. The hash
    is the unguessable identifier; the page shows the report number, the
    sealing date and the status only, no personal data, and changes nothing.
    """

    @http.route(
        "/fs/seal/<string:seal_hash>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def fs_seal_page(self, seal_hash, **kw):
        if not SEAL_HASH.fullmatch(seal_hash or ""):
            return request.not_found()
        # Looked up by its exact hash, shown without personal data: no
        # access check is needed beyond knowing the hash.
        seal = (
            request.env["fs.service.report.seal"]
            .sudo()
            .search([("hash", "=", seal_hash)], limit=1)
        )
        if not seal:
            return request.not_found()
        # Issue 12.3: dated in the customer's time zone, which is printed.
        tz = seal.report_id._fs_customer_tz() if seal.report_id else "UTC"
        response = request.render(
            "field_service_sop.fs_service_report_seal_page",
            {
                "report_number": seal.name,
                "sealed_at": format_datetime(request.env, seal.sealed_at, tz=tz),
                "tz": tz,
                "status": seal._fs_public_status(),
            },
        )
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response
