# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import FsDispatchCommon


@tagged("post_install", "-at_install")
class TestDispatchIssue(FsDispatchCommon):
    def test_d2_manager_issues(self):
        order = self._order()
        self.assertTrue(order.name.startswith("PG"))
        order.with_user(self.users["manager"]).action_issue()
        self.assertEqual(order.state, "issued")
        self.assertEqual(order.issued_by_id, self.users["manager"])
        self.assertFalse(order.delegation_id)

    def test_d2_dispatcher_needs_a_delegation(self):
        order = self._order()
        with self.assertRaisesRegex(AccessError, "valid, unrevoked delegation"):
            order.with_user(self.users["dispatcher"]).action_issue()
        # The same move as a raw RPC write of the state is refused too.
        with self.assertRaises(AccessError):
            order.with_user(self.users["dispatcher"]).write({"state": "issued"})
        self.assertEqual(order.state, "draft")
        delegation = self._delegate()
        order.with_user(self.users["dispatcher"]).action_issue()
        self.assertEqual(order.state, "issued")
        self.assertEqual(order.delegation_id, delegation)

    def test_d2_revoked_or_out_of_dates_delegation_refused(self):
        order = self._order()
        self._delegate(
            date_from=date.today() + timedelta(days=2),
            date_to=date.today() + timedelta(days=9),
        )
        self._delegate(
            date_from=date.today() - timedelta(days=9),
            date_to=date.today() - timedelta(days=2),
        )
        current = self._delegate()
        current.with_user(self.users["manager"]).action_revoke("Assistant left")
        self.assertEqual(current.state, "revoked")
        self.assertEqual(current.revoked_by_id, self.users["manager"])
        with self.assertRaises(AccessError):
            order.with_user(self.users["dispatcher"]).action_issue()
        self.assertEqual(order.state, "draft")

    def test_d2_engineer_cannot_issue_or_create(self):
        order = self._order()
        with self.assertRaises(AccessError):
            order.with_user(self.users["engineer"]).action_issue()
        with self.assertRaises(AccessError):
            self._order(user="engineer")
        self.assertEqual(order.state, "draft")

    def test_d3_issue_needs_customer_engineers_content(self):
        order = self._order(
            partner_id=False,
            engineer_ids=[(5, 0, 0)],
            lead_engineer_id=False,
            content=False,
        )
        with self.assertRaisesRegex(
            UserError, "a customer, engineers, a lead engineer, the service content"
        ):
            order.with_user(self.users["manager"]).action_issue()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.issued_at)

    def test_d7_engineers_are_notified_on_issue(self):
        order = self._order()
        order.with_user(self.users["manager"]).action_issue()
        partners = (self.users["engineer"] | self.second_user).partner_id
        self.assertLessEqual(partners, order.message_partner_ids)
        message = order.message_ids.filtered(
            lambda m: "Dispatch order issued" in (m.body or "")
        )
        self.assertTrue(message)
        self.assertLessEqual(partners, message.partner_ids)

    def test_state_jump_refused(self):
        order = self._order()
        for state in ("done", "arrived", "accepted"):
            with self.assertRaisesRegex(UserError, "cannot go from Draft"):
                order.with_user(self.users["manager"]).write({"state": state})
        self.assertEqual(order.state, "draft")
        with self.assertRaisesRegex(UserError, "starts as a draft"):
            self._order(state="issued")

    def test_d4_from_ticket(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Core switch reboots",
                "description": "<p>Reboots hourly</p>",
                "partner_id": self.customer.id,
                "company_id": self.company.id,
            }
        )
        action = ticket.with_user(
            self.users["dispatcher"]
        ).action_create_dispatch_order()
        order = self.env["fs.dispatch.order"].browse(action["res_id"])
        self.assertEqual(order.ticket_id, ticket)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.purpose, "Core switch reboots")
        self.assertIn("Reboots hourly", order.symptoms)
        self.assertIn("1 Bund Rd", order.site_address)
        self.assertEqual(order.site_phone, "+86 21 5555 0000")
        self.assertEqual(ticket.dispatch_order_count, 1)
        self.assertEqual(
            ticket.action_view_dispatch_orders()["domain"],
            [("ticket_id", "=", ticket.id)],
        )


@tagged("post_install", "-at_install")
class TestDispatchEngineer(FsDispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order(cls)
        cls.order.with_user(cls.users["manager"]).action_issue()

    def test_d10_accept_needs_contact_and_lead(self):
        as_lead = self.order.with_user(self.users["engineer"])
        with self.assertRaisesRegex(UserError, "Log the customer contact"):
            as_lead.action_accept()
        as_lead.write(
            {
                "contact_at": datetime(2026, 11, 2, 9, 0),
                "appointment_at": datetime(2026, 11, 2, 14, 0),
                "customer_preparation": "Admin password, rack key",
            }
        )
        with self.assertRaisesRegex(AccessError, "Only the lead engineer"):
            self.order.with_user(self.second_user).action_accept()
        as_lead.action_accept()
        self.assertEqual(self.order.state, "accepted")
        self.assertTrue(self.order.accepted_at)

    def test_engineer_writes_only_visit_data(self):
        as_lead = self.order.with_user(self.users["engineer"])
        # D10: the address and phone the customer confirmed are the engineer's.
        as_lead.write({"site_address": "Gate 3, 1 Bund Rd", "site_phone": "+86 21 1"})
        self.assertEqual(self.order.site_address, "Gate 3, 1 Bund Rd")
        with self.assertRaisesRegex(AccessError, "Purpose"):
            as_lead.write({"purpose": "Something else"})
        with self.assertRaisesRegex(AccessError, "Accepted At"):
            as_lead.write({"accepted_at": "2026-11-01 08:00:00"})
        with self.assertRaises(AccessError):
            as_lead.action_cancel()
        self.assertEqual(self.order.purpose, "Server down")

    def test_engineer_not_on_order_cannot_see_it(self):
        outsider = self.users["test_manager"]
        with self.assertRaises(AccessError):
            self.order.with_user(outsider).read(["name"])
        self.assertNotIn(
            self.order, self.env["fs.dispatch.order"].with_user(outsider).search([])
        )

    def test_d12_d13_departure_arrival_and_lateness(self):
        self.order.write(
            {
                "contact_at": datetime(2026, 11, 2, 9, 0),
                "appointment_at": datetime(2026, 11, 2, 14, 0),
            }
        )
        as_lead = self.order.with_user(self.users["engineer"])
        as_lead.action_accept()
        self.order.checklist_line_ids.with_user(self.users["engineer"]).write(
            {"done": True}
        )
        with freeze_time("2026-11-02 13:00:00"):
            as_lead.action_depart()
        self.assertEqual(self.order.departed_at, datetime(2026, 11, 2, 13, 0))
        with (
            self.assertRaisesRegex(ValidationError, "before the departure"),
            self.cr.savepoint(),
        ):
            as_lead.write({"arrived_at": datetime(2026, 11, 2, 12, 0)})
        with freeze_time("2026-11-02 14:25:00"):
            as_lead.action_arrive()
        self.assertEqual(self.order.state, "arrived")
        self.assertEqual(self.order.late_minutes, 25)
        self.assertTrue(self.order.is_late)  # over the 15 min threshold (D13)
        self.company.fs_late_threshold_minutes = 30
        self.assertFalse(self.order.is_late)

    def test_arrival_needs_departure(self):
        self.order.write(
            {
                "contact_at": datetime(2026, 11, 2, 9, 0),
                "appointment_at": datetime(2026, 11, 2, 14, 0),
            }
        )
        self.order.with_user(self.users["engineer"]).action_accept()
        with self.assertRaisesRegex(UserError, "cannot go from Accepted to On Site"):
            self.order.with_user(self.users["engineer"]).write({"state": "arrived"})


@tagged("post_install", "-at_install")
class TestDelegation(FsDispatchCommon):
    def test_d2_only_managers_delegate(self):
        with self.assertRaises(AccessError):
            self.env["fs.dispatch.delegation"].with_user(
                self.users["dispatcher"]
            ).create(
                {
                    "manager_id": self.users["dispatcher"].id,
                    "delegate_id": self.users["engineer"].id,
                    "date_to": date.today(),
                }
            )
        with self.assertRaisesRegex(ValidationError, "not an Engineering Manager"):
            self._delegate(
                manager_id=self.users["dispatcher"].id,
                delegate_id=self.users["engineer"].id,
            )

    def test_dates_and_self_delegation_refused(self):
        with self.assertRaisesRegex(ValidationError, "ends .* before it starts"):
            self._delegate(date_to=date.today() - timedelta(days=5))
        with self.assertRaisesRegex(ValidationError, "themselves"):
            self._delegate(delegate_id=self.users["manager"].id)

    def test_revocation_is_kept_and_guarded(self):
        delegation = self._delegate()
        other_manager = new_test_user(
            self.env,
            login="fs_unit_manager2",
            groups="base.group_user,field_service_sop.group_fs_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaisesRegex(UserError, "or a Service Director"):
            delegation.with_user(other_manager).action_revoke("no")
        with self.assertRaisesRegex(UserError, "Revoke button"):
            delegation.with_user(self.users["manager"]).write({"revoked": True})
        delegation.with_user(self.users["director"]).action_revoke("Reorganised")
        self.assertTrue(delegation.revoked)
        with self.assertRaisesRegex(UserError, "kept as history"):
            delegation.with_user(self.users["manager"]).write({"note": "again"})
        with self.assertRaises(AccessError):
            delegation.with_user(self.users["director"]).unlink()
        with self.assertRaisesRegex(UserError, "revoke it instead"):
            delegation.sudo().unlink()
        # The delegate sees their delegation and its history, read-only.
        as_delegate = delegation.with_user(self.users["dispatcher"])
        self.assertEqual(as_delegate.revoke_reason, "Reorganised")
        with self.assertRaises(AccessError):
            as_delegate.write({"date_to": date.today() + timedelta(days=300)})


@tagged("post_install", "-at_install")
class TestDispatchListScale(FsDispatchCommon):
    SPEC = {
        "name": {},
        "state": {},
        "priority": {},
        "is_late": {},
        "appointment_at": {},
        "partner_id": {"fields": {"display_name": {}}},
        "service_type_id": {"fields": {"display_name": {}}},
        "lead_engineer_id": {"fields": {"display_name": {}}},
        "engineer_ids": {"fields": {"display_name": {}}},
        "user_can_issue": {},
        "user_is_engineer": {},
    }

    def _queries_to_load(self, user):
        Order = self.env["fs.dispatch.order"].with_user(user)
        Order.web_search_read([], self.SPEC, limit=80)  # warm the ormcaches
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        Order.web_search_read([], self.SPEC, limit=80)
        return self.cr.sql_log_count - before

    def test_list_queries_do_not_grow_with_orders(self):
        for _i in range(3):
            self._order()
        few = {
            role: self._queries_to_load(self.users[role])
            for role in ("dispatcher", "engineer")
        }
        for _i in range(30):
            self._order()
        many = {
            role: self._queries_to_load(self.users[role])
            for role in ("dispatcher", "engineer")
        }
        self.assertEqual(few, many)
