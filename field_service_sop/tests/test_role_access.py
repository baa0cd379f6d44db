# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What each SOP role reaches by its field-service group alone (issue 12.2):
the users here are given nothing else, as an administrator would when a
colleague joins. Helpdesk tickets (SOP D4, D9, E1, E4, S9) and the released
travel expenses the manager approves (R1, R2)."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged, users

from .common import FsDispatchCommon, FsExpenseCommon

HELPDESK = "helpdesk_mgmt.group_helpdesk_"


@tagged("post_install", "-at_install")
class TestTicketAccess(FsDispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Team = cls.env["helpdesk.ticket.team"]
        cls.hotline = Team.create(
            {
                "name": "FS Hotline",
                "company_id": cls.company.id,
                "user_ids": [Command.set(cls.users["dispatcher"].ids)],
            }
        )
        cls.sales_desk = Team.create(
            {"name": "FS Sales Desk", "company_id": cls.company.id}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ms Gao (IT)", "parent_id": cls.customer.id}
        )
        Ticket = cls.env["helpdesk.ticket"].with_context(mail_create_nosubscribe=True)
        values = {
            "description": "<p>Dispenser rejects notes</p>",
            "partner_id": cls.contact.id,
            "company_id": cls.company.id,
            "user_id": False,
        }
        cls.team_ticket = Ticket.create(
            {**values, "name": "ATM fault", "team_id": cls.hotline.id}
        )
        cls.unrouted_ticket = Ticket.create({**values, "name": "Printer jam"})
        cls.other_team_ticket = Ticket.create(
            {**values, "name": "Quote request", "team_id": cls.sales_desk.id}
        )
        cls.other_company_ticket = Ticket.create(
            {
                **values,
                "name": "Other company's fault",
                "partner_id": False,
                "company_id": cls.company_b.id,
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="fs_ticket_portal",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Other customer", "email": "it@other.example.com"})
            .id,
        )

    def _readable(self, tickets):
        """The tickets the current user finds, and reads, among ``tickets``."""
        found = self.env["helpdesk.ticket"].search([("id", "in", tickets.ids)])
        for ticket in tickets:
            if ticket in found:
                ticket.with_env(self.env).check_access("read")
            else:
                with self.assertRaises(AccessError, msg=ticket.name):
                    ticket.with_env(self.env).check_access("read")
        return found

    def test_roles_imply_the_least_helpdesk_group(self):
        """Each role carries its helpdesk rights by implication, no more."""
        expected = {
            "engineer": "user_own",
            "dispatcher": "user_team",
            "manager": "user",
            "director": "user",
        }
        for role, level in expected.items():
            user = self.users[role]
            self.assertTrue(user.has_group(HELPDESK + level), role)
            self.assertFalse(user.has_group(HELPDESK + "manager"), role)
        self.assertFalse(self.users["engineer"].has_group(HELPDESK + "user_team"))
        self.assertFalse(self.users["dispatcher"].has_group(HELPDESK + "user"))
        self.assertFalse(self.plain_user.has_group(HELPDESK + "user_own"))
        # SOP R1, R2: the manager approves his team's released travel.
        approver = "hr_expense.group_hr_expense_team_approver"
        self.assertTrue(self.users["manager"].has_group(approver))
        self.assertFalse(
            self.users["manager"].has_group("hr_expense.group_hr_expense_user")
        )
        self.assertFalse(self.users["dispatcher"].has_group(approver))

    @users("fs_unit_dispatcher")
    def test_dispatcher_works_team_tickets(self):
        """SOP D4: the dispatcher works the tickets of the helpdesk team he is
        in and the unrouted ones, and turns one into a dispatch order."""
        tickets = (
            self.team_ticket
            | self.unrouted_ticket
            | self.other_team_ticket
            | self.other_company_ticket
        )
        self.assertEqual(
            self._readable(tickets), self.team_ticket | self.unrouted_ticket
        )
        ticket = self.team_ticket.with_env(self.env)
        ticket.user_id = self.env.user  # takes the request
        action = ticket.action_create_dispatch_order()
        order = self.env["fs.dispatch.order"].browse(action["res_id"])
        self.assertEqual(order.ticket_id, ticket)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.site_contact_id, self.contact)
        self.assertEqual(order.purpose, "ATM fault")
        self.assertEqual(ticket.dispatch_order_count, 1)
        with self.assertRaises(AccessError):
            self.other_team_ticket.with_env(self.env).action_create_dispatch_order()

    @users("fs_unit_dispatcher")
    def test_dispatcher_reads_the_source_ticket_of_any_order(self):
        """SOP D9: a dispatcher sees every order, so its source ticket too,
        even from another team (read only)."""
        order = self._order(user="manager", ticket_id=self.other_team_ticket.id)
        self.assertEqual(order.with_env(self.env).ticket_id.name, "Quote request")
        ticket = self.other_team_ticket.with_env(self.env)
        ticket.check_access("read")
        with self.assertRaises(AccessError):
            ticket.write({"name": "Renamed"})

    @users("fs_unit_engineer")
    def test_engineer_reads_the_ticket_of_his_order_only(self):
        """SOP D9: the engineer reviews the ticket of the order he is on; he
        does not see unrelated tickets, change his order's ticket or create an
        order from it."""
        self._order(ticket_id=self.team_ticket.id)
        tickets = self.team_ticket | self.unrouted_ticket | self.other_team_ticket
        self.assertEqual(self._readable(tickets), self.team_ticket)
        ticket = self.team_ticket.with_env(self.env)
        self.assertEqual(ticket.name, "ATM fault")
        with self.assertRaises(AccessError):
            ticket.write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            ticket.action_create_dispatch_order()

    def test_engineer_not_on_the_order_does_not_read_its_ticket(self):
        self._order(
            ticket_id=self.team_ticket.id,
            engineer_ids=[Command.set(self.second.ids)],
            lead_engineer_id=self.second.id,
        )
        engineer = self.users["engineer"]
        with self.assertRaises(AccessError):
            self.team_ticket.with_user(engineer).check_access("read")

    @users("fs_unit_engineer")
    def test_engineer_works_the_ticket_assigned_to_him(self):
        """SOP E1: remote support starts when the assignee moves his ticket
        out of New; he may do so, on his own tickets only."""
        self.unrouted_ticket.user_id = self.users["engineer"]
        in_progress = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        ticket = self.unrouted_ticket.with_env(self.env)
        ticket.stage_id = in_progress
        self.assertEqual(ticket.stage_id, in_progress)
        with self.assertRaises(AccessError):
            self.team_ticket.with_env(self.env).stage_id = in_progress

    @users("fs_unit_manager", "fs_unit_director")
    def test_managers_read_all_tickets_of_their_company(self):
        """SOP E4, E5, S9: managers decide escalations of any ticket, follow
        every issue and confirm problems found on site."""
        tickets = (
            self.team_ticket
            | self.unrouted_ticket
            | self.other_team_ticket
            | self.other_company_ticket
        )
        self.assertEqual(self._readable(tickets), tickets - self.other_company_ticket)
        action = self.other_team_ticket.with_env(
            self.env
        ).action_create_dispatch_order()
        self.assertTrue(action["res_id"])

    @users("fs_unit_plain", "fs_ticket_portal")
    def test_outside_the_sop_no_ticket_and_no_order(self):
        """Employees outside the field service and other customers' portal
        users reach none of these tickets and create no order."""
        self.assertFalse(self._readable(self.team_ticket | self.unrouted_ticket))
        with self.assertRaises(AccessError):
            self.team_ticket.with_env(self.env).action_create_dispatch_order()


@tagged("post_install", "-at_install")
class TestManagerApprovesReleasedTravel(FsExpenseCommon):
    def test_manager_role_approves_his_engineers_released_travel(self):
        """SOP R1, R2: once the signed report and the maintenance record
        release the trip, the engineer's manager approves it with nothing but
        the manager role; a dispatcher cannot."""
        self.lead.expense_manager_id = self.users["manager"]
        report = self._complete_report(maintenance_ticket_id=self._ticket().id)
        self._sign(report)
        expense = self._expense(order=report.order_id)
        self.assertFalse(expense.fs_suspended)
        sheet = self._sheet(expense)
        with self.assertRaises(UserError):  # an AccessError is one too
            sheet.with_user(self.users["dispatcher"]).action_approve_expense_sheets()
        sheet.with_user(self.users["manager"]).action_approve_expense_sheets()
        self.assertEqual(sheet.state, "approve")


@tagged("post_install", "-at_install")
class TestDemoRolesReachTickets(FsDispatchCommon):
    """Issue 12.2: a fresh `make run` database lets each demo login do its
    flow without an administrator granting anything. Demo records on purpose:
    this checks the demo data itself (skipped nowhere: the test database is
    installed with demo data, see scripts/test.sh)."""

    def _demo(self, xmlid):
        record = self.env.ref(f"field_service_sop.{xmlid}", raise_if_not_found=False)
        self.assertTrue(record, f"demo record {xmlid} is missing")
        return record

    def test_demo_roles_reach_their_tickets(self):
        dispatcher = self._demo("fs_user_dispatcher_demo")
        engineer = self._demo("fs_user_engineer_demo")
        manager = self._demo("fs_user_manager_demo")
        director = self._demo("fs_user_director_demo")
        atm = self._demo("fs_helpdesk_ticket_atm_demo")
        hotline = self._demo("fs_helpdesk_ticket_sla_running_demo")
        escalated = self._demo("fs_helpdesk_ticket_sla_escalated_demo")
        for user in (dispatcher, manager, director):
            for ticket in (atm, hotline, escalated):
                ticket.with_user(user).check_access("read")
        # Zhang Wei reads the ticket of his order and works the one he took.
        atm.with_user(engineer).check_access("read")
        escalated.with_user(engineer).check_access("write")
        # The dispatcher turns the hotline request into an order (SOP D4).
        action = hotline.with_user(dispatcher).action_create_dispatch_order()
        order = self.env["fs.dispatch.order"].browse(action["res_id"])
        self.assertEqual(order.ticket_id, hotline)
        self.assertEqual(order.dispatcher_id, dispatcher)

    def test_demo_manager_has_an_escalation_and_a_report_to_decide(self):
        """SOP E4, R2: the demo manager finds work of his own level - the
        escalation of Li Na's UPS ticket and her released return trip."""
        manager = self._demo("fs_user_manager_demo")
        ticket = self._demo("fs_helpdesk_ticket_sla_supervisor_demo")
        escalations = (
            self.env["fs.escalation"]
            .with_user(manager)
            .search([("res_model", "=", ticket._name), ("res_id", "=", ticket.id)])
        )
        self.assertEqual(escalations.mapped("level"), [1])
        self.assertEqual(escalations.user_id, manager)
        self.assertTrue(escalations.can_decide)
        escalations.action_acknowledge("Li Na calls the branch now")
        self.assertEqual(escalations.state, "acknowledged")
        sheet = self._demo("fs_expense_sheet_released_demo")
        self.assertFalse(sheet.fs_suspended)
        sheet.with_user(manager).action_approve_expense_sheets()
        self.assertEqual(sheet.state, "approve")
