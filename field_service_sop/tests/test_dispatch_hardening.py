# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Paths an RPC client has, found closed by review (SOP D2, D5, D6, D11-D14)."""

from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import FsDispatchCommon


@tagged("post_install", "-at_install")
class TestDispatchHardening(FsDispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order(cls)
        cls.order.with_user(cls.users["manager"]).action_issue()

    def test_d2_issue_stamps_cannot_be_forged(self):
        as_dispatcher = self.order.with_user(self.users["dispatcher"])
        for vals in (
            {"issued_by_id": self.users["director"].id},
            {"issued_at": "2020-01-01 00:00:00"},
            {"delegation_id": False},
            {"transferred_to_id": self._order().id, "transfer_reason": "x"},
        ):
            with self.assertRaisesRegex(AccessError, "set by its own buttons"):
                as_dispatcher.write(vals)
        self.assertEqual(self.order.issued_by_id, self.users["manager"])

    def test_d5_system_fields_cannot_be_preset_on_create(self):
        for vals in (
            {"written_confirmed_at": "2026-11-01 00:00:00"},
            {"verbal_escalated_at": "2026-11-01 00:00:00"},
            {"written_deadline": "2099-01-01 00:00:00"},
            {"issued_by_id": self.users["manager"].id},
            {"requested_by_id": self.users["manager"].id},
            {"emergency_informed_at": "2026-11-01 00:00:00"},
        ):
            with self.assertRaisesRegex(AccessError, "set by its own buttons"):
                self._order(is_verbal=True, **vals)

    def test_team_and_company_locked_once_issued(self):
        """D6/D16/D2: approvals, plans and delegations were given for a team."""
        other = self.env["hr.employee"].create(
            {"name": "Other", "company_id": self.company.id}
        )
        as_dispatcher = self.order.with_user(self.users["dispatcher"])
        with self.assertRaisesRegex(UserError, "cancel it and reset it to draft"):
            as_dispatcher.write({"engineer_ids": [(4, other.id)]})
        with self.assertRaisesRegex(UserError, "cancel it and reset it to draft"):
            self.order.with_user(self.users["manager"]).write(
                {"company_id": self.company_b.id}
            )
        self.assertNotIn(other, self.order.engineer_ids)
        self.order.with_user(self.users["manager"]).action_cancel()
        self.order.with_user(self.users["manager"]).action_reset_draft()
        as_dispatcher.write({"engineer_ids": [(4, other.id)]})
        self.assertIn(other, self.order.engineer_ids)

    def test_d13_lateness_is_the_record_once_on_site(self):
        as_lead = self.order.with_user(self.users["engineer"])
        as_lead.write(
            {
                "contact_at": datetime(2026, 11, 2, 9, 0),
                "appointment_at": datetime(2026, 11, 2, 14, 0),
            }
        )
        as_lead.action_accept()
        self.order.checklist_line_ids.with_user(self.users["engineer"]).write(
            {"done": True}
        )
        as_lead.write({"departed_at": datetime(2026, 11, 2, 13, 0)})
        as_lead.action_depart()
        as_lead.write({"arrived_at": datetime(2026, 11, 2, 15, 0)})
        as_lead.action_arrive()
        self.assertTrue(self.order.is_late)
        with self.assertRaisesRegex(AccessError, "closed for the engineers"):
            as_lead.write({"appointment_at": datetime(2026, 11, 2, 15, 0)})
        with self.assertRaisesRegex(AccessError, "closed for the engineers"):
            as_lead.write({"arrived_at": datetime(2026, 11, 2, 14, 0)})
        self.assertEqual(self.order.late_minutes, 60)

    def test_d12_given_items_are_not_deleted(self):
        lines = self.order.checklist_line_ids
        self.assertTrue(lines)
        with self.assertRaisesRegex(UserError, "ticked, not deleted"):
            self.order.with_user(self.users["dispatcher"]).write(
                {"checklist_line_ids": [(5, 0, 0)]}
            )
        self.assertEqual(self.order.checklist_line_ids, lines)

    def test_d2_delegation_rules(self):
        with self.assertRaisesRegex(UserError, "Revoke button"):
            self._delegate(revoked=True)
        with self.assertRaisesRegex(ValidationError, "not a Dispatcher"):
            self._delegate(delegate_id=self.users["engineer"].id)
        delegation = self._delegate()
        draft = self._order()
        draft.with_user(self.users["dispatcher"]).action_issue()
        self.assertEqual(draft.delegation_id, delegation)
        as_manager = delegation.with_user(self.users["manager"])
        with self.assertRaisesRegex(UserError, "used to issue"):
            as_manager.write({"delegate_id": self.users["director"].id})
        # Shortening it stays possible.
        as_manager.write({"date_to": date.today() + timedelta(days=1)})

    def test_engineer_cannot_request_approval(self):
        draft = self._order()
        with self.assertRaises(AccessError):
            draft.with_user(self.users["engineer"]).write({"state": "to_approve"})
        self.assertEqual(draft.state, "draft")

    def test_customer_locked_once_issued(self):
        """A signed service report and the portal name the order's customer."""
        other = self.env["res.partner"].create({"name": "Other Customer"})
        with self.assertRaisesRegex(UserError, "cancel it and reset it to draft"):
            self.order.with_user(self.users["dispatcher"]).write(
                {"partner_id": other.id}
            )
        self.assertEqual(self.order.partner_id, self.customer)
