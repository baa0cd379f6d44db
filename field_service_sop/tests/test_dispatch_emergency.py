# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import FsEmergencyCommon


@tagged("post_install", "-at_install")
class TestEmergencyPlan(FsEmergencyCommon):
    def test_d16_plan_proposes_order_team_and_travel(self):
        """SOP D16: the plan starts from the order's engineers and lead."""
        self.customer.fs_travel_minutes = 25
        order = self._emergency_order()
        plan = self._plan(order, travel_minutes=None)  # proposed
        self.assertEqual(plan.staff_ids, self.lead | self.second)
        self.assertEqual(plan.lead_id, self.lead)
        self.assertEqual(plan.travel_minutes, 25)
        self.assertEqual(plan.company_id, self.company)
        self.assertEqual(plan.state, "draft")
        self.assertEqual(order.emergency_plan_id, plan)
        self.assertEqual(plan.display_name, f"Emergency Plan {order.name}")

    def test_d16_plan_only_for_emergency_orders_one_each(self):
        """SOP D16: a plan belongs to one emergency order."""
        with self.assertRaisesRegex(ValidationError, "not an emergency order"):
            self._plan(self._order())
        order = self._emergency_order()
        self._plan(order)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._plan(order)

    def test_d16_lead_must_be_staff_and_amounts_positive(self):
        """SOP D16: the emergency lead is one of the plan's staff."""
        order = self._emergency_order()
        with self.assertRaisesRegex(ValidationError, "must be one of the plan's staff"):
            self._plan(order, staff_ids=[(6, 0, self.second.ids)], lead_id=self.lead.id)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._plan(self._emergency_order(), estimated_cost=-1)

    def test_d16_submit_needs_complete_plan_and_consent(self):
        """SOP D16: duration, staff, lead, tools, items, cost, travel, consent."""
        plan = self._plan(
            self._emergency_order(),
            expected_duration_hours=0,
            tools=False,
            estimated_cost=0,
            customer_consent_at=False,
        )
        with self.assertRaisesRegex(
            UserError,
            "without the expected duration, the tools, the estimated cost, the "
            r"customer's consent \(when, and who agreed\)",
        ):
            plan.with_user(self.users["dispatcher"]).action_submit()
        self.assertEqual(plan.state, "draft")

    def test_d16_engineer_reads_only_and_cannot_submit(self):
        """SOP D16: engineers read their orders' plans, never write them."""
        order = self._emergency_order()
        plan = self._plan(order)
        as_engineer = plan.with_user(self.users["engineer"])
        self.assertEqual(as_engineer.tools, "Toolkit, console cable")
        with self.assertRaises(AccessError):
            as_engineer.write({"tools": "Nothing"})
        with self.assertRaises(AccessError):
            as_engineer.action_submit()
        with self.assertRaises(AccessError):
            self._plan(self._emergency_order(), user="engineer")
        outsider = self.users["test_manager"]  # an engineer, not on the order
        with self.assertRaises(AccessError):
            plan.with_user(outsider).read(["tools"])
        self.assertEqual(plan.state, "draft")

    def test_d16_other_company_cannot_see_plan(self):
        """Multi-company: a plan is visible only in its order's company."""
        plan = self._plan(self._emergency_order())
        other_director = new_test_user(
            self.env,
            login="fs_unit_director_b",
            groups="base.group_user,field_service_sop.group_fs_director",
            company_id=self.company_b.id,
            company_ids=[self.company_b.id],
        )
        Plan = self.env["fs.emergency.plan"].with_user(other_director)
        self.assertNotIn(plan, Plan.search([]))
        with self.assertRaises(AccessError):
            plan.with_user(other_director).action_approve()


@tagged("post_install", "-at_install")
class TestEmergencyApproval(FsEmergencyCommon):
    def setUp(self):
        super().setUp()
        self.order = self._emergency_order()
        self.plan = self._plan(self.order)

    def test_d16_only_director_approves(self):
        """SOP D16: managers and dispatchers cannot approve, by any path."""
        self.plan.with_user(self.users["dispatcher"]).action_submit()
        self.assertEqual(self.plan.state, "submitted")
        self.assertEqual(self.plan.submitted_by_id, self.users["dispatcher"])
        for role in ("dispatcher", "manager"):
            as_user = self.plan.with_user(self.users[role])
            with self.assertRaisesRegex(AccessError, "Only a Service Director"):
                as_user.action_approve()
            with self.assertRaisesRegex(AccessError, "Only a Service Director"):
                as_user.action_reject("no")
            with self.assertRaisesRegex(UserError, "with its buttons"):
                as_user.write({"state": "approved"})
            with self.assertRaisesRegex(UserError, "with its buttons"):
                as_user.write({"approved_by_id": self.users[role].id})
            with self.assertRaisesRegex(AccessError, "Only a Service Director"):
                as_user.write({"rejection_reason": "I reject"})
        # Even a director goes through the button, not a raw write.
        with self.assertRaisesRegex(UserError, "with its buttons"):
            self.plan.with_user(self.users["director"]).write({"state": "approved"})
        # A plan cannot be created as already approved either.
        with self.assertRaisesRegex(UserError, "starts as a draft"):
            self._plan(self._emergency_order(), state="approved")
        with self.assertRaisesRegex(UserError, "starts as a draft"):
            self._plan(
                self._emergency_order(), approved_by_id=self.users["dispatcher"].id
            )
        self.assertEqual(self.plan.state, "submitted")
        self.assertFalse(self.plan.approved_by_id)
        with freeze_time("2026-11-02 09:00:00"):
            self.plan.with_user(self.users["director"]).action_approve()
        self.assertEqual(self.plan.state, "approved")
        self.assertEqual(self.plan.approved_by_id, self.users["director"])
        self.assertEqual(self.plan.approved_at, datetime(2026, 11, 2, 9, 0))
        self.assertTrue(
            self.order.message_ids.filtered(
                lambda m: "Emergency plan approved" in (m.body or "")
            )
        )

    def test_d16_directors_are_notified_on_submit(self):
        """SOP D16: the plan goes to the Service Directors of its company."""
        self.plan.with_user(self.users["dispatcher"]).action_submit()
        message = self.plan.message_ids.filtered(
            lambda m: "submitted for approval" in (m.body or "")
        )
        self.assertIn(self.users["director"].partner_id, message.partner_ids)

    def test_d16_approve_needs_submission(self):
        """SOP D16: the director approves what was submitted, nothing else."""
        with self.assertRaisesRegex(UserError, "it is not submitted"):
            self.plan.with_user(self.users["director"]).action_approve()
        self.assertEqual(self.plan.state, "draft")

    def test_d16_reject_needs_reason(self):
        """SOP D16: a rejection says why; the plan is reopened to be fixed."""
        self.plan.with_user(self.users["dispatcher"]).action_submit()
        as_director = self.plan.with_user(self.users["director"])
        with self.assertRaisesRegex(UserError, "enter the rejection reason"):
            as_director.action_reject()
        as_director.write({"rejection_reason": "Take a second disk"})
        as_director.action_reject()
        self.assertEqual(self.plan.state, "rejected")
        self.assertEqual(self.plan.rejected_by_id, self.users["director"])
        with self.assertRaisesRegex(UserError, "is Rejected and cannot be changed"):
            self.plan.with_user(self.users["dispatcher"]).write({"parts": "3 disks"})
        with self.assertRaisesRegex(UserError, "emergency plan must be approved"):
            self.order.with_user(self.users["manager"]).action_issue()
        self.plan.with_user(self.users["dispatcher"]).action_reset_draft()
        self.plan.with_user(self.users["dispatcher"]).write({"parts": "3 disks"})
        self.plan.with_user(self.users["dispatcher"]).action_submit()
        self.assertFalse(self.plan.rejection_reason)
        self.assertEqual(self.plan.state, "submitted")

    def test_d16_approved_plan_is_frozen_reopen_voids_approval(self):
        """SOP D16: no change after approval; reopening voids it, tracked."""
        self.plan.with_user(self.users["dispatcher"]).action_submit()
        self.plan.with_user(self.users["director"]).action_approve()
        for role in ("dispatcher", "director"):
            with self.assertRaisesRegex(UserError, "is Approved and cannot be changed"):
                self.plan.with_user(self.users[role]).write({"estimated_cost": 99999})
        with self.assertRaisesRegex(UserError, "is Approved and cannot be changed"):
            self.plan.with_user(self.users["dispatcher"]).write(
                {"staff_ids": [(4, self.lead.id)], "lead_id": self.lead.id}
            )
        with self.assertRaisesRegex(UserError, "belongs to its order"):
            self.plan.with_user(self.users["dispatcher"]).write(
                {"order_id": self._emergency_order().id}
            )
        with self.assertRaisesRegex(UserError, "kept as the record"):
            self.plan.with_user(self.users["dispatcher"]).unlink()
        self.assertEqual(self.plan.estimated_cost, 2400.0)
        with self.assertRaises(AccessError):
            self.plan.with_user(self.users["engineer"]).action_reset_draft()
        tracked = self.plan.with_context(tracking_disable=False)
        tracked.with_user(self.users["dispatcher"]).action_reset_draft()
        self.env.cr.precommit.run()  # tracking values are written at commit
        self.assertEqual(self.plan.state, "draft")
        self.assertFalse(self.plan.approved_by_id)
        self.assertFalse(self.plan.approved_at)
        tracking = self.plan.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(tracking[:1].old_value_char, "Approved")
        self.assertEqual(tracking[:1].new_value_char, "Draft")
        self.assertTrue(
            self.order.message_ids.filtered(
                lambda m: "the approval is void" in (m.body or "")
            )
        )
        # The reopened plan no longer lets the order be issued.
        with self.assertRaisesRegex(UserError, "emergency plan must be approved"):
            self.order.with_user(self.users["manager"]).action_issue()


@tagged("post_install", "-at_install")
class TestEmergencyOrder(FsEmergencyCommon):
    def test_d16_issue_needs_approved_plan(self):
        """SOP D16: no plan, a draft or a submitted plan: not issued."""
        order = self._emergency_order()
        as_manager = order.with_user(self.users["manager"])
        with self.assertRaisesRegex(UserError, "emergency plan must be approved"):
            as_manager.action_issue()
        with self.assertRaisesRegex(UserError, "emergency plan must be approved"):
            as_manager.write({"state": "issued"})
        plan = self._plan(order)
        plan.with_user(self.users["dispatcher"]).action_submit()
        with self.assertRaisesRegex(UserError, "emergency plan must be approved"):
            as_manager.action_issue()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.issued_at)
        plan.with_user(self.users["director"]).action_approve()
        as_manager.action_issue()
        self.assertEqual(order.state, "issued")

    def test_d16_issue_sends_the_plan_people(self):
        """SOP D16: the issued order sends the lead and staff of the plan."""
        order = self._emergency_order()
        self._approved_plan(
            order, staff_ids=[(6, 0, self.lead.ids)], lead_id=self.lead.id
        )
        with self.assertRaisesRegex(UserError, "must send the people"):
            order.with_user(self.users["manager"]).action_issue()
        order.write({"engineer_ids": [(6, 0, self.lead.ids)]})
        order.with_user(self.users["manager"]).action_issue()
        self.assertEqual(order.state, "issued")

    def test_d16_non_emergency_order_unaffected(self):
        """SOP D16 applies to emergencies only."""
        order = self._order()
        order.with_user(self.users["manager"]).action_issue()
        self.assertEqual(order.state, "issued")

    def test_d16_emergency_flag_fixed_after_issue(self):
        """SOP D16: an issued order cannot become, or stop being, an emergency."""
        order = self._order()
        order.with_user(self.users["manager"]).action_issue()
        with self.assertRaisesRegex(UserError, "Only a draft order"):
            order.with_user(self.users["manager"]).write({"is_emergency": True})
        emergency = self._emergency_order()
        self._approved_plan(emergency)
        emergency.with_user(self.users["manager"]).action_issue()
        with self.assertRaisesRegex(UserError, "Only a draft order"):
            emergency.with_user(self.users["director"]).write({"is_emergency": False})
        with self.assertRaises(UserError):  # AccessError is one too
            emergency.with_user(self.users["engineer"]).write({"is_emergency": False})
        self.assertTrue(emergency.is_emergency)
        # The approved plan of an issued order cannot be reopened.
        with self.assertRaisesRegex(UserError, "cannot be reopened"):
            emergency.emergency_plan_id.with_user(
                self.users["dispatcher"]
            ).action_reset_draft()

    def test_d16_views_load_for_every_role(self):
        """The plan views and the order form with its Emergency page load."""
        buttons = {  # SOP D16: only directors see Approve / Reject
            "engineer": (False, False),
            "dispatcher": (True, False),
            "director": (True, True),
        }
        for role, (submit, approve) in buttons.items():
            env = self.env(user=self.users[role])
            views = env["fs.emergency.plan"].get_views(
                [(False, "form"), (False, "list"), (False, "search")]
            )
            arch = views["views"]["form"]["arch"]
            self.assertEqual("action_submit" in arch, submit, role)
            self.assertEqual("action_approve" in arch, approve, role)
            self.assertEqual("action_reject" in arch, approve, role)
            order_form = env["fs.dispatch.order"].get_views([(False, "form")])
            self.assertIn("is_emergency", order_form["views"]["form"]["arch"])

    def test_d16_open_plan_action(self):
        order = self._emergency_order()
        action = order.with_user(self.users["dispatcher"]).action_open_emergency_plan()
        self.assertEqual(action["context"]["default_order_id"], order.id)
        self.assertNotIn("res_id", action)
        plan = self._plan(order)
        action = order.with_user(self.users["engineer"]).action_open_emergency_plan()
        self.assertEqual(action["res_id"], plan.id)


@tagged("post_install", "-at_install")
class TestEmergencyDeparture(FsEmergencyCommon):
    def setUp(self):
        super().setUp()
        self.order = self._emergency_order()
        self._approved_plan(self.order, travel_minutes=40)
        self._issue_and_accept(self.order)

    def _departure_mails(self, order):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "fs.dispatch.order"),
                ("res_id", "=", order.id),
                ("recipient_ids", "in", self.customer.ids),
            ]
        )

    def test_d16_customer_informed_with_eta_on_departure(self):
        """SOP D16: on departure the customer is e-mailed the ETA (queued)."""
        with freeze_time("2026-11-02 10:00:00"):
            self.order.with_user(self.users["engineer"]).action_depart()
        self.assertEqual(self.order.state, "departed")
        self.assertEqual(self.order.emergency_eta, datetime(2026, 11, 2, 10, 40))
        self.assertEqual(self.order.emergency_informed_at, datetime(2026, 11, 2, 10, 0))
        mail = self._departure_mails(self.order)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")  # queued, not sent inline
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(self.order.name, mail.subject)
        self.assertIn(self.order.name, mail.body_html)
        self.assertIn("10:40", mail.body_html)
        self.assertIn("Lead Eng", mail.body_html)
        self.assertIn("Second Eng", mail.body_html)
        note = self.order.message_ids.filtered(
            lambda m: "Customer informed of the departure" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("10:40", note.body)

    def test_d16_engineer_eta_wins(self):
        """SOP D16: the lead engineer's own ETA is the one the customer gets."""
        as_lead = self.order.with_user(self.users["engineer"])
        as_lead.write({"emergency_eta": datetime(2026, 11, 2, 11, 15)})
        with freeze_time("2026-11-02 10:00:00"):
            as_lead.action_depart()
        self.assertEqual(self.order.emergency_eta, datetime(2026, 11, 2, 11, 15))
        self.assertIn("11:15", self._departure_mails(self.order).body_html)
        with self.assertRaisesRegex(ValidationError, "before the departure"):
            as_lead.write({"emergency_eta": datetime(2026, 11, 2, 9, 0)})

    def test_d16_departure_by_raw_write_also_informs(self):
        """SOP D16: a raw state write informs the customer like the button."""
        with freeze_time("2026-11-02 10:00:00"):
            self.order.with_user(self.users["dispatcher"]).write({"state": "departed"})
        self.assertEqual(self.order.departed_at, datetime(2026, 11, 2, 10, 0))
        self.assertEqual(len(self._departure_mails(self.order)), 1)

    def test_d16_customer_without_email_is_phoned(self):
        """SOP D16: no e-mail address: the chatter asks for the phone call."""
        self.customer.email = False
        with freeze_time("2026-11-02 10:00:00"):
            self.order.with_user(self.users["engineer"]).action_depart()
        self.assertFalse(self._departure_mails(self.order))
        self.assertTrue(
            self.order.message_ids.filtered(
                lambda m: "phones the customer" in (m.body or "")
            )
        )

    def test_d16_informed_stamp_not_writable(self):
        """SOP D16: "customer informed" is recorded by the departure only."""
        with self.assertRaisesRegex(UserError, "recorded by the departure"):
            self.order.with_user(self.users["director"]).write(
                {"emergency_informed_at": datetime(2026, 11, 2, 10, 0)}
            )
        self.assertFalse(self.order.emergency_informed_at)

    def test_d16_normal_order_departure_sends_nothing(self):
        """SOP D16: only emergency departures e-mail the customer."""
        order = self._order()
        self._issue_and_accept(order)
        with freeze_time("2026-11-02 10:00:00"):
            order.with_user(self.users["engineer"]).action_depart()
        self.assertFalse(self._departure_mails(order))
        self.assertFalse(order.emergency_informed_at)
