# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class FsDispatchOrder(models.Model):
    """The dispatcher's planning (SOP D3, D10): when each order occupies its
    lead engineer, and where the site is.

    ``planned_start``/``planned_end`` place every order on the timeline and the
    calendar, issued ones included before the customer confirms a time: the
    confirmed appointment (D10) for the expected duration, else the visit
    window the dispatcher gave (D3), else the moment of issue (or of creation
    for a draft). The expected duration comes from the service type and the
    dispatcher may correct it per order. Both are derived, never written: an
    appointment moves through the engineer's contact log or the reschedule
    wizard (D11), whose guards a drag on a planning view would skip.

    ``site_map_url`` opens the site's address in the company's map service
    (see ``res.partner._fs_map_url``).

    Rights: those of the order; the dispatcher edits the expected duration.
    """

    _inherit = "fs.dispatch.order"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    planned_hours = fields.Float(
        string="Expected Time On Site",
        compute="_compute_planned_hours",
        store=True,
        readonly=False,
        precompute=True,
        help="How long the engineers are expected on site; from the service "
        "type, correctable per order. Sets the end of the order on the "
        "planning views.",
    )
    planned_start = fields.Datetime(
        compute="_compute_planned_span",
        store=True,
        index=True,
        help="Where the order starts on the timeline and the calendar: the "
        "confirmed appointment, else the start of the visit window, else the "
        "time of issue (of creation for a draft).",
    )
    planned_end = fields.Datetime(
        compute="_compute_planned_span",
        store=True,
        help="Planned start plus the expected duration, or the end of the "
        "visit window when there is no appointment yet.",
    )
    site_map_url = fields.Char(
        string="Site Map",
        compute="_compute_site_map_url",
        help="The site's address in the map service chosen in the settings.",
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("service_type_id")
    def _compute_planned_hours(self):
        for order in self:
            order.planned_hours = order.service_type_id.planned_hours

    @api.depends(
        "appointment_at", "window_start", "window_end", "issued_at", "planned_hours"
    )
    def _compute_planned_span(self):
        for order in self:
            duration = timedelta(hours=order.planned_hours)
            if order.appointment_at:
                start = order.appointment_at
                end = start + duration
            elif order.window_start:
                start = order.window_start
                end = order.window_end or start + duration
            elif order.window_end:
                end = order.window_end
                start = end - duration
            else:
                start = order.issued_at or order.create_date or fields.Datetime.now()
                end = start + duration
            order.planned_start = start
            order.planned_end = end

    @api.depends(
        "site_contact_id",
        "partner_id",
        "site_address",
        "company_id.fs_map_provider",
    )
    def _compute_site_map_url(self):
        for order in self:
            site = order.site_contact_id or order.partner_id
            # The site's own fields give the map service a cleaner query than
            # the address text, unless the dispatcher corrected that text on
            # the order (its street or city is no longer the site's). The
            # text's country name is in the language of whoever created the
            # order, so it is not compared.
            typed = order.site_address or ""
            parts = [part for part in (site.street, site.city) if part]
            if parts and all(part in typed for part in parts):
                typed = False
            order.site_map_url = site._fs_map_url(order.company_id, address=typed)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("planned_hours")
    def _check_planned_hours(self):
        for order in self:
            if order.planned_hours < 0:
                raise ValidationError(
                    self.env._(
                        "%(order)s: the expected time on site cannot be negative "
                        "(got %(hours)s h). Enter the hours the engineers are "
                        "expected on site.",
                        order=order.name,
                        hours=order.planned_hours,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_site_map(self):
        """Open the site's address in the map service, in a new tab."""
        self.ensure_one()
        if not self.site_map_url:
            raise UserError(
                self.env._(
                    "%(order)s: the site has no address to show on a map. Enter "
                    "the street and city of the customer or of the site contact.",
                    order=self.name,
                )
            )
        return {
            "type": "ir.actions.act_url",
            "url": self.site_map_url,
            "target": "new",
        }
