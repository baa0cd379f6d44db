# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Field groups of the service report (SOP S5-S7, S11, S12).
LOCKED_STATES = ("signed", "phone_confirmed")
WORK_FIELDS = {
    "work_done",
    "cause",
    "recommended_measures",
    "open_issues",
    "result",
    "completed_at",
    "part_ids",
}
CONSENT_FIELDS = {
    "consent_os_backup",
    "consent_os_backup_at",
    "consent_data_backup",
    "consent_data_backup_at",
    "consent_downtime_approved",
    "consent_recovery_kept",
    "consent_signer_id",
    "consent_signature",
}
ACCEPTANCE_FIELDS = {
    "rating_attitude",
    "rating_response",
    "rating_effect",
    "rating_overall",
    "customer_comments",
    "signer_id",
    "signer_is_colleague",
    "authorisation_note",
    "signature",
}
PHONE_FIELDS = {"phone_contact_id", "phone_called_at", "phone_confirmation"}
PROBLEM_FIELDS = {
    "problem_category",
    "problem_cause",
    "problem_method",
    "problem_losses",
}
# Written only by the actions that record them (evidence: who, when, how).
STAMP_FIELDS = {
    "name",
    "entered_at",
    "problem_written_at",
    "consent_signed_at",
    "consent_recorded_by_id",
    "signed_at",
    "sign_channel",
    "sign_recorded_by_id",
    "phone_recorded_by_id",
    "fingerprint",
    "fingerprint_at",
    "fingerprint_check",
    "fingerprint_checked_at",
    "fingerprint_checked_by_id",
    "seal_id",
    "seal_ids",
}
RATING_5 = [(str(n), str(n)) for n in range(1, 6)]
RATING_10 = [(str(n), str(n)) for n in range(1, 11)]


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


class FsServiceReportLock(models.AbstractModel):
    """Seal and fingerprint of a service report (SOP S2, S12).

    Consent, acceptance and phone confirmation (SOP S2, S3, S5, S6, S12) extend
    this mixin in ``fs_service_report_sign.py``.

    Signed or phone-confirmed reports are sealed: ``write`` and ``unlink`` are
    refused for everyone but the superuser (``env.su``), whatever the context,
    except the fields of ``_fs_lock_free_fields`` (problem report S11,
    verification result, chatter). Sealing appends a seal to the company's
    chain (``fs.service.report.seal``): a snapshot of everything the signed
    documents show, chained and keyed; ``fingerprint`` is the seal's hash and
    ``action_verify_fingerprint`` (``fs_service_report_verify.py``) checks
    the chain and compares the snapshot with the database. The only way back
    is ``action_reopen`` by an Engineering Manager, with a reason, which voids
    the signature, the ratings and the seal (posted in the chatter; the seal
    stays in the chain).
    """

    _name = "fs.service.report.lock"
    _description = "Service Report Signing and Seal"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    # Seal
    fingerprint = fields.Char(
        readonly=True,
        copy=False,
        help="Hash of the report's seal: the snapshot of what the signed "
        "documents show, chained to the company's previous seal (HMAC-SHA256 "
        "with the server's seal key, else sha256).",
    )
    fingerprint_at = fields.Datetime(string="Sealed At", readonly=True, copy=False)
    fingerprint_check = fields.Selection(
        [
            ("match", "Matches"),
            ("changed", "Seal Intact, Live Data Changed"),
            ("mismatch", "Does Not Match"),
        ],
        string="Last Verification",
        readonly=True,
        copy=False,
    )
    fingerprint_checked_at = fields.Datetime(
        string="Last Verified At", readonly=True, copy=False
    )
    fingerprint_checked_by_id = fields.Many2one(
        "res.users", string="Last Verified By", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        if not self.env.su:
            self._fs_check_not_locked(vals)
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self._fs_check_not_locked(None)
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sealed_once(self):
        """SOP S2: a seal stays in its company's chain, and so does the report
        it points to (even reopened)."""
        sealed = self.filtered(lambda report: report.sudo().seal_ids)
        if sealed:
            raise UserError(
                self.env._(
                    "%(reports)s was signed once: its seals are kept in the "
                    "company's seal chain. Cancel the report instead of deleting it.",
                    reports=", ".join(sealed.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_reopen(self, reason):
        """Engineering Manager: void the signature and reopen, with a reason."""
        if not self.env.user.has_group("field_service_sop.group_fs_manager"):
            raise AccessError(
                self.env._("Only an Engineering Manager reopens a signed report.")
            )
        if not (reason or "").strip():
            raise UserError(
                self.env._("Give the reason for reopening: it is kept in the chatter.")
            )
        self.check_access("write")
        for report in self:
            if report.state not in LOCKED_STATES:
                raise UserError(
                    self.env._(
                        "%(report)s is not signed: there is nothing to reopen.",
                        report=report.name,
                    )
                )
            old = report.fingerprint
            # The manager's right was checked above; the seal yields to su only.
            report.sudo().write(report._fs_reopen_values())
            report.message_post(
                body=self.env._(
                    "Reopened by %(user)s: %(reason)s. The customer's signature and "
                    "ratings are void (fingerprint was %(fp)s); the report must be "
                    "signed again.",
                    user=self.env.user.name,
                    reason=reason,
                    fp=old,
                )
            )
        return True

    def _fs_reopen_values(self):
        """Values written on reopening: the signature and all that hangs on it
        are void (extend with ``super()``: forged flag, portal link...)."""
        return {
            "state": "draft",
            **dict.fromkeys(ACCEPTANCE_FIELDS | PHONE_FIELDS, False),
            "signed_at": False,
            "sign_channel": False,
            "sign_recorded_by_id": False,
            "phone_recorded_by_id": False,
            "fingerprint": False,
            "fingerprint_at": False,
            "fingerprint_check": False,
            "fingerprint_checked_at": False,
            "fingerprint_checked_by_id": False,
            "seal_id": False,
        }

    # ------------------------------------------------------------------
    # Business: seal and fingerprint
    # ------------------------------------------------------------------
    def _fs_stamp_fields(self):
        """Fields only the recording actions write (evidence)."""
        return set(STAMP_FIELDS)

    def _fs_is_locked(self):
        self.ensure_one()
        return self.state in LOCKED_STATES

    def _fs_lock_free_fields(self):
        """Fields still writable on a sealed report: never its content."""
        return PROBLEM_FIELDS | {
            "problem_written_at",
            "fingerprint_check",
            "fingerprint_checked_at",
            "fingerprint_checked_by_id",
        }

    def _fs_check_not_locked(self, vals):
        """Refuse changing (``vals``) or deleting (``None``) a sealed report."""
        locked = self.filtered(lambda rec: rec._fs_is_locked())
        if not locked:
            return
        if vals is not None:
            free = self._fs_lock_free_fields()
            changed = {
                name
                for name in vals
                if name not in free and not name.startswith(("message_", "activity_"))
            }
            if not changed:
                return
        raise AccessError(
            self.env._(
                "%(reports)s is signed and sealed: nobody may change or delete it. "
                "If it is wrong, an Engineering Manager reopens it with a reason, "
                "which voids the customer's signature.",
                reports=", ".join(locked.mapped("name")),
            )
        )

    def _fs_seal(self):
        """Append a seal of each report to its company's chain (on signing)."""
        for report in self.sorted(lambda r: (r.company_id.id, r.id)):
            seal = report._fs_seal_append()
            report.sudo().write(
                {
                    "seal_id": seal.id,
                    "fingerprint": seal.hash,
                    "fingerprint_at": seal.sealed_at,
                    "fingerprint_check": False,
                    "fingerprint_checked_at": False,
                    "fingerprint_checked_by_id": False,
                }
            )

    def _fs_fingerprint_fields(self):
        """The report's own fields covered by the fingerprint (extend me)."""
        return [
            "name",
            "order_id",
            "service_type_id",
            "arrival_at",
            "departure_at",
            "completed_at",
            "symptoms",
            "work_done",
            "cause",
            "recommended_measures",
            "open_issues",
            "result",
            "major_data_loss",
            "severity",
            "fault_category",
            "arrived_as_agreed",
            "backup_done",
            "badge_worn",
            "preventive_advice_given",
            *sorted(CONSENT_FIELDS - {"consent_signature"}),
            "consent_signed_at",
            "consent_recorded_by_id",
            *sorted(ACCEPTANCE_FIELDS - {"signature"}),
            "signed_at",
            "sign_channel",
            "sign_recorded_by_id",
            *sorted(PHONE_FIELDS),
            "phone_recorded_by_id",
        ]

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
