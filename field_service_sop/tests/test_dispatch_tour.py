# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDispatchTour(HttpCase):
    def test_ticket_to_engineer_on_site(self):
        """SOP D4, D2, D10, D12, D13 in the browser, as a manager would."""
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer", "is_company": True, "city": "Hangzhou"}
        )
        self.env["hr.employee"].create({"name": "Tour Engineer"})
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Tour: router down",
                "description": "<p>VPN lost</p>",
                "partner_id": customer.id,
            }
        )
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}",
            "fs_dispatch_order_tour",
            login="admin",
        )
        order = ticket.dispatch_order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "arrived")
        self.assertEqual(order.partner_id, customer)
        self.assertEqual(order.lead_engineer_id.name, "Tour Engineer")
        self.assertTrue(order.issued_at and order.departed_at and order.arrived_at)
        self.assertTrue(all(order.checklist_line_ids.mapped("done")))
        self.assertEqual(order.customer_preparation, "Rack key and admin password")
