# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The reimbursement gate holds whatever OCA tier approvals say (issue 5).

`make test` installs OCA ``hr_expense_tier_validation`` beside this module in
the test database, so these tests run against the real tier engine: a sheet
whose tiers are all validated still cannot be approved, posted or paid while
a travel line is suspended (SOP R1), and the gate keeps following the service
report (SOP R2) while a sheet is under tier review.
"""

from odoo.tests import tagged

from .common import FsExpenseCommon


@tagged("post_install", "-at_install")
class TestExpenseGateWithTiers(FsExpenseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        installed = cls.env["ir.module.module"].search(
            [("name", "=", "hr_expense_tier_validation"), ("state", "=", "installed")]
        )
        # Not a skip: the test command installs it; without it these tests
        # would prove nothing, so they fail loudly.
        assert installed, (
            "hr_expense_tier_validation must be installed in the test database "
            "(scripts/test.sh installs it beside field_service_sop)"
        )
        cls.env["tier.definition"].create(
            {
                "model_id": cls.env.ref("hr_expense.model_hr_expense_sheet").id,
                "review_type": "individual",
                "reviewer_id": cls.users["exp_manager"].id,
                "company_id": cls.company.id,
            }
        )

    def _tier_validated_sheet(self, expense):
        sheet = self._sheet(expense)
        reviewer = sheet.with_user(self.users["exp_manager"])
        reviewer.request_validation()
        reviewer.invalidate_recordset()
        reviewer.validate_tier()
        sheet.invalidate_recordset()
        self.assertTrue(sheet.validated, "every tier of the sheet is validated")
        return sheet

    def test_r1_tiers_validated_gate_still_refuses(self):
        """SOP R1: all tiers validated, the unsigned report still blocks
        approval, the approval-state write and posting; no entry, no payment."""
        report = self._complete_report(maintenance_ticket_id=self._ticket().id)
        expense = self._expense(order=report.order_id)
        self.assertTrue(expense.fs_suspended)
        sheet = self._tier_validated_sheet(expense)
        manager = sheet.with_user(self.users["exp_manager"])
        with self.assertSuspended("not signed"):
            manager.action_approve_expense_sheets()
        with self.assertSuspended():
            manager.write({"approval_state": "approve"})
        with self.assertSuspended():
            sheet.with_user(self.users["admin"]).set_to_paid()
        self.assertEqual(sheet.state, "submit")
        self.assertNoMoney(sheet)

    def test_r2_gate_follows_report_under_tier_review(self):
        """SOP R2: while the sheet is under tier review (its lines frozen by
        the tier engine), signing releases the line and a manager's reopen
        suspends it again; the gate's own writes are never refused."""
        report = self._complete_report(maintenance_ticket_id=self._ticket().id)
        expense = self._expense(order=report.order_id)
        sheet = self._sheet(expense)
        sheet.with_user(self.users["exp_manager"]).request_validation()
        self.assertTrue(sheet.review_ids, "the sheet is under tier review")
        self._sign(report)
        self.assertFalse(expense.fs_suspended)
        report.with_user(self.users["manager"]).action_reopen(
            "Customer disputes the work done"
        )
        self.assertTrue(expense.fs_suspended)
        self.assertEqual(self._reasons(expense), {"not_signed"})
        # The backstop re-check writes its stamp under review too.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE hr_expense SET fs_gate_checked_at = NULL WHERE id = %s",
            [expense.id],
        )
        expense.invalidate_recordset(["fs_gate_checked_at"])
        self.env["hr.expense"]._cron_fs_recheck_expense_gate(batch_size=50)
        self.assertTrue(expense.fs_gate_checked_at)
        sheet.with_user(self.users["exp_manager"]).validate_tier()
        sheet.invalidate_recordset()
        self.assertTrue(sheet.validated)
        with self.assertSuspended():
            sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        self.assertNoMoney(sheet)

    def test_r2_released_and_tiers_validated_flow_completes(self):
        """SOP R2: once signed (and the record linked), validated tiers and
        the gate agree: approve, post and pay complete."""
        report = self._complete_report(maintenance_ticket_id=self._ticket().id)
        self._sign(report)
        expense = self._expense(order=report.order_id)
        self.assertFalse(expense.fs_suspended)
        sheet = self._tier_validated_sheet(expense)
        sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        self.assertEqual(sheet.state, "approve")
        sheet.with_user(self.users["accountant"]).action_sheet_move_post()
        self.assertEqual(sheet.state, "post")
        self.assertEqual(expense.total_amount_currency, 100.0)

    def test_s4_forged_signature_suspends(self):
        """SOP S2, S4: a signature a manager marks forged is no customer
        signature: the line is suspended again, whatever the tiers say."""
        report = self._complete_report(maintenance_ticket_id=self._ticket().id)
        self._sign(report)
        expense = self._expense(order=report.order_id)
        self.assertFalse(expense.fs_suspended)
        report.with_user(self.users["manager"]).action_mark_forged(
            "The customer's contact never signed"
        )
        self.assertTrue(expense.fs_suspended)
        self.assertEqual(self._reasons(expense), {"not_signed"})
        sheet = self._tier_validated_sheet(expense)
        with self.assertSuspended():
            sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        self.assertNoMoney(sheet)
