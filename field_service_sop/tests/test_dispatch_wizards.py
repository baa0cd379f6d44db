# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import FsDispatchCommon

APPOINTMENT = datetime(2026, 11, 2, 14, 0)


@tagged("post_install", "-at_install")
class TestDispatchWizards(FsDispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.supervisor = Employee.create(
            {
                "name": "Supervisor",
                "user_id": cls.users["manager"].id,
                "company_id": cls.company.id,
            }
        )
        cls.lead.parent_id = cls.supervisor
        cls.hardware = Employee.create(
            {
                "name": "Hardware Eng",
                "user_id": cls.users["rd_manager"].id,
                "company_id": cls.company.id,
            }
        )
        cls.order = cls._order(cls)
        cls.order.with_user(cls.users["manager"]).action_issue()
        cls.order.write(
            {"contact_at": datetime(2026, 11, 2, 9, 0), "appointment_at": APPOINTMENT}
        )

    def _reschedule(self, user="engineer", **vals):
        Wizard = self.env["fs.dispatch.reschedule"].with_user(self.users[user])
        return Wizard.with_context(
            active_model="fs.dispatch.order", active_id=self.order.id
        ).create(vals)

    def _escalations(self):
        """The order's activities but its engineers' "New Job" to-dos (D7)."""
        new_job = self.env.ref("field_service_sop.fs_activity_type_new_job")
        return self.order.activity_ids.filtered(lambda a: a.activity_type_id != new_job)

    def test_d11_reschedule_with_reason(self):
        wizard = self._reschedule(
            contacted_at=datetime(2026, 11, 2, 13, 0),
            new_appointment_at=datetime(2026, 11, 2, 16, 0),
            reason="Traffic jam on the ring road",
        )
        wizard.action_apply()
        self.assertEqual(self.order.appointment_at, datetime(2026, 11, 2, 16, 0))
        self.assertIn("Traffic jam", self.order.message_ids[0].body)
        self.assertFalse(self._escalations())

    def test_d11_reason_required_and_notice_checked(self):
        with self.assertRaisesRegex(UserError, "reason"):
            self._reschedule(
                reason="  ",
                new_appointment_at=datetime(2026, 11, 2, 16, 0),
                contacted_at=datetime(2026, 11, 2, 13, 0),
            ).action_apply()
        self.assertEqual(self.order.appointment_at, APPOINTMENT)
        self._reschedule(
            reason="Car broke down",
            contacted_at=datetime(2026, 11, 2, 13, 58),  # 2 min before: too late
            new_appointment_at=datetime(2026, 11, 2, 17, 0),
        ).action_apply()
        self.assertIn("less than 10 minutes", self.order.message_ids[0].body)

    def test_d11_refusal_escalates_to_supervisor(self):
        self._reschedule(
            reason="Parts missing",
            customer_agreed=False,
            contacted_at=datetime(2026, 11, 2, 12, 0),
        ).action_apply()
        self.assertEqual(self.order.appointment_at, APPOINTMENT)
        activity = self._escalations()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.users["manager"])
        self.assertIn("refused", activity.summary)

    def test_d11_outsider_cannot_reschedule(self):
        """Nor read the order's appointment through the wizard (no peeking)."""
        outsider = self.users["test_manager"]  # an engineer, not on this order
        with self.assertRaises(AccessError):
            self.env["fs.dispatch.reschedule"].with_user(outsider).create(
                {
                    "order_id": self.order.id,
                    "reason": "x",
                    "new_appointment_at": datetime(2026, 11, 3, 9, 0),
                }
            )
        self.assertEqual(self.order.appointment_at, APPOINTMENT)

    def test_d11_confirmed_appointment_changes_only_by_reschedule(self):
        self.order.with_user(self.users["engineer"]).action_accept()
        with self.assertRaisesRegex(AccessError, "Reschedule"):
            self.order.with_user(self.users["engineer"]).write(
                {"appointment_at": datetime(2026, 11, 2, 18, 0)}
            )
        self._reschedule(
            reason="Customer meeting ran late",
            contacted_at=datetime(2026, 11, 2, 12, 0),
            new_appointment_at=datetime(2026, 11, 2, 18, 0),
        ).action_apply()
        self.assertEqual(self.order.appointment_at, datetime(2026, 11, 2, 18, 0))

    def test_d14_transfer_creates_linked_order(self):
        form = Form(
            self.env["fs.dispatch.transfer"]
            .with_user(self.users["dispatcher"])
            .with_context(active_model="fs.dispatch.order", active_id=self.order.id)
        )
        form.reason = "Board failure: hardware team"
        form.engineer_ids.add(self.hardware)
        action = form.save().action_apply()
        new = self.env["fs.dispatch.order"].browse(action["res_id"])
        self.assertEqual(self.order.state, "transferred")
        self.assertEqual(self.order.transferred_to_id, new)
        self.assertEqual(new.transferred_from_id, self.order)
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.engineer_ids, self.hardware)
        self.assertEqual(new.lead_engineer_id, self.hardware)
        self.assertEqual(new.partner_id, self.customer)
        self.assertEqual(new.purpose, self.order.purpose)
        self.assertNotEqual(new.name, self.order.name)

    def test_d14_transfer_guards(self):
        Transfer = self.env["fs.dispatch.transfer"]
        with self.assertRaises(AccessError):
            Transfer.with_user(self.users["engineer"]).create(
                {
                    "order_id": self.order.id,
                    "reason": "x",
                    "engineer_ids": [(6, 0, self.hardware.ids)],
                }
            )
        wizard = Transfer.with_user(self.users["dispatcher"]).create(
            {
                "order_id": self.order.id,
                "reason": " ",
                "engineer_ids": [(6, 0, self.hardware.ids)],
            }
        )
        with self.assertRaisesRegex(UserError, "reason for the transfer"):
            wizard.action_apply()
        with self.assertRaisesRegex(UserError, "Transfer button"):
            self.order.with_user(self.users["manager"]).write({"state": "transferred"})
        self.assertEqual(self.order.state, "issued")
        draft = self._order()
        wizard = Transfer.with_user(self.users["dispatcher"]).create(
            {
                "order_id": draft.id,
                "reason": "x",
                "engineer_ids": [(6, 0, self.hardware.ids)],
            }
        )
        with self.assertRaisesRegex(UserError, "cannot be transferred"):
            wizard.action_apply()
