# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.hr_expense.models.hr_expense_sheet import (
    HrExpenseSheet as StockSheet,
)

from .common import SUSPENDED, FsExpenseCommon

CONTEXT_KEYS = {
    "tracking_disable": True,
    "mail_notrack": True,
    "skip_fs_gate": True,
    "skip_expense_gate": True,
    "install_mode": True,
    "import_file": True,
    "force_approve": True,
}


@tagged("post_install", "-at_install")
class TestExpenseGateReasons(FsExpenseCommon):
    def test_r1_ungated_expense_never_suspended(self):
        """SOP R1: only flagged products (or categories) are gated."""
        expense = self._expense(product=self.meal)
        self.assertFalse(expense.fs_requires_dispatch_order)
        self.assertFalse(expense.fs_suspended)
        self.assertFalse(expense.fs_suspension_ids)

    def test_r1_category_flag_and_data_product(self):
        """SOP R1: a flagged category gates its products; the shipped travel
        product is flagged."""
        self.assertTrue(self._expense(product=self.taxi).fs_suspended)
        # SOP R2: flagging / unflagging re-runs the gate for open expenses.
        meal = self._expense(product=self.meal)
        self.plain_categ.fs_requires_dispatch_order = True
        self.assertTrue(meal.fs_suspended)
        self.plain_categ.fs_requires_dispatch_order = False
        self.assertFalse(meal.fs_suspended)
        self.meal.fs_requires_dispatch_order = True
        self.assertTrue(meal.fs_suspended)
        travel = self.env.ref("field_service_sop.product_fs_travel")
        self.assertTrue(travel.fs_requires_dispatch_order)
        self.assertTrue(travel.can_be_expensed)

    def test_r1_no_order(self):
        """SOP R1: no dispatch order cited -> suspended with that reason."""
        expense = self._expense()
        self.assertTrue(expense.fs_suspended)
        self.assertEqual(self._reasons(expense), {"no_order"})
        self.assertIn(
            "No dispatch order cited",
            expense.with_user(self.users["engineer"]).fs_suspension_reasons,
        )
        # The employee is told, on the expense.
        self.assertIn(
            self.users["engineer"].partner_id,
            expense.message_ids.filtered(
                lambda m: "SOP R1" in (m.body or "")
            ).partner_ids,
        )

    def test_r1_citing_an_order_of_others_refused(self):
        """SOP R1: citing an order you are not an engineer of is refused."""
        order = self._issued_order(
            engineer_ids=[Command.set(self.lead.ids)], lead_engineer_id=self.lead.id
        )
        with self.assertRaisesRegex(ValidationError, "Second Eng.*not an engineer"):
            self._expense(employee=self.second, order=order)

    def test_r1_not_engineer_any_more(self):
        """SOP R1: removed from the order -> suspended 'not engineer'."""
        order = self._issued_order()
        expense = self._expense(employee=self.second, order=order)
        self.assertFalse("not_engineer" in self._reasons(expense))
        order.sudo().engineer_ids = [Command.unlink(self.second.id)]
        self.assertIn("not_engineer", self._reasons(expense))

    def test_s1_no_report(self):
        """SOP S1: the order has no service report."""
        expense = self._expense(order=self._issued_order())
        self.assertEqual(self._reasons(expense), {"no_report"})

    def test_s2_s3_not_signed_then_signed(self):
        """SOP S2/S3 + R2: unsigned report suspends; signing lifts by itself."""
        ticket = self._ticket()
        report = self._complete_report(maintenance_ticket_id=ticket.id)
        expense = self._expense(order=report.order_id)
        self.assertEqual(self._reasons(expense), {"not_signed"})
        self.assertEqual(expense.fs_service_report_id, report)
        self._sign(report)
        self.assertFalse(expense.fs_suspended)
        self.assertFalse(expense.fs_suspension_ids)

    def test_s3_phone_confirmation_lifts(self):
        """SOP S3 + R2: a phone confirmation lifts the suspension."""
        report = self._complete_report(maintenance_ticket_id=self._ticket().id)
        expense = self._expense(order=report.order_id)
        self.assertTrue(expense.fs_suspended)
        self._phone_confirm(report)
        self.assertFalse(expense.fs_suspended)

    def test_s10_record_missing_then_linked(self):
        """SOP S10 + R2: no maintenance record suspends; linking it lifts."""
        report = self._complete_report()
        self._sign(report)
        expense = self._expense(order=report.order_id)
        self.assertEqual(self._reasons(expense), {"record_missing"})
        report.with_user(self.users["engineer"]).write(
            {"maintenance_ticket_id": self._ticket().id}
        )
        self.assertFalse(expense.fs_suspended)
        # S10 check flag set again (record unlinked) -> suspended again.
        report.with_user(self.users["dispatcher"]).write(
            {"maintenance_ticket_id": False}
        )
        self.assertEqual(self._reasons(expense), {"record_missing"})

    def test_r1_one_reason_per_missing_item(self):
        """SOP R1: every missing item is listed, none dropped."""
        report = self._complete_report()
        expense = self._expense(order=report.order_id)
        self.assertEqual(self._reasons(expense), {"not_signed", "record_missing"})
        self.assertEqual(expense.sheet_id.fs_suspension_count, 0)
        sheet = self._sheet(expense)
        self.assertTrue(sheet.fs_suspended)
        self.assertEqual(sheet.fs_suspended_expense_ids, expense)
        self.assertEqual(sheet.fs_suspension_count, 1)
        self.assertEqual(expense.total_amount_currency, 100.0)

    def test_r2_gate_fields_written_by_the_gate_only(self):
        """SOP R2: nobody sets or clears 'suspended' or its rows by hand."""
        expense = self._expense()
        sheet = self._sheet(expense)
        for role in ("engineer", "exp_manager", "accountant", "admin"):
            user = self.users[role]
            with self.assertRaises(AccessError):
                expense.with_user(user).with_context(**CONTEXT_KEYS).write(
                    {"fs_suspended": False}
                )
            with self.assertRaises(AccessError):
                sheet.with_user(user).write({"fs_suspended": False})
            with self.assertRaises(AccessError):
                self.env["fs.expense.suspension"].with_user(user).create(
                    {"expense_id": expense.id, "reason": "no_order"}
                )
            with self.assertRaises(AccessError):
                expense.sudo().fs_suspension_ids.with_user(user).unlink()
        # Even the superuser clearing the flag does not open the gate: the
        # guard recomputes it (and the refusal rolls back, the cron repairs).
        expense.sudo().fs_suspended = False
        with self.assertSuspended():
            sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        expense._fs_refresh_gate()
        self.assertTrue(expense.fs_suspended)

    def test_r1_suspension_rows_visible_by_rule(self):
        """SOP R1: the employee reads their own rows; other engineers do not."""
        expense = self._expense()
        Suspension = self.env["fs.expense.suspension"]
        own = Suspension.with_user(self.users["engineer"]).search(
            [("expense_id", "=", expense.id)]
        )
        self.assertEqual(own.reason, "no_order")
        self.assertEqual(own.employee_id, self.lead)
        self.assertFalse(
            Suspension.with_user(self.users["product_owner"]).search(
                [("expense_id", "=", expense.id)]
            )
        )
        self.assertTrue(
            Suspension.with_user(self.users["dispatcher"]).search(
                [("expense_id", "=", expense.id)]
            )
        )


@tagged("post_install", "-at_install")
class TestExpenseGatePaths(FsExpenseCommon):
    """Every path that moves money is closed for a suspended expense (R1)."""

    MONEY_ROLES = ("exp_manager", "accountant", "admin")

    # 1. approval
    def test_path1_approve_button_every_role(self):
        """SOP R1: action_approve_expense_sheets refused for every role."""
        sheet = self._no_order_sheet()
        for role in self.MONEY_ROLES:
            with self.assertSuspended():
                sheet.with_user(self.users[role]).action_approve_expense_sheets()
        with self.assertSuspended("No dispatch order cited"):
            sheet.action_approve_expense_sheets()  # superuser
        self.assertEqual(sheet.state, "submit")
        self.assertNoMoney(sheet)

    def test_path1_do_approve(self):
        """SOP R1: the internal _do_approve is guarded too."""
        sheet = self._no_order_sheet()
        for role in self.MONEY_ROLES:
            with self.assertSuspended():
                sheet.with_user(self.users[role])._do_approve()
        with self.assertSuspended():
            sheet.sudo()._do_approve()
        self.assertEqual(sheet.state, "submit")
        self.assertNoMoney(sheet)

    def test_path1_duplicate_wizard(self):
        """SOP R1: 'approve anyway' in the duplicate wizard is refused."""
        sheet = self._no_order_sheet()
        wizard = (
            self.env["hr.expense.approve.duplicate"]
            .with_user(self.users["exp_manager"])
            .create({"sheet_ids": [Command.set(sheet.ids)]})
        )
        with self.assertSuspended():
            wizard.action_approve()
        self.assertEqual(sheet.state, "submit")
        self.assertNoMoney(sheet)

    # 2. approval_state writes
    def test_path2_employee_rpc_write_on_own_draft_sheet(self):
        """SOP R1: stock lets an employee write approval_state; not here."""
        sheet = self._no_order_sheet(submit=False)
        with self.assertSuspended():
            sheet.with_user(self.users["engineer"]).write({"approval_state": "approve"})
        self.assertEqual(sheet.state, "draft")

    def test_path2_write_approval_state_every_role_and_context(self):
        """SOP R1: no role, no context key writes approval_state=approve."""
        sheet = self._no_order_sheet()
        for role in self.MONEY_ROLES:
            for ctx in ({}, CONTEXT_KEYS):
                with self.assertSuspended():
                    sheet.with_user(self.users[role]).with_context(**ctx).write(
                        {"approval_state": "approve"}
                    )
        with self.assertSuspended():
            sheet.sudo().with_context(**CONTEXT_KEYS).write(
                {"approval_state": "approve"}
            )
        self.assertEqual(sheet.state, "submit")
        self.assertNoMoney(sheet)

    def test_path2_import(self):
        """SOP R1: load() (import) of approval_state is refused."""
        sheet = self._no_order_sheet()
        xmlid = sheet.get_external_id()[sheet.id] or "__export__.fs_gate_sheet"
        if not sheet.get_external_id()[sheet.id]:
            self.env["ir.model.data"].create(
                {
                    "module": "__export__",
                    "name": "fs_gate_sheet",
                    "model": sheet._name,
                    "res_id": sheet.id,
                }
            )
        result = (
            self.env["hr.expense.sheet"]
            .with_user(self.users["admin"])
            .with_context(**CONTEXT_KEYS)
            .load(["id", "approval_state"], [[xmlid, "approve"]])
        )
        self.assertFalse(result["ids"])
        self.assertIn(SUSPENDED, " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(sheet.state, "submit")
        # Creating an already approved sheet by import is refused as well.
        expense = self._expense()
        with self.assertSuspended():
            self.env["hr.expense.sheet"].with_user(self.users["admin"]).create(
                {
                    "name": "Imported",
                    "employee_id": self.lead.id,
                    "company_id": self.company.id,
                    "approval_state": "approve",
                    "expense_line_ids": [Command.set(expense.ids)],
                }
            )

    # 3. state writes and helpers
    def test_path3_state_writes_and_helpers(self):
        """SOP R1: write state post/done, set_to_posted, set_to_paid refused."""
        sheet = self._no_order_sheet()
        for role in self.MONEY_ROLES:
            user_sheet = sheet.with_user(self.users[role]).with_context(**CONTEXT_KEYS)
            for state in ("approve", "post", "done"):
                with self.assertSuspended():
                    user_sheet.write({"state": state})
            with self.assertSuspended():
                user_sheet.set_to_posted()
            with self.assertSuspended():
                user_sheet.set_to_paid()
        with self.assertSuspended():
            sheet.sudo().set_to_paid()
        self.assertEqual(sheet.state, "submit")
        self.assertNoMoney(sheet)

    # 4. entries
    def test_path4_move_post_and_create_moves(self):
        """SOP R1: action_sheet_move_post (stock: no approval check) and
        _do_create_moves create no entry, no payment."""
        for mode in ("own_account", "company_account"):
            sheet = self._no_order_sheet(payment_mode=mode)
            for role in self.MONEY_ROLES:
                with self.assertSuspended():
                    sheet.with_user(self.users[role]).action_sheet_move_post()
                with self.assertSuspended():
                    sheet.with_user(self.users[role])._do_create_moves()
            with self.assertSuspended():
                sheet.sudo().with_context(**CONTEXT_KEYS).action_sheet_move_post()
            self.assertNoMoney(sheet)
            self.assertEqual(sheet.state, "submit")

    # 5. accounting side
    def test_path5_posting_entries_of_gated_sheet(self):
        """SOP R1: entries made by another path are not posted."""
        sheet = self._no_order_sheet()
        moves = StockSheet._do_create_moves(sheet.sudo())  # e.g. another module
        self.assertEqual(moves.state, "draft")
        for role in ("accountant", "admin"):
            user_moves = moves.with_user(self.users[role]).with_context(**CONTEXT_KEYS)
            with self.assertSuspended():
                user_moves.action_post()
            with self.assertSuspended():
                user_moves._post(soft=False)
            with self.assertSuspended():
                user_moves.write({"state": "posted"})
        self.assertEqual(moves.state, "draft")
        self.assertNotIn(sheet.state, ("post", "done"))
        self.assertFalse(self._money(sheet)[1])

    def test_path5_company_paid_payment(self):
        """SOP R1: a company-paid expense's payment is not posted."""
        sheet = self._no_order_sheet(payment_mode="company_account")
        moves = StockSheet._do_create_moves(sheet.sudo())
        payment = moves.origin_payment_id
        self.assertTrue(payment)
        for role in ("accountant", "admin"):
            user_payment = payment.with_user(self.users[role])
            with self.assertSuspended():
                user_payment.action_post()
            with self.assertSuspended():
                user_payment.action_validate()
            with self.assertSuspended():
                user_payment.write({"state": "paid"})
        self.assertEqual(payment.state, "draft")
        self.assertEqual(moves.state, "draft")

    def test_path5_posted_then_gated_not_reposted(self):
        """SOP R1: an approved sheet gated later cannot post its entries."""
        sheet, _expense = self._posted_then_gated()
        self.assertEqual(sheet.state, "approve")
        with self.assertSuspended():
            sheet.with_user(self.users["accountant"]).action_sheet_move_post()
        with self.assertSuspended():
            sheet.account_move_ids.with_user(self.users["accountant"]).action_post()
        self.assertEqual(sheet.account_move_ids.state, "draft")

    # 6. payment registration
    def test_path6_register_payment(self):
        """SOP R1: action_register_payment and the register wizard refused."""
        expense = self._expense(product=self.meal)
        sheet = self._sheet(expense)
        sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        sheet.with_user(self.users["accountant"]).action_sheet_move_post()
        self.assertEqual(sheet.state, "post")
        self.plain_categ.fs_requires_dispatch_order = True  # gated afterwards
        accountant = self.users["accountant"]
        with self.assertSuspended():
            sheet.with_user(accountant).action_register_payment()
        with self.assertSuspended():
            sheet.account_move_ids.with_user(accountant).action_register_payment()
        wizard = (
            self.env["account.payment.register"]
            .with_user(accountant)
            .with_context(
                active_model="account.move",
                active_ids=sheet.account_move_ids.ids,
                **CONTEXT_KEYS,
            )
            .create({})
        )
        with self.assertSuspended():
            wizard.action_create_payments()
        with self.assertSuspended():
            wizard._create_payments()
        self.assertFalse(self._money(sheet)[1])
        self.assertEqual(sheet.state, "post")

    # 7. adding a suspended expense to a sheet that moved money
    def test_path7_add_suspended_expense_to_approved_sheet(self):
        """SOP R1: a suspended expense never joins an approved sheet."""
        sheet = self._sheet(self._expense(product=self.meal))
        sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        self.assertEqual(sheet.state, "approve")
        gated = self._expense()
        accountant = self.users["accountant"]
        with self.assertSuspended():
            gated.with_user(accountant).write({"sheet_id": sheet.id})
        with self.assertSuspended():
            sheet.with_user(accountant).write(
                {"expense_line_ids": [Command.link(gated.id)]}
            )
        with self.assertSuspended():
            self._expense(sheet_id=sheet.id)
        self.assertNotIn(gated, sheet.expense_line_ids)

    def test_employee_may_submit_refuse_reset(self):
        """SOP R1: recording, submitting, refusing and resetting stay open."""
        sheet = self._no_order_sheet()
        self.assertEqual(sheet.state, "submit")
        sheet.with_user(self.users["exp_manager"])._do_refuse("No order")
        self.assertEqual(sheet.state, "cancel")
        sheet.with_user(self.users["engineer"]).action_reset_expense_sheets()
        self.assertEqual(sheet.state, "draft")
        self.assertNoMoney(sheet)


@tagged("post_install", "-at_install")
class TestExpenseGateRelease(FsExpenseCommon):
    def test_r2_release_notifies_and_normal_flow_completes(self):
        """SOP R2, S10: linking the record lifts the gate, the approver gets an
        activity, then approve -> post -> register payment -> paid."""
        report = self._complete_report()
        self._sign(report)
        expense = self._expense(order=report.order_id)
        sheet = self._sheet(expense)
        with self.assertSuspended("Maintenance record missing"):
            sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        report.with_user(self.users["engineer"]).write(
            {"maintenance_ticket_id": self._ticket().id}
        )
        self.assertFalse(sheet.fs_suspended)
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", sheet._name),
                ("res_id", "=", sheet.id),
                ("user_id", "=", self.users["exp_manager"].id),
                ("summary", "ilike", "released"),
            ]
        )
        self.assertTrue(activity)
        sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        self.assertEqual(sheet.state, "approve")
        sheet.with_user(self.users["accountant"]).action_sheet_move_post()
        self.assertEqual(sheet.state, "post")
        action = sheet.with_user(self.users["accountant"]).action_register_payment()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.users["accountant"])
            .with_context(**action["context"])
            .create({})
        )
        wizard.action_create_payments()
        self.assertIn(sheet.state, ("done",))
        self.assertEqual(expense.total_amount_currency, 100.0)

    def test_r2_phone_confirmation_release_flow(self):
        """SOP S3, R2: phone-confirmed report releases; sheet approved."""
        report = self._complete_report(maintenance_ticket_id=self._ticket().id)
        sheet = self._sheet(self._expense(order=report.order_id))
        self.assertTrue(sheet.fs_suspended)
        self._phone_confirm(report)
        self.assertFalse(sheet.fs_suspended)
        sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        self.assertEqual(sheet.state, "approve")

    def test_ungated_flow_unchanged(self):
        """SOP R1: a non-travel expense goes through stock flow untouched."""
        expense = self._expense(product=self.meal)
        sheet = self._sheet(expense)
        self.assertFalse(sheet.fs_suspended)
        sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        sheet.with_user(self.users["accountant"]).action_sheet_move_post()
        self.assertEqual(sheet.state, "post")
        self.assertFalse(expense.fs_suspended)
        self.assertFalse(expense.sudo().fs_suspension_ids)


@tagged("post_install", "-at_install")
class TestExpenseGatePerformance(FsExpenseCommon):
    def _count_check(self, sheet):
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        with self.assertSuspended():
            sheet.with_user(self.users["exp_manager"])._fs_check_reimbursable()
        return self.cr.sql_log_count - start

    def test_r1_constant_queries(self):
        """SOP R1: the gate check costs the same for 2 and for 20 lines."""
        report = self._complete_report()
        order = report.order_id
        small = self._sheet(
            self.env["hr.expense"].concat(
                *(self._expense(order=order) for _i in range(2))
            )
        )
        big = self._sheet(
            self.env["hr.expense"].concat(
                *(self._expense(order=order) for _i in range(20))
            )
        )
        self.env.flush_all()
        self._count_check(small)  # warm the registry caches
        queries = self._count_check(small)
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            with self.assertSuspended():
                big.with_user(self.users["exp_manager"])._fs_check_reimbursable()

    def test_r2_cron_rechecks_in_batches(self):
        """SOP R2: the backstop re-checks drifted rows, in bounded batches."""
        self.env.cr.execute(
            "UPDATE hr_expense SET fs_gate_checked_at = now() at time zone 'utc'"
        )
        expenses = self.env["hr.expense"].concat(*(self._expense() for _i in range(3)))
        # Simulate drift (e.g. a row removed outside the ORM).
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM fs_expense_suspension WHERE expense_id IN %s",
            [tuple(expenses.ids)],
        )
        self.env.cr.execute(
            "UPDATE hr_expense SET fs_suspended = false WHERE id IN %s",
            [tuple(expenses.ids)],
        )
        self.env.invalidate_all()
        Expense = self.env["hr.expense"]
        self.assertEqual(Expense._cron_fs_recheck_expense_gate(batch_size=2), (2, 1))
        self.assertEqual(Expense._cron_fs_recheck_expense_gate(batch_size=2), (1, 0))
        self.assertEqual(Expense._cron_fs_recheck_expense_gate(batch_size=2), (0, 0))
        self.assertTrue(all(expenses.mapped("fs_suspended")))
        self.assertEqual(set(expenses.fs_suspension_ids.mapped("reason")), {"no_order"})
        cron = self.env.ref("field_service_sop.ir_cron_fs_expense_gate")
        self.assertEqual(cron.code.strip(), "model._cron_fs_recheck_expense_gate()")
