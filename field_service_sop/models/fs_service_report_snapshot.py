# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hashlib
import io
import json
import logging
from datetime import datetime

import qrcode

from odoo import fields, models

from .fs_service_report_seal import canonical_json, seal_digest, seal_secret

_logger = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1
# Shown on the documents but kept outside the sealed report (the order, the
# people's names): they may still change through the application after
# signing. The documents keep the signed value; verification reports the
# change as information. Any other difference means the sealed report
# itself was altered (only SQL or the superuser can do that).
SHOWN_KEYS = {
    "company_id",
    "company",
    "order_number",
    "dispatcher_id",
    "dispatcher",
    "partner_id",
    "customer",
    "engineer_id",
    "engineer",
    "engineers",
    "site_contact",
    "site_address",
    "site_phone",
    "service_type",
    "consent_signer",
    "consent_recorded_by",
    "signer",
    "sign_recorded_by",
    "phone_contact",
    "phone_recorded_by",
}
# Names of the people the report's own fields point to.
PEOPLE = {
    "consent_signer": "consent_signer_id",
    "consent_recorded_by": "consent_recorded_by_id",
    "signer": "signer_id",
    "sign_recorded_by": "sign_recorded_by_id",
    "phone_contact": "phone_contact_id",
    "phone_recorded_by": "phone_recorded_by_id",
}
SEAL_ROUTE = "/fs/seal/"


def _canonical(record, name):
    """JSON-safe, stable value of ``record[name]`` for the fingerprint."""
    field = record._fields[name]
    value = record[name]
    if field.type == "many2one":
        return value.id or None
    if field.type in ("many2many", "one2many"):
        return sorted(value.ids)
    if field.type == "datetime":
        return value.isoformat() if value else None
    if field.type == "float":
        return round(value or 0.0, 6)
    if value is False and field.type != "boolean":
        return None
    return value


def _sha256(value):
    """sha256 of a binary field's value (a signature), None when empty."""
    if not value:
        return None
    return hashlib.sha256(
        value if isinstance(value, bytes) else value.encode()
    ).hexdigest()


class FsServiceReport(models.Model):
    """What a signed service report shows, frozen in its seal (SOP S2, S12).

    ``_fs_seal_document`` collects every value the signed PDF, the portal
    page and the signed-report e-mail show, from live data; sealing stores it
    in a seal of the company's chain (``fs.service.report.seal``). Once
    signed, ``_fs_document`` returns the sealed snapshot, so renaming the
    order or changing the dispatcher, the site address or a name afterwards
    changes no signed document (verification: fs_service_report_verify.py).
    The PDF prints the fingerprint and a QR code of the public verification
    page ``/fs/seal/<hash>``.
    """

    _inherit = "fs.service.report"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    seal_id = fields.Many2one(
        "fs.service.report.seal",
        string="Seal",
        readonly=True,
        copy=False,
        help="The seal of the current signature (empty once reopened).",
    )
    seal_ids = fields.One2many(
        "fs.service.report.seal", "report_id", string="Seal History", readonly=True
    )
    seal_sequence = fields.Integer(related="seal_id.sequence", string="Seal No.")
    seal_previous_hash = fields.Char(
        related="seal_id.previous_hash", string="Previous Seal Hash"
    )
    fingerprint_keyed = fields.Boolean(
        related="seal_id.keyed",
        string="Keyed Fingerprint",
        help="HMAC-SHA256 with the server's seal key; plain sha256 otherwise.",
    )
    seal_snapshot = fields.Text(
        related="seal_id.snapshot", string="Sealed Snapshot (JSON)"
    )

    # ------------------------------------------------------------------
    # Business: the document
    # ------------------------------------------------------------------
    def _fs_seal_document(self):
        """Every value the signed documents show, from live data (JSON-safe).

        Extend the report's own sealed fields with ``_fs_fingerprint_fields``
        (any difference there is tampering), and what is shown from outside
        the report with ``SHOWN_KEYS`` (a difference is information). Reads
        the order and the people as superuser: call it only after checking
        the user may read the report (or from the seal itself).
        """
        self.ensure_one()
        report = self.sudo()
        order = report.order_id
        document = dict(report._fs_fingerprint_payload()["fields"])
        document.update(
            {
                "version": SNAPSHOT_VERSION,
                "id": report.id,
                "state": report.state,
                "hours_on_site": round(report.hours_on_site or 0.0, 6),
                "consent_required": report.consent_required,
                "signature_sha256": _sha256(report.signature),
                "consent_signature_sha256": _sha256(report.consent_signature),
                "parts": [
                    {"id": line.id, "sequence": line.sequence}
                    | {
                        name: _canonical(line, name)
                        for name in line._fs_fingerprint_fields()
                    }
                    for line in report.part_ids.sorted(lambda p: (p.sequence, p.id))
                ],
                "company_id": report.company_id.id,
                "company": report.company_id.name,
                "order_number": order.name,
                "dispatcher_id": report.dispatcher_id.id or None,
                "dispatcher": report.dispatcher_id.name or None,
                "partner_id": report.partner_id.id or None,
                "customer": report.partner_id.name or None,
                "engineer_id": report.engineer_id.id or None,
                "engineer": report.engineer_id.name or None,
                "engineers": order.engineer_ids.sorted("id").mapped("name"),
                "site_contact": order.site_contact_id.name or None,
                "site_address": order.site_address or None,
                "site_phone": order.site_phone or None,
                # Translated: sealed in every installed language.
                "service_type": {
                    lang: report.service_type_id.with_context(lang=lang).name
                    for lang, _name in self.env["res.lang"].get_installed()
                }
                if report.service_type_id
                else {},
            }
            | {key: report[name].name or None for key, name in PEOPLE.items()}
        )
        return document

    def _fs_sealed_document(self):
        """The sealed snapshot of a signed report, or None."""
        self.ensure_one()
        seal = self.sudo().seal_id
        if not seal or not self._fs_is_locked():
            return None
        try:
            return json.loads(seal.snapshot)
        except (TypeError, ValueError):
            _logger.warning("Seal %s of %s cannot be read", seal.id, self.name)
            return None

    def _fs_document(self):
        """What the PDF, the portal page and the e-mails show: the sealed
        snapshot once signed, live values before. Call after checking the
        user may read the report. Datetimes are parsed back and the service
        type's name is given in the environment's language."""
        self.ensure_one()
        document = self._fs_sealed_document()
        sealed = self._fs_is_locked() and self.sudo().seal_id
        unreadable = document is None and bool(sealed)
        if document is None:
            document = self._fs_seal_document()
        document["seal_unreadable"] = unreadable
        for key, value in list(document.items()):
            field = self._fields.get(key)
            if field and field.type == "datetime" and isinstance(value, str):
                document[key] = datetime.fromisoformat(value)
        names = document.get("service_type") or {}
        document["service_type"] = names.get(self.env.lang) or names.get("en_US")
        return document

    def _fs_customer_tz(self):
        """Time zone of the customer documents of this report: the PDF, the
        portal page, the seal page and the e-mails (issue 12.3). The sealed
        snapshot keeps UTC; times are converted when rendered."""
        self.ensure_one()
        return self.partner_id._fs_customer_tz(self.company_id)

    def _fs_label(self, name, value, model=None):
        """Label of the selection value ``value`` of field ``name``."""
        records = self.env[model] if model else self
        selection = records._fields[name]._description_selection(self.env)
        return dict(selection).get(value, value or "")

    def _fs_signature_ok(self, document, name):
        """The live signature image ``name`` is the one sealed (SOP S2)."""
        return _sha256(self.sudo()[name]) == document.get(f"{name}_sha256")

    # ------------------------------------------------------------------
    # Business: the seal
    # ------------------------------------------------------------------
    def _fs_seal_append(self):
        """Seal the live document into the company's chain; return the seal."""
        self.ensure_one()
        snapshot = canonical_json(self._fs_seal_document())
        return self.env["fs.service.report.seal"]._fs_append(self.sudo(), snapshot)

    def _fs_compute_fingerprint(self):
        """The current seal's hash recomputed over the live document: equal to
        ``fingerprint`` while nothing the report shows has changed."""
        self.ensure_one()
        seal = self.sudo().seal_id
        if not seal:
            return False
        values = seal._fs_hashed_values(
            {
                **{name: seal[name] for name in ("name", "sequence", "keyed")},
                "company_id": seal.company_id.id,
                "report_id": seal.report_id.id,
                "sealed_at": seal.sealed_at,
                "previous_hash": seal.previous_hash,
                "snapshot": canonical_json(self._fs_seal_document()),
            }
        )
        secret = seal_secret()
        if seal.keyed and not secret:
            return False
        return seal_digest(values, secret)

    def _fs_seal_url(self):
        """Public verification page of the current seal (the QR code's target)."""
        self.ensure_one()
        seal = self.sudo().seal_id
        return seal and f"{self.get_base_url()}{SEAL_ROUTE}{seal.hash}"

    def _fs_seal_qr(self):
        """QR code (data URI) of the public verification page, for the PDF."""
        url = self._fs_seal_url()
        if not url:
            return False
        # The qrcode library (an Odoo requirement) draws with PIL; reportlab's
        # bitmap backend is not always installed.
        code = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=2
        )
        code.add_data(url)
        code.make(fit=True)
        stream = io.BytesIO()
        code.make_image(fill_color="black", back_color="white").save(stream)
        return "data:image/png;base64," + base64.b64encode(stream.getvalue()).decode()

    def _fs_fingerprint_payload(self):
        """The report's own content, canonical: sealed in the snapshot (see
        ``fs_service_report_snapshot.py``) and hashed for the portal link."""
        self.ensure_one()
        return {
            "model": self._name,
            "id": self.id,
            "fields": {
                name: _canonical(self, name) for name in self._fs_fingerprint_fields()
            },
            "signatures": {
                name: _sha256(self[name]) for name in ("signature", "consent_signature")
            },
            "parts": [
                {"id": line.id}
                | {
                    name: _canonical(line, name)
                    for name in line._fs_fingerprint_fields()
                }
                for line in self.part_ids.sorted("id")
            ],
        }
