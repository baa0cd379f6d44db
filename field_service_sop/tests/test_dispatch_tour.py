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


@tagged("post_install", "-at_install")
class TestDispatcherTour(HttpCase):
    """Issue 12: the demo dispatcher of a fresh `make run` database, given
    nothing more than the demo grants her, works a ticket of her helpdesk team
    into an issued dispatch order, in Chinese (SOP D4, D3, D2). Her login and
    her manager's delegation are the demo's on purpose: the test database is
    installed with demo data (scripts/test.sh)."""

    def test_dispatcher_ticket_to_issued_order_in_chinese(self):
        env = self.env
        env["res.lang"]._activate_lang("zh_CN")
        env["ir.module.module"]._load_module_terms(
            ["field_service_sop"], ["zh_CN"], overwrite=True
        )
        dispatcher = env.ref("field_service_sop.fs_user_dispatcher_demo")
        dispatcher.lang = "zh_CN"
        customer = env["res.partner"].create(
            {"name": "上海浦东测试银行", "is_company": True, "city": "Shanghai"}
        )
        contact = env["res.partner"].create(
            {"name": "周经理", "parent_id": customer.id}
        )
        engineer = env["hr.employee"].create({"name": "钱工 Tour Engineer"})
        ticket = env["helpdesk.ticket"].create(
            {
                "name": "浦东支行 3 号 ATM 拒钞",
                "description": "<p>错误代码 4A-17</p>",
                "partner_id": contact.id,
                "team_id": env.ref(
                    "field_service_sop.fs_helpdesk_team_hotline_demo"
                ).id,
                "user_id": False,
            }
        )
        self.assertFalse(dispatcher.has_group("helpdesk_mgmt.group_helpdesk_user"))
        self.start_tour("/odoo", "fs_dispatcher_tour", login=dispatcher.login)
        order = ticket.dispatch_order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "issued")
        self.assertEqual(order.partner_id, customer)
        self.assertEqual(order.site_contact_id, contact)
        self.assertEqual(order.engineer_ids, engineer)
        self.assertEqual(order.lead_engineer_id, engineer)
        self.assertEqual(order.issued_by_id, dispatcher)
        self.assertEqual(
            order.delegation_id,
            env.ref("field_service_sop.fs_dispatch_delegation_demo"),
        )
        self.assertRegex(order.name, r"^PG\d{4}-\d{5}$")
