# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import json

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .fs_service_report import (
    ACCEPTANCE_FIELDS,
    PHONE_FIELDS,
    PORTAL_STAMP_FIELDS,
    STAMP_FIELDS,
)

# Sealed with the signature: who typed what, from where.
PORTAL_EVIDENCE_FIELDS = [
    "portal_signer_name",
    "portal_sign_ip",
    "portal_sign_user_agent",
]


class FsServiceReportPortal(models.Model):
    """Customer portal signing of a service report (SOP S2, S5, S12).

    An engineer on the order or a dispatcher sends the customer's contact a
    tokenised link (``action_send_for_signature``, e-mail queued); the
    content's fingerprint at sending time is stored, so a report changed
    after the link was sent cannot be signed through it. The customer opens
    ``/my/service-reports/<id>``, rates and signs; the controller checks the
    token (or that the portal user belongs to the customer) before anything
    is done as superuser, and ``_fs_portal_sign`` records the channel
    "portal" with the typed name, IP and user agent as evidence, sealed
    with the report.
    """

    _name = "fs.service.report"
    _inherit = ["fs.service.report", "portal.mixin"]

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    portal_partner_id = fields.Many2one(
        "res.partner",
        string="Send To",
        copy=False,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The customer's contact who receives the signing link (SOP S2, S5).",
    )
    portal_sent_at = fields.Datetime(string="Link Sent At", readonly=True, copy=False)
    portal_sent_by_id = fields.Many2one(
        "res.users", string="Link Sent By", readonly=True, copy=False
    )
    portal_sent_fingerprint = fields.Char(
        readonly=True,
        copy=False,
        help="sha256 of the content when the link was sent: a report changed "
        "since then cannot be signed through that link.",
    )
    portal_signer_name = fields.Char(
        string="Name Typed by Signer", readonly=True, copy=False
    )
    portal_sign_ip = fields.Char(string="Signed From IP", readonly=True, copy=False)
    portal_sign_user_agent = fields.Char(
        string="Signed With Browser", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    def _compute_access_url(self):
        res = super()._compute_access_url()
        for report in self:
            report.access_url = f"/my/service-reports/{report.id}"
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send_for_signature(self):
        """E-mail the customer's contact a tokenised signing link (SOP S2, S12).

        Engineers on the order and dispatchers only; the report must be
        complete (it goes to "To Sign"). The e-mail is queued, never sent
        inline.
        """
        template = self.env.ref("field_service_sop.fs_service_report_mail_portal_sign")
        user = self.env.user
        is_dispatcher = user.has_group("field_service_sop.group_fs_dispatcher")
        self.check_access("read")
        for report in self:
            if not is_dispatcher and user not in report.order_id.engineer_ids.user_id:
                raise AccessError(
                    self.env._(
                        "Only the engineers of %(order)s or a dispatcher send its "
                        "report for signature.",
                        order=report.order_id.name,
                    )
                )
            if report.state == "draft":
                report.action_to_sign()
            if report.state != "to_sign":
                raise UserError(
                    self.env._(
                        "%(report)s is not awaiting the customer's signature.",
                        report=report.name,
                    )
                )
            partner = report.portal_partner_id or report.signer_id
            if not partner:
                raise UserError(
                    self.env._(
                        "%(report)s: choose the customer's contact to send the "
                        "signing link to (Send To).",
                        report=report.name,
                    )
                )
            report._fs_check_signer(partner)
            if not partner.email:
                raise UserError(
                    self.env._(
                        "%(report)s: %(contact)s has no e-mail address. Add it "
                        "first, or sign on your device.",
                        report=report.name,
                        contact=partner.name,
                    )
                )
            # Rights and contact checked above: the stamps are the action's own.
            report_sudo = report.sudo()
            report_sudo._portal_ensure_token()
            report_sudo.write(
                {
                    "portal_partner_id": partner.id,
                    "portal_sent_at": fields.Datetime.now(),
                    "portal_sent_by_id": user.id,
                    "portal_sent_fingerprint": report_sudo._fs_portal_fingerprint(),
                }
            )
            template.sudo().send_mail(report.id, force_send=False)
            report.message_post(
                body=self.env._(
                    "Signing link sent to %(contact)s (%(email)s).",
                    contact=partner.name,
                    email=partner.email,
                )
            )
        return True

    def _fs_void_portal_link(self, previous):
        """SOP S12: a draft is never shown to the customer; a link sent before
        the reset (or before a reopen) no longer opens the report and nothing
        can be signed through it. Entered-state hook: the guards of the move
        ran; the token is the portal's own stamp."""
        self.sudo().write({"access_token": False, "portal_sent_fingerprint": False})

    def _fs_drop_portal_token(self, previous):
        """A cancelled report is no longer shown through the link it was sent
        with (entered-state hook)."""
        self.sudo().write({"access_token": False})

    def _fs_reopen_values(self):
        """A reopened report voids the link sent and the portal evidence."""
        return (
            super()._fs_reopen_values()
            | dict.fromkeys(PORTAL_STAMP_FIELDS, False)
            | {"access_token": False}
        )

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_fingerprint_fields(self):
        return super()._fs_fingerprint_fields() + PORTAL_EVIDENCE_FIELDS

    def _fs_portal_fingerprint(self):
        """sha256 of the content only: what the customer is asked to accept.

        Leaves out the acceptance itself (ratings, signer, signature), the
        signing and phone stamps and the portal evidence, which change by
        signing; covers everything the engineer wrote, with the part lines.
        """
        self.ensure_one()
        payload = self._fs_fingerprint_payload()
        skip = (
            ACCEPTANCE_FIELDS
            | PHONE_FIELDS
            | STAMP_FIELDS
            | PORTAL_STAMP_FIELDS
            | {"name"}
        )
        payload["fields"] = {
            key: value for key, value in payload["fields"].items() if key not in skip
        }
        payload["signatures"].pop("signature", None)
        text = json.dumps(
            payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def _fs_portal_ratings(self):
        """[(field, label, [(mark, mark label)])] of the ratings the customer
        gives on the portal (SOP S7, S12): the fields' own labels, in the
        reader's language."""
        return [
            (
                name,
                self._fields[name]._description_string(self.env),
                self._fields[name]._description_selection(self.env),
            )
            for name in (
                "rating_attitude",
                "rating_response",
                "rating_effect",
                "rating_overall",
            )
        ]

    def _fs_portal_check_signable(self):
        """Refusals of a portal signature, in the customer's words (SOP S12)."""
        self.ensure_one()
        if self.state in ("signed", "phone_confirmed"):
            raise UserError(self.env._("This service report is already signed."))
        if self.state != "to_sign" or not self.portal_sent_fingerprint:
            raise UserError(
                self.env._("This service report is not awaiting your signature.")
            )
        if self._fs_portal_fingerprint() != self.portal_sent_fingerprint:
            raise UserError(
                self.env._(
                    "This service report was changed after the link was sent to "
                    "you. Ask the engineer to send it again, then sign."
                )
            )

    def _fs_portal_sign(self, values, evidence):
        """Sign through the portal: call ONLY after the token/owner check.

        ``values``: acceptance fields (ratings, comments, signer, signature);
        ``evidence``: typed name, IP and user agent. Runs as superuser.
        """
        self.ensure_one()
        self._fs_portal_check_signable()
        report = self.with_context(fs_portal_sign_evidence=evidence)
        return report.action_customer_sign(values)

    def _fs_stamp_signed_on_portal(self, previous):
        """Entered-state hook of "signed", after the device stamps and before
        the seal: the channel "portal" and its evidence (SOP S2, S12)."""
        evidence = self.env.context.get("fs_portal_sign_evidence")
        # Only the portal controller (superuser after its token check) sets
        # the evidence: an RPC caller cannot fake the "portal" channel.
        if evidence is not None and self.env.su:
            self.sudo().write(
                {
                    "sign_channel": "portal",
                    "portal_signer_name": evidence.get("name"),
                    "portal_sign_ip": evidence.get("ip"),
                    "portal_sign_user_agent": evidence.get("user_agent"),
                }
            )
