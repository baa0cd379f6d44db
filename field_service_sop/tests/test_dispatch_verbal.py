# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import FsDispatchCommon

ISSUED = datetime(2026, 11, 2, 8, 0)


@tagged("post_install", "-at_install")
class TestVerbalOrders(FsDispatchCommon):
    """SOP D5: urgent orders given verbally, filed in writing within 24 h."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.manager_employee = Employee.create(
            {
                "name": "Manager",
                "user_id": cls.users["manager"].id,
                "company_id": cls.company.id,
            }
        )
        cls.dispatcher_employee = Employee.create(
            {
                "name": "Dispatcher",
                "user_id": cls.users["dispatcher"].id,
                "company_id": cls.company.id,
                "parent_id": cls.manager_employee.id,
            }
        )
        cls.delegation = cls._delegate(
            cls, date_from=date(2026, 11, 1), date_to=date(2026, 12, 31)
        )

    def _verbal(self, **vals):
        order = self._order(purpose=False, content=False, **vals)
        with freeze_time(ISSUED):
            order.with_user(self.users["dispatcher"]).action_issue_verbal()
        return order

    def test_d5_verbal_issue_without_written_content(self):
        order = self._verbal()
        self.assertEqual(order.state, "issued")
        self.assertTrue(order.is_verbal)
        self.assertTrue(order.verbal_pending)
        self.assertEqual(order.written_deadline, datetime(2026, 11, 3, 8, 0))  # +24 h
        self.assertEqual(order.delegation_id, self.delegation)

    def test_d5_deadline_follows_company_setting(self):
        self.company.fs_verbal_confirm_hours = 6
        order = self._verbal()
        self.assertEqual(order.written_deadline, datetime(2026, 11, 2, 14, 0))

    def test_d5_verbal_issue_still_needs_authority_and_team(self):
        self.delegation.with_user(self.users["manager"]).action_revoke("left")
        order = self._order(purpose=False, content=False)
        with self.assertRaises(AccessError), self.cr.savepoint():
            order.with_user(self.users["dispatcher"]).action_issue_verbal()
        self.assertEqual(order.state, "draft")
        no_team = self._order(engineer_ids=[(5, 0, 0)], lead_engineer_id=False)
        with self.assertRaisesRegex(UserError, "engineers"), self.cr.savepoint():
            no_team.with_user(self.users["manager"]).action_issue_verbal()

    def test_d5_flags_are_not_writable(self):
        order = self._verbal()
        as_dispatcher = order.with_user(self.users["dispatcher"])
        with self.assertRaisesRegex(UserError, "Confirm in Writing"):
            as_dispatcher.write({"written_confirmed_at": datetime(2026, 11, 2, 9, 0)})
        with self.assertRaisesRegex(UserError, "decided when it is issued"):
            as_dispatcher.write({"is_verbal": False})
        with self.assertRaises(AccessError):
            self._order().with_user(self.users["engineer"]).write({"is_verbal": True})
        self.assertTrue(order.verbal_pending)

    def test_d5_confirm_in_writing(self):
        order = self._verbal()
        with self.assertRaisesRegex(UserError, "the purpose, the service content"):
            order.with_user(self.users["dispatcher"]).action_confirm_written()
        with self.assertRaisesRegex(UserError, "Only the dispatcher"):
            order.with_user(self.users["engineer"]).action_confirm_written()
        order.with_user(self.users["dispatcher"]).write(
            {"purpose": "Core switch down", "content": "Replace the supervisor module"}
        )
        with freeze_time("2026-11-02 20:00:00"):
            order.with_user(self.users["dispatcher"]).action_confirm_written()
        self.assertFalse(order.verbal_pending)
        self.assertEqual(order.written_confirmed_at, datetime(2026, 11, 2, 20, 0))
        self.assertEqual(order.written_confirmed_by_id, self.users["dispatcher"])
        with self.assertRaisesRegex(UserError, "not a verbal order awaiting"):
            order.with_user(self.users["dispatcher"]).action_confirm_written()

    def test_d5_overdue_filter(self):
        order = self._verbal()
        Order = self.env["fs.dispatch.order"]
        with freeze_time("2026-11-03 07:59:00"):
            self.assertNotIn(order, Order.search([("verbal_overdue", "=", True)]))
            self.assertFalse(order.verbal_overdue)
        with freeze_time("2026-11-03 08:01:00"):
            order.invalidate_recordset(["verbal_overdue"])
            self.assertIn(order, Order.search([("verbal_overdue", "=", True)]))
            self.assertNotIn(order, Order.search([("verbal_overdue", "=", False)]))
            self.assertTrue(order.verbal_overdue)

    def test_d5_cron_escalates_once_to_the_dispatchers_manager(self):
        overdue = self._verbal()
        confirmed = self._verbal()
        confirmed.write({"purpose": "Done", "content": "Written"})
        confirmed.with_user(self.users["dispatcher"]).action_confirm_written()
        activity_type = self.env.ref(
            "field_service_sop.mail_activity_fs_verbal_overdue"
        )
        Order = self.env["fs.dispatch.order"]
        with freeze_time("2026-11-03 07:00:00"):  # not yet due
            self.assertEqual(Order._cron_escalate_overdue_verbal(), 0)
        with freeze_time("2026-11-03 09:00:00"):
            self.assertEqual(Order._cron_escalate_overdue_verbal(), 1)
            self.assertEqual(Order._cron_escalate_overdue_verbal(), 0)  # idempotent
        activities = overdue.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.users["manager"])
        self.assertFalse(
            confirmed.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
        )
        # Filing the written order closes the escalation.
        overdue.write({"purpose": "Late paper", "content": "Written now"})
        overdue.with_user(self.users["dispatcher"]).action_confirm_written()
        self.assertFalse(
            overdue.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        )

    def test_d5_cron_works_in_batches(self):
        orders = self.env["fs.dispatch.order"]
        for _i in range(5):
            orders |= self._verbal()
        with freeze_time("2026-11-03 09:00:00"):
            Order = self.env["fs.dispatch.order"]
            self.assertEqual(Order._cron_escalate_overdue_verbal(batch_size=2), 2)
            self.assertEqual(Order._cron_escalate_overdue_verbal(batch_size=2), 2)
            self.assertEqual(Order._cron_escalate_overdue_verbal(batch_size=2), 1)
            self.assertEqual(Order._cron_escalate_overdue_verbal(batch_size=2), 0)
        self.assertTrue(all(orders.mapped("verbal_escalated_at")))
