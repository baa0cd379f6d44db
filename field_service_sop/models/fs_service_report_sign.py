# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .fs_service_report import (
    ACCEPTANCE_FIELDS,
    CONSENT_FIELDS,
    RATING_5,
    RATING_10,
)


class FsServiceReport(models.Model):
    """Consent, acceptance and phone confirmation of a service report.

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
    Signing seals the report (``_fs_seal`` in fs_service_report.py). The
    checks of the moves (``_fs_check_can_sign``, ``_fs_check_can_phone_confirm``)
    only check; the stamps are written on entering the state
    (``_fs_stamp_signed_on_device``, ``_fs_stamp_phone_confirmed``).
    """

    _inherit = "fs.service.report"

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

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("service_type_id.touches_customer_systems")
    def _compute_consent_required(self):
        for report in self:
            report.consent_required = report.service_type_id.touches_customer_systems

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_consent_sign(self):
        """The customer's consent before work (SOP S5, S6, S13)."""
        for report in self:
            report._fs_check_may_write(dict.fromkeys(CONSENT_FIELDS))
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

    # ------------------------------------------------------------------
    # Business: signing guards
    # ------------------------------------------------------------------
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

    def _fs_check_can_sign(self):
        """SOP S2, S5, S12: content, consent, ratings and a customer's signature."""
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

    def _fs_check_can_phone_confirm(self):
        """SOP S3: a Project Assistant, not of the visit, records the call."""
        self._fs_require_dispatcher(self.env._("confirm a signature by phone (SOP S3)"))
        if self.env.user in self.order_id.engineer_ids.user_id:
            # SOP S3: the project assistant confirms with the customer, not
            # an engineer who did the visit (separation of duties).
            raise UserError(
                self.env._(
                    "%(report)s: you were an engineer on this visit, so you cannot "
                    "confirm its signature by phone yourself (SOP S3). Ask another "
                    "Project Assistant to call the customer.",
                    report=self.name,
                )
            )
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

    # ------------------------------------------------------------------
    # Business: stamps on entering the signed states
    # ------------------------------------------------------------------
    def _fs_stamp_signed_on_device(self, previous):
        """Who recorded the signature, and when (SOP S2, S12); the portal
        stamps its own channel after this (fs_service_report_portal.py)."""
        # Stamps of a move the user was just allowed to make, before the seal.
        self.sudo().write(
            {
                "signed_at": fields.Datetime.now(),
                "sign_channel": "device",
                "sign_recorded_by_id": self.env.uid,
            }
        )

    def _fs_stamp_phone_confirmed(self, previous):
        """Who confirmed by phone (SOP S3), before the seal."""
        self.sudo().write(
            {"sign_channel": "phone", "phone_recorded_by_id": self.env.uid}
        )
