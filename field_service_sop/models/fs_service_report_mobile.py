# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class FsServiceReport(models.Model):
    """The service report on the engineer's phone (SOP S5, S7).

    Times take one tap (``action_fs_departure_now``, ``action_fs_completed_now``)
    and stay editable; handing the device to the customer (Ready to Sign, or
    Customer Signs straight from the draft) stamps the departure of a report
    complete but for it. The order's site contact, a person of the customer,
    is proposed as the one who consents and signs (S5: the customer signs,
    never staff); the signing guards still check whoever is chosen. Every tap
    writes through the report's guards.
    """

    _inherit = "fs.service.report"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_fs_departure_now(self):
        """SOP S7: the engineer leaves the site now."""
        self.write({"departure_at": fields.Datetime.now()})
        return True

    def action_fs_completed_now(self):
        """SOP S7, S11: the work is completed now."""
        self.write({"completed_at": fields.Datetime.now()})
        return True

    def action_to_sign(self):
        self._fs_stamp_departure()
        return super().action_to_sign()

    def action_sign(self):
        self._fs_stamp_departure()
        return super().action_sign()

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_stamp_departure(self):
        """The customer accepts at the end of the visit: a draft whose content
        is complete but for the departure time leaves now (SOP S7); the time
        stays editable. Incomplete content is refused as before, naming the
        departure too."""
        self.filtered(
            lambda r: r.state == "draft"
            and not r.departure_at
            and r.arrival_at
            and r.work_done
            and r.result
        ).write({"departure_at": fields.Datetime.now()})

    @api.model
    def _fs_defaults_from_order(self, order, vals):
        defaults = super()._fs_defaults_from_order(order, vals)
        contact = order.site_contact_id
        customer = order.partner_id.commercial_partner_id
        if (
            contact
            and not contact.is_company
            and customer
            and contact.commercial_partner_id == customer
        ):
            for name in ("signer_id", "consent_signer_id"):
                if not vals.get(name):
                    defaults[name] = contact.id
        return defaults
