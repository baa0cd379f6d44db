# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import FsDispatchCommon


class ApprovalCommon(FsDispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Department = cls.env["hr.department"]
        cls.dept_dev = Department.create(
            {
                "name": "Product A R&D",
                "company_id": cls.company.id,
                "fs_dispatch_needs_approval": True,
                "fs_dispatch_approver_ids": [(6, 0, cls.users["product_owner"].ids)],
            }
        )
        cls.dept_dev_team = Department.create(
            {
                "name": "Product A Firmware",
                "company_id": cls.company.id,
                "parent_id": cls.dept_dev.id,
            }
        )
        cls.dept_test = Department.create(
            {
                "name": "Test Department",
                "company_id": cls.company.id,
                "fs_dispatch_needs_approval": True,
                "fs_dispatch_approver_ids": [(6, 0, cls.users["test_manager"].ids)],
            }
        )
        cls.dept_service = Department.create(
            {"name": "Field Service", "company_id": cls.company.id}
        )
        cls.lead.department_id = cls.dept_service
        Employee = cls.env["hr.employee"]
        cls.dev = Employee.create(
            {
                "name": "Dev Wang",
                "company_id": cls.company.id,
                "department_id": cls.dept_dev.id,
            }
        )
        cls.firmware_dev = Employee.create(
            {
                "name": "Firmware Li",
                "company_id": cls.company.id,
                "department_id": cls.dept_dev_team.id,
            }
        )
        cls.tester = Employee.create(
            {
                "name": "Tester Zhao",
                "company_id": cls.company.id,
                "department_id": cls.dept_test.id,
            }
        )

    def _borrowing_order(self, *employees, user="dispatcher"):
        return self._order(
            user=user,
            engineer_ids=[
                (6, 0, (self.lead + self.env["hr.employee"].union(*employees)).ids)
            ],
        )

    def _line(self, order, department):
        return order.approval_ids.filtered(lambda a: a.department_id == department)


@tagged("post_install", "-at_install")
class TestDispatchApproval(ApprovalCommon):
    def test_d6_no_borrowed_staff_issues_directly(self):
        """SOP D6: an order without R&D/test staff needs no approval."""
        order = self._order()
        self.assertFalse(order.approval_needed)
        order.with_user(self.users["manager"]).action_issue()
        self.assertEqual(order.state, "issued")
        self.assertFalse(order.approval_ids)
        with self.assertRaisesRegex(UserError, "cannot go from Issued"):
            order.write({"state": "to_approve"})

    def test_d6_issue_waits_for_the_department(self):
        """SOP D6: issuing borrowed staff asks their approver, it issues nothing."""
        order = self._borrowing_order(self.dev)
        self.assertTrue(order.approval_needed)
        order.with_user(self.users["manager"]).action_issue()
        self.assertEqual(order.state, "to_approve")
        self.assertFalse(order.issued_at)
        self.assertEqual(order.requested_by_id, self.users["manager"])
        line = order.approval_ids
        self.assertEqual(line.department_id, self.dept_dev)
        self.assertEqual(line.state, "pending")
        self.assertEqual(line.engineer_ids, self.dev)
        self.assertEqual(line.requested_by_id, self.users["manager"])
        # The approver is asked with an activity and finds the line in the menu.
        self.assertEqual(line.activity_ids.user_id, self.users["product_owner"])
        Approval = self.env["fs.dispatch.approval"]
        as_po = Approval.with_user(self.users["product_owner"])
        self.assertEqual(as_po.search([("user_can_decide", "=", True)]), line)
        self.assertFalse(
            Approval.with_user(self.users["test_manager"]).search(
                [("user_can_decide", "=", True)]
            )
        )
        # The approver reads the job without access to the order itself.
        self.assertEqual(
            line.with_user(self.users["product_owner"]).purpose, "Server down"
        )
        # The lead engineer reads the approvals of their order, cannot decide.
        as_lead = line.with_user(self.users["engineer"])
        self.assertEqual(as_lead.state, "pending")
        self.assertFalse(as_lead.user_can_decide)

    def test_d6_approval_issues_in_the_requesters_name(self):
        """SOP D2, D6: the last approval issues the order for the requester."""
        delegation = self._delegate()
        order = self._borrowing_order(self.dev)
        order.with_user(self.users["dispatcher"]).action_issue()
        self.assertEqual(order.state, "to_approve")
        line = order.approval_ids
        line.with_user(self.users["product_owner"]).action_approve()
        self.assertEqual(line.state, "approved")
        self.assertEqual(line.decided_by_id, self.users["product_owner"])
        self.assertTrue(line.decided_at)
        self.assertFalse(line.activity_ids)
        self.assertEqual(order.state, "issued")
        self.assertEqual(order.issued_by_id, self.users["dispatcher"])
        self.assertEqual(order.delegation_id, delegation)
        # Engineers were notified as on any issue (SOP D7).
        self.assertIn(self.users["engineer"].partner_id, order.message_partner_ids)
        with self.assertRaisesRegex(UserError, "nothing left to decide"):
            line.with_user(self.users["product_owner"]).action_approve()

    def test_d6_each_department_approves(self):
        """SOP D6: several departments, each approves; R&D Managers coordinate."""
        order = self._borrowing_order(self.dev, self.tester)
        order.with_user(self.users["manager"]).action_issue()
        dev_line = self._line(order, self.dept_dev)
        test_line = self._line(order, self.dept_test)
        self.assertEqual(len(order.approval_ids), 2)
        # A multi-product job: the R&D Manager is asked on every line.
        for line in (dev_line, test_line):
            self.assertIn(self.users["rd_manager"], line.activity_ids.user_id)
        self.assertEqual(test_line.engineer_ids, self.tester)
        dev_line.with_user(self.users["product_owner"]).action_approve()
        self.assertEqual(order.state, "to_approve")
        # A raw write cannot skip the missing approval, not even a manager's.
        with self.assertRaisesRegex(UserError, "still awaits the approval of Test"):
            order.with_user(self.users["manager"]).write({"state": "issued"})
        with self.assertRaisesRegex(UserError, "still awaits"):
            order.with_user(self.users["manager"]).action_issue()
        # The Product Owner cannot approve for the Test Department.
        with self.assertRaisesRegex(AccessError, "approvers of Test Department"):
            test_line.with_user(self.users["product_owner"]).action_approve()
        test_line.with_user(self.users["test_manager"]).action_approve()
        self.assertEqual(order.state, "issued")
        self.assertEqual(order.issued_by_id, self.users["manager"])

    def test_d6_rd_manager_decides_as_coordinator_and_fallback(self):
        """SOP D6: the R&D Manager may decide any department's line."""
        self.dept_test.fs_dispatch_approver_ids = [(5, 0, 0)]
        order = self._borrowing_order(self.tester)
        order.with_user(self.users["manager"]).action_issue()
        line = order.approval_ids
        # No approver named: the company's R&D Managers are asked.
        self.assertEqual(line.activity_ids.user_id, self.users["rd_manager"])
        self.assertEqual(
            self.env["fs.dispatch.approval"]
            .with_user(self.users["rd_manager"])
            .search([("user_can_decide", "=", True)]),
            line,
        )
        line.with_user(self.users["rd_manager"]).action_approve()
        self.assertEqual(order.state, "issued")
        self.assertEqual(line.decided_by_id, self.users["rd_manager"])

    def test_d6_sub_department_needs_its_parents_approval(self):
        """SOP D6: a product team inherits its R&D department's flag."""
        order = self._borrowing_order(self.firmware_dev)
        order.with_user(self.users["manager"]).action_issue()
        self.assertEqual(order.approval_ids.department_id, self.dept_dev)
        self.assertEqual(order.approval_ids.engineer_ids, self.firmware_dev)

    def test_d6_reject_needs_reason_and_returns_to_draft(self):
        """SOP D6: a rejection gives its reason; the order goes back to draft."""
        order = self._borrowing_order(self.dev, self.tester)
        order.with_user(self.users["manager"]).action_issue()
        dev_line = self._line(order, self.dept_dev)
        test_line = self._line(order, self.dept_test)
        as_tm = test_line.with_user(self.users["test_manager"])
        with self.assertRaisesRegex(UserError, "Give the reason"):
            as_tm.action_reject("   ")
        self.assertEqual(test_line.state, "pending")
        action = as_tm.action_open_reject_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.users["test_manager"])
            .with_context(**action["context"])
        )
        wizard.reason = "Release test week"
        wizard.save().action_confirm()
        self.assertEqual(test_line.state, "rejected")
        self.assertEqual(test_line.reason, "Release test week")
        self.assertEqual(test_line.decided_by_id, self.users["test_manager"])
        self.assertEqual(order.state, "draft")
        self.assertEqual(dev_line.state, "withdrawn")
        self.assertFalse(dev_line.activity_ids)
        self.assertTrue(
            order.message_ids.filtered(lambda m: "Release test week" in (m.body or ""))
        )
        with self.assertRaisesRegex(UserError, "nothing left to decide"):
            dev_line.with_user(self.users["product_owner"]).action_approve()

    def test_d6_wrong_users_cannot_decide(self):
        """SOP D6: engineers, dispatchers, managers and outsiders never decide."""
        order = self._borrowing_order(self.dev)
        order.with_user(self.users["manager"]).action_issue()
        line = order.approval_ids
        for role in ("engineer", "dispatcher", "director", "test_manager"):
            as_user = line.with_user(self.users[role])
            with self.assertRaises(AccessError, msg=role):
                as_user.action_approve()
            with self.assertRaises(AccessError, msg=role):
                as_user.action_reject("No")
            with self.assertRaises(AccessError, msg=role):
                as_user.action_open_reject_wizard()
        with self.assertRaises(AccessError):
            line.with_user(self.plain_user).action_approve()
        # Nobody writes a line directly, not even to approve it.
        for role in ("product_owner", "manager"):
            with self.assertRaises(AccessError, msg=role):
                line.with_user(self.users[role]).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.env["fs.dispatch.approval"].with_user(self.users["manager"]).create(
                {"order_id": order.id, "department_id": self.dept_test.id}
            )
        self.assertEqual(line.state, "pending")
        self.assertEqual(order.state, "to_approve")

    def test_d6_own_borrowing_request_refused(self):
        """SOP D6: approving your own borrowing request is refused."""
        boss = new_test_user(
            self.env,
            login="fs_unit_po_manager",
            groups="base.group_user,field_service_sop.group_fs_manager,"
            "field_service_sop.group_fs_product_owner,"
            "field_service_sop.group_fs_rd_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.dept_dev.fs_dispatch_approver_ids = [(4, boss.id)]
        order = self._borrowing_order(self.dev)
        order.with_user(boss).action_issue()
        line = order.approval_ids
        self.assertNotIn(boss, line.activity_ids.user_id)
        self.assertFalse(line.with_user(boss).user_can_decide)
        self.assertFalse(
            self.env["fs.dispatch.approval"]
            .with_user(boss)
            .search([("user_can_decide", "=", True)])
        )
        with self.assertRaisesRegex(UserError, "your own borrowing request"):
            line.with_user(boss).action_approve()
        with self.assertRaisesRegex(UserError, "your own borrowing request"):
            line.with_user(boss).action_reject("Changed my mind")
        self.assertEqual(line.state, "pending")
        line.with_user(self.users["product_owner"]).action_approve()
        self.assertEqual(order.state, "issued")

    def test_d6_only_who_may_issue_requests(self):
        """SOP D2, D6: asking for approval needs the right to issue."""
        order = self._borrowing_order(self.dev)
        with self.assertRaisesRegex(AccessError, "request their approval"):
            order.with_user(self.users["dispatcher"]).action_issue()
        with self.assertRaises(AccessError):
            order.with_user(self.users["engineer"]).write({"state": "to_approve"})
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.approval_ids)
        order.purpose = False
        with self.assertRaisesRegex(UserError, "without the purpose"):
            order.with_user(self.users["manager"]).action_issue()
        self.assertFalse(order.approval_ids)

    def test_d6_raw_writes_refused(self):
        """SOP D6: no path skips the approval, nobody forges the requester."""
        order = self._borrowing_order(self.dev)
        as_manager = order.with_user(self.users["manager"])
        with self.assertRaisesRegex(UserError, "need an approval first"):
            as_manager.write({"state": "issued"})
        plain = self._order()
        with self.assertRaisesRegex(UserError, "issue it directly"):
            plain.with_user(self.users["manager"]).write({"state": "to_approve"})
        as_manager.action_issue()
        self._delegate()
        as_dispatcher = order.with_user(self.users["dispatcher"])
        with self.assertRaisesRegex(AccessError, "Issue button"):
            as_dispatcher.write({"requested_by_id": self.users["dispatcher"].id})
        with self.assertRaisesRegex(AccessError, "Issue button"):
            as_dispatcher.write({"approval_ids": [(5, 0, 0)]})
        with self.assertRaisesRegex(UserError, "reset it to draft"):
            as_dispatcher.write({"engineer_ids": [(4, self.tester.id)]})
        self.assertEqual(order.requested_by_id, self.users["manager"])
        self.assertEqual(order.state, "to_approve")

    def test_d6_new_request_starts_afresh(self):
        """SOP D6: an approval never covers a changed order."""
        order = self._borrowing_order(self.dev, self.tester)
        as_manager = order.with_user(self.users["manager"])
        as_manager.action_issue()
        dev_line = self._line(order, self.dept_dev)
        dev_line.with_user(self.users["product_owner"]).action_approve()
        as_manager.action_reset_draft()  # withdraw the request
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._line(order, self.dept_test).state, "withdrawn")
        self.assertEqual(dev_line.state, "approved")
        # A stale approval does not let a raw write issue the order.
        as_manager.write({"engineer_ids": [(3, self.tester.id)]})
        with self.assertRaisesRegex(UserError, "need an approval first"):
            as_manager.write({"state": "issued"})
        as_manager.action_issue()
        self.assertEqual(order.state, "to_approve")
        self.assertEqual(order.approval_ids, dev_line)
        self.assertEqual(dev_line.state, "pending")
        self.assertFalse(dev_line.decided_by_id)
        dev_line.with_user(self.users["product_owner"]).action_approve()
        self.assertEqual(order.state, "issued")

    def test_d6_cancel_withdraws_pending(self):
        """SOP D6: cancelling a waiting order withdraws its approvals."""
        order = self._borrowing_order(self.dev)
        order.with_user(self.users["manager"]).action_issue()
        order.with_user(self.users["dispatcher"]).action_cancel()
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(order.approval_ids.state, "withdrawn")
        self.assertFalse(order.approval_ids.activity_ids)

    def test_d2_d6_requester_who_lost_the_right_does_not_issue(self):
        """SOP D2, D6: the requester's right is checked again at the issue."""
        delegation = self._delegate()
        order = self._borrowing_order(self.dev)
        order.with_user(self.users["dispatcher"]).action_issue()
        delegation.with_user(self.users["manager"]).action_revoke("Left the team")
        line = order.approval_ids
        line.with_user(self.users["product_owner"]).action_approve()
        self.assertEqual(line.state, "approved")
        self.assertEqual(order.state, "to_approve")
        self.assertFalse(order.issued_at)
        self.assertTrue(order.approvals_complete)
        self.assertTrue(
            order.message_ids.filtered(
                lambda m: "could not be issued" in (m.body or "")
            )
        )
        with self.assertRaises(AccessError):
            order.with_user(self.users["dispatcher"]).action_issue()
        order.with_user(self.users["manager"]).action_issue()
        self.assertEqual(order.state, "issued")
        self.assertEqual(order.issued_by_id, self.users["manager"])

    def test_d6_approvers_are_product_owners_or_test_managers(self):
        """SOP D6: engineers and dispatchers cannot be named approvers."""
        for role in ("engineer", "dispatcher", "manager"):
            with self.assertRaisesRegex(ValidationError, "only Product Owners"):
                self.dept_dev.fs_dispatch_approver_ids = [(4, self.users[role].id)]

    def test_d6_other_company_cannot_see_or_decide(self):
        """SOP D6: approvals stay in their company (multi-company rule)."""
        order = self._borrowing_order(self.dev)
        order.with_user(self.users["manager"]).action_issue()
        line = order.approval_ids
        foreign_rd = new_test_user(
            self.env,
            login="fs_unit_rd_b",
            groups="base.group_user,field_service_sop.group_fs_rd_manager",
            company_id=self.company_b.id,
            company_ids=[self.company_b.id],
        )
        Approval = self.env["fs.dispatch.approval"].with_user(foreign_rd)
        self.assertFalse(Approval.search([]))
        with self.assertRaises(AccessError):
            line.with_user(foreign_rd).action_approve()
        self.assertEqual(line.state, "pending")
