# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    """Customer data the field service reads before a visit (SOP D9, D12).

    ``fs_installation_params`` describes the customer's installed systems: it is
    a commercial field, kept on the company and shared by all its contacts, so
    every order of the customer shows the same parameters (SOP D9).
    ``fs_travel_minutes`` is per address, because one customer may have sites
    at different distances; a dispatch order takes the site contact's value,
    else the customer's, else the company's (SOP D12). ``fs_stationed`` marks a
    customer with a stationed engineer, which sets the SLA target (SOP E1).

    Rights: whoever may edit partners edits these fields.
    """

    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    fs_travel_minutes = fields.Integer(
        string="Travel Time (min)",
        help="SOP D12: driving time from the office to this site. The planned "
        "departure of a dispatch order is its appointment minus this time minus "
        "the company's early-arrival margin. Zero: use the company's value.",
    )
    fs_installation_params = fields.Html(
        string="Installation Parameters",
        help="SOP D9: the customer's installed systems (models, versions, "
        "network, configuration), reviewed by the engineer before each visit. "
        "Kept on the company and shared by its contacts.",
    )
    fs_stationed = fields.Boolean(
        string="Stationed Engineer (驻场)",
        help="SOP E1: an engineer is stationed at this customer; on site within "
        "the stationed target (10 min by default).",
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("fs_travel_minutes")
    def _check_fs_travel_minutes(self):
        for partner in self:
            if partner.fs_travel_minutes < 0:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the travel time cannot be negative (got "
                        "%(minutes)s min). Enter the driving time in minutes, or "
                        "0 to use the company's value.",
                        partner=partner.display_name,
                        minutes=partner.fs_travel_minutes,
                    )
                )

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["fs_installation_params"]

    def _fs_customer_tz(self, company):
        """Time zone in which this customer reads our documents (issue 12.3).

        Its own zone, else its company's (commercial partner), else that of
        ``company`` (our company's partner), else UTC: never the zone of the
        user who happens to render the document (a scheduled action runs as
        the administrator). Documents print the zone they use. A time zone is
        no secret: read as superuser, so portal pages and e-mails get it too.
        """
        partner = self.sudo()[:1]
        for candidate in (
            partner,
            partner.commercial_partner_id,
            company.sudo().partner_id,
        ):
            if candidate.tz:
                return candidate.tz
        return "UTC"
