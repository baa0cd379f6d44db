# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Map services a site's address opens in (res.company.fs_map_provider). None
# needs an API key. Amap and Baidu are reachable from mainland China and know
# its street addresses; OpenStreetMap serves the rest of the world.
MAP_URLS = {
    "osm": "https://www.openstreetmap.org/search",
    "amap": "https://uri.amap.com/search",
    "baidu": "https://api.map.baidu.com/geocoder",
}


class ResPartner(models.Model):
    """Customer data the field service reads before a visit (SOP D9, D12).

    ``fs_installation_params`` describes the customer's installed systems: it is
    a commercial field, kept on the company and shared by all its contacts, so
    every order of the customer shows the same parameters (SOP D9).
    ``fs_travel_minutes`` is per address, because one customer may have sites
    at different distances; a dispatch order takes the site contact's value,
    else the customer's, else the company's (SOP D12). ``fs_stationed`` marks a
    customer with a stationed engineer, which sets the SLA target (SOP E1).
    ``fs_map_url`` opens the address in the company's map service, for the
    engineer on the way and the dispatcher planning (SOP D12).

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
    fs_map_url = fields.Char(
        string="Map",
        compute="_compute_fs_map_url",
        help="The address in the map service chosen in the Field Service settings.",
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends_context("company")
    @api.depends(lambda self: self._display_address_depends())
    def _compute_fs_map_url(self):
        for partner in self:
            partner.fs_map_url = partner._fs_map_url()

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

    def _fs_map_provider(self, company):
        """The map service for this address: the company's choice; automatic
        is Amap for a site in China (or, without a country, for a company in
        China), OpenStreetMap elsewhere. Override to add a service."""
        provider = company.fs_map_provider or "auto"
        if provider == "auto":
            country = self.country_id or company.country_id
            provider = "amap" if country.code == "CN" else "osm"
        return provider

    def _fs_map_url(self, company=None, address=None):
        """URL showing this partner's address (or ``address``, a text typed
        on a document) in the map service of ``company`` (default: the
        partner's, else the current one); False when there is no address.
        Works on an empty recordset when ``address`` is given."""
        partner = self[:1]
        company = company or partner.company_id or self.env.company
        provider = partner._fs_map_provider(company)
        if address:
            query = " ".join(address.split())
        elif not (partner.street or partner.street2 or partner.city or partner.zip):
            return False  # a state or a country is no site to drive to
        elif provider == "osm":
            # Small to large, the order the OpenStreetMap search reads best.
            query = ", ".join(
                part
                for part in (
                    partner.street,
                    partner.street2,
                    partner.city,
                    partner.state_id.name,
                    partner.zip,
                    partner.country_id.name,
                )
                if part
            )
        else:
            # Chinese order, large to small; the country name only adds noise.
            query = " ".join(
                part
                for part in (
                    partner.state_id.name,
                    partner.city,
                    partner.street,
                    partner.street2,
                )
                if part
            )
        if not query:
            return False
        if provider == "amap":
            params = {"keyword": query, "src": "field_service_sop", "callnative": 1}
            if partner.city:
                params["city"] = partner.city
        elif provider == "baidu":
            params = {
                "address": query,
                "output": "html",
                "src": "webapp.field_service_sop.dispatch",
            }
        else:
            params = {"query": query}
        return f"{MAP_URLS[provider]}?{url_encode(params)}"

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
