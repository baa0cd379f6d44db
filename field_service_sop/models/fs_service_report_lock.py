# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import json

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
    """Consent, acceptance, seal and fingerprint of a service report.

    SOP S5, S6: before work that touches customer systems, a contact of the
    customer confirms backups (with their times), approves the downtime and
    keeps the recovery information, and signs (``action_consent_sign``).
    SOP S2, S5, S12: after the work the customer rates and signs on the
    engineer's device (``action_sign``); the signer is a contact of the
    customer, never an engineer or any internal user; an absent customer may
    authorise a named colleague (recorded). SOP S3: a forgotten signature is
    confirmed by phone by a Project Assistant (``action_phone_confirm``: whom
    they called, when, what was confirmed, with the ratings given by phone);
    the report then goes to the separate state ``phone_confirmed``, so the
    reimbursement and assessment rules can tell it from a real signature.

    Signed or phone-confirmed reports are sealed: ``write`` and ``unlink`` are
    refused for everyone but the superuser (``env.su``), whatever the context,
    except the fields of ``_fs_lock_free_fields`` (problem report S11,
    verification result, chatter). A sha256 fingerprint of the sealed content
    is stored; ``action_verify_fingerprint`` recomputes it from the database.
    The only way back is ``action_reopen`` by an Engineering Manager, with a
    reason, which voids the signature and the ratings (posted in the chatter).
    """

    _name = "fs.service.report.lock"
    _description = "Service Report Signing and Seal"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    # Consent before work (SOP S5, S6)
    consent_required = fields.Boolean(
        compute="_compute_consent_required",
        store=True,
        help="SOP S6: the service type touches the customer's systems.",
    )
    consent_os_backup = fields.Boolean(string="OS Backed Up")
    consent_os_backup_at = fields.Datetime(string="Last OS Backup")
    consent_data_backup = fields.Boolean(string="Business Data Backed Up")
    consent_data_backup_at = fields.Datetime(string="Last Data Backup")
    consent_downtime_approved = fields.Boolean(string="Downtime Approved")
    consent_recovery_kept = fields.Boolean(string="Recovery Information Kept")
    consent_signer_id = fields.Many2one("res.partner", string="Consent Signed By")
    consent_signature = fields.Binary(copy=False, attachment=False)
    consent_signed_at = fields.Datetime(readonly=True, copy=False)
    consent_recorded_by_id = fields.Many2one(
        "res.users", string="Consent Recorded By", readonly=True, copy=False
    )
    # Acceptance (SOP S2, S5, S7, S12)
    rating_attitude = fields.Selection(RATING_5, string="Attitude", copy=False)
    rating_response = fields.Selection(RATING_5, string="Response Time", copy=False)
    rating_effect = fields.Selection(RATING_5, string="Effect", copy=False)
    rating_overall = fields.Selection(RATING_10, string="Overall (1-10)", copy=False)
    customer_comments = fields.Text(copy=False)
    signer_id = fields.Many2one("res.partner", string="Signed By", copy=False)
    signer_is_colleague = fields.Boolean(
        string="Authorised Colleague",
        copy=False,
        help="SOP S5: the customer was absent and authorised this colleague.",
    )
    authorisation_note = fields.Char(
        copy=False, help="Who authorised the colleague, when and how (SOP S5)."
    )
    signature = fields.Binary(copy=False, attachment=False)
    signed_at = fields.Datetime(readonly=True, copy=False)
    sign_channel = fields.Selection(
        [("device", "Engineer's Device"), ("portal", "Portal"), ("phone", "Phone")],
        string="Channel",
        readonly=True,
        copy=False,
    )
    sign_recorded_by_id = fields.Many2one(
        "res.users", string="Recorded By", readonly=True, copy=False
    )
    # Forgotten signature (SOP S3)
    phone_contact_id = fields.Many2one("res.partner", string="Called", copy=False)
    phone_called_at = fields.Datetime(string="Called At", copy=False)
    phone_confirmation = fields.Text(string="What Was Confirmed", copy=False)
    phone_recorded_by_id = fields.Many2one(
        "res.users", string="Confirmed By", readonly=True, copy=False
    )
    # Seal
    fingerprint = fields.Char(
        readonly=True,
        copy=False,
        help="sha256 of the sealed content, ratings, parts and signatures.",
    )
    fingerprint_at = fields.Datetime(string="Sealed At", readonly=True, copy=False)
    fingerprint_check = fields.Selection(
        [("match", "Matches"), ("mismatch", "Does Not Match")],
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
    # Compute
    # ------------------------------------------------------------------
    @api.depends("service_type_id.touches_customer_systems")
    def _compute_consent_required(self):
        for report in self:
            report.consent_required = report.service_type_id.touches_customer_systems

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

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_consent_sign(self):
        """The customer's consent before work (SOP S5, S6, S13)."""
        for report in self:
            report._check_write_rights(dict.fromkeys(CONSENT_FIELDS))
            if report.state != "draft":
                raise UserError(
                    self.env._(
                        "%(report)s: consent is given before the work, on a draft.",
                        report=report.name,
                    )
                )
            missing = [
                label
                for ok, label in (
                    (report.consent_os_backup, self.env._("OS backed up")),
                    (report.consent_os_backup_at, self.env._("last OS backup time")),
                    (report.consent_data_backup, self.env._("data backed up")),
                    (
                        report.consent_data_backup_at,
                        self.env._("last data backup time"),
                    ),
                    (report.consent_downtime_approved, self.env._("downtime approved")),
                    (report.consent_recovery_kept, self.env._("recovery info kept")),
                    (report.consent_signature, self.env._("the customer's signature")),
                )
                if not ok
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "%(report)s: the customer's consent needs %(missing)s "
                        "(SOP S6).",
                        report=report.name,
                        missing=", ".join(missing),
                    )
                )
            report._fs_check_signer(report.consent_signer_id)
        # Rights and content checked above: the stamp is the action's own.
        self.sudo().write(
            {
                "consent_signed_at": fields.Datetime.now(),
                "consent_recorded_by_id": self.env.uid,
            }
        )
        return True

    def action_sign(self):
        """The customer accepts on the engineer's device (SOP S2, S12)."""
        return self.write({"state": "signed"})

    def action_customer_sign(self, values):
        """Record the acceptance ``values`` (ratings, signer, signature) and sign."""
        unknown = set(values) - ACCEPTANCE_FIELDS
        if unknown:
            raise UserError(
                self.env._(
                    "Only the ratings, comments, signer and signature are signed: "
                    "%(fields)s cannot be.",
                    fields=", ".join(sorted(unknown)),
                )
            )
        self.write(values)
        return self.action_sign()

    def action_phone_confirm(self):
        """A Project Assistant confirmed a forgotten signature by phone (S3)."""
        return self.write({"state": "phone_confirmed"})

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
            report.sudo().write(
                {
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
                }
            )
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

    def action_verify_fingerprint(self):
        """Recompute the fingerprint from the database and record the result.

        Anyone who may read the report may verify it; the result is the
        verification's own stamp, written as superuser after that check.
        """
        self.check_access("read")
        # Read what the database holds now, not what this transaction cached.
        self.env.invalidate_all()
        mismatched = self.browse()
        for report in self:
            if not report.fingerprint:
                raise UserError(
                    self.env._(
                        "%(report)s is not signed: there is no fingerprint yet.",
                        report=report.name,
                    )
                )
            ok = report.sudo()._fs_compute_fingerprint() == report.fingerprint
            report.sudo().write(
                {
                    "fingerprint_check": "match" if ok else "mismatch",
                    "fingerprint_checked_at": fields.Datetime.now(),
                    "fingerprint_checked_by_id": self.env.uid,
                }
            )
            if not ok:
                mismatched |= report
                report.sudo().message_post(
                    body=self.env._(
                        "Fingerprint verification FAILED: the signed content was "
                        "changed outside the application (stored fingerprint "
                        "%(fp)s).",
                        fp=report.fingerprint,
                    )
                )
        message = (
            self.env._(
                "The signed content was altered: %(reports)s.",
                reports=", ".join(mismatched.mapped("name")),
            )
            if mismatched
            else self.env._("The signed content is intact.")
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger" if mismatched else "success",
                "sticky": bool(mismatched),
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # Business: signing guards
    # ------------------------------------------------------------------
    def _fs_stamp_fields(self):
        """Fields only the recording actions write (evidence)."""
        return set(STAMP_FIELDS)

    def _fs_check_signer(self, partner):
        """SOP S5: a contact of the customer; never an engineer or staff."""
        self.ensure_one()
        customer = self.order_id.partner_id.commercial_partner_id
        if not partner:
            raise UserError(
                self.env._(
                    "%(report)s: choose the customer's contact who signs.",
                    report=self.name,
                )
            )
        staff = (
            self.order_id.engineer_ids.user_id.partner_id
            | self.order_id.engineer_ids.work_contact_id
            | self.env.user.partner_id
        )
        # Read-only lookup of the partner's users, to spot internal staff.
        internal = partner.sudo().user_ids.filtered(lambda u: not u.share)
        if partner in staff or internal:
            raise UserError(
                self.env._(
                    "%(report)s: %(signer)s is staff. Never sign on the customer's "
                    "behalf (SOP S5): the customer, or a colleague they authorised, "
                    "signs.",
                    report=self.name,
                    signer=partner.name,
                )
            )
        if not customer or partner.commercial_partner_id != customer:
            raise UserError(
                self.env._(
                    "%(report)s: %(signer)s is not a contact of the customer "
                    "%(customer)s. Add them as a contact of the customer first.",
                    report=self.name,
                    signer=partner.name,
                    customer=customer.name or "-",
                )
            )

    def _fs_check_consent_given(self):
        if self.consent_required and not self.consent_signed_at:
            raise UserError(self._fs_consent_message(self.name))

    def _fs_check_ratings(self):
        if not all(
            (
                self.rating_attitude,
                self.rating_response,
                self.rating_effect,
                self.rating_overall,
            )
        ):
            raise UserError(
                self.env._(
                    "%(report)s: the customer rates attitude, response time and "
                    "effect (1-5) and the overall service (1-10) before the report "
                    "is closed (SOP S12).",
                    report=self.name,
                )
            )

    def _check_can_signed(self):
        self._fs_check_content_complete()
        self._fs_check_consent_given()
        self._fs_check_ratings()
        if not self.signature:
            raise UserError(
                self.env._(
                    "%(report)s: the customer signs before the report is closed "
                    "(SOP S2, S12). Forgotten? Ask a Project Assistant to confirm by "
                    "phone.",
                    report=self.name,
                )
            )
        self._fs_check_signer(self.signer_id)
        if self.signer_is_colleague and not self.authorisation_note:
            raise UserError(
                self.env._(
                    "%(report)s: record who authorised the colleague to sign, and "
                    "when (SOP S5).",
                    report=self.name,
                )
            )
        self.sudo().write(
            {
                "signed_at": fields.Datetime.now(),
                "sign_channel": "device",
                "sign_recorded_by_id": self.env.uid,
            }
        )

    def _check_can_phone_confirmed(self):
        self._fs_require_dispatcher(self.env._("confirm a signature by phone (SOP S3)"))
        self._fs_check_content_complete()
        self._fs_check_consent_given()
        self._fs_check_ratings()
        if not (self.phone_called_at and self.phone_confirmation):
            raise UserError(
                self.env._(
                    "%(report)s: record whom you called, when, and what the "
                    "customer confirmed (SOP S3).",
                    report=self.name,
                )
            )
        self._fs_check_signer(self.phone_contact_id)
        self.sudo().write(
            {"sign_channel": "phone", "phone_recorded_by_id": self.env.uid}
        )

    # ------------------------------------------------------------------
    # Business: seal and fingerprint
    # ------------------------------------------------------------------
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
        """Store the fingerprint of each report (on signing)."""
        now = fields.Datetime.now()
        for report in self:
            report.sudo().write(
                {
                    "fingerprint": report.sudo()._fs_compute_fingerprint(),
                    "fingerprint_at": now,
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
        """The canonical content that the fingerprint covers."""
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

    def _fs_compute_fingerprint(self):
        self.ensure_one()
        text = json.dumps(
            self._fs_fingerprint_payload(),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        return hashlib.sha256(text.encode()).hexdigest()
