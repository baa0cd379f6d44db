# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import html2plaintext


class HelpdeskTicket(models.Model):
    """Tickets are a source of dispatch orders (SOP D4)."""

    _inherit = "helpdesk.ticket"

    dispatch_order_ids = fields.One2many("fs.dispatch.order", "ticket_id")
    dispatch_order_count = fields.Integer(compute="_compute_dispatch_order_count")

    @api.depends("dispatch_order_ids")
    def _compute_dispatch_order_count(self):
        data = self.env["fs.dispatch.order"]._read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
        )
        counts = {ticket.id: count for ticket, count in data}
        for ticket in self:
            ticket.dispatch_order_count = counts.get(ticket.id, 0)

    def action_create_dispatch_order(self):
        """A draft dispatch order from the ticket: customer, symptoms, content."""
        self.ensure_one()
        order = self.env["fs.dispatch.order"].create(
            {
                "ticket_id": self.id,
                "company_id": self.company_id.id or self.env.company.id,
                "partner_id": self.partner_id.commercial_partner_id.id or False,
                "site_contact_id": self.partner_id.id
                if self.partner_id.parent_id
                else False,
                "purpose": self.name,
                "symptoms": html2plaintext(self.description or "") or False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "fs.dispatch.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def action_view_dispatch_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sop.fs_dispatch_order_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action
