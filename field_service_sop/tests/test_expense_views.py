# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools.safe_eval import safe_eval

from .common import FsDispatchCommon

ACTION = "field_service_sop.action_fs_expense_suspension"


class ExpenseViewsCommon(FsDispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.travel = cls.env.ref("field_service_sop.product_fs_travel")
        cls.meal = cls.env.ref("hr_expense.expense_product_meal")
        cls.engineer = cls.users["engineer"]
        cls.Expense = cls.env["hr.expense"].with_user(cls.engineer)

    def _expense(self, name, product=None, **vals):
        values = {
            "name": name,
            "product_id": (product or self.travel).id,
            "employee_id": self.lead.id,
            "total_amount_currency": 80.0,
        }
        values.update(vals)
        return self.Expense.create(values)


@tagged("post_install", "-at_install")
class TestExpenseForm(ExpenseViewsCommon):
    def test_r1_form_cites_the_dispatch_order(self):
        """SOP R1, S1: the expense form takes the order and shows the reason."""
        order = self._order()
        with Form(self.Expense) as form:
            form.product_id = self.travel
            form.name = "Taxi to the bank"
            form.total_amount_currency = 65.0
            self.assertTrue(form.fs_requires_dispatch_order)
            form.fs_dispatch_order_id = order
        expense = form.record
        self.assertEqual(expense.employee_id, self.lead)
        self.assertEqual(expense.fs_dispatch_order_id, order)
        self.assertFalse(expense.fs_service_report_id)
        # SOP S1: the order has no service report yet: suspended, and why.
        self.assertTrue(expense.fs_suspended)
        self.assertEqual(expense.fs_suspension_ids.mapped("reason"), ["no_report"])
        self.assertIn(
            "The dispatch order has no service report", expense.fs_suspension_reasons
        )
        self.assertEqual(expense.total_amount_currency, 65.0)  # never changed

    def test_r1_form_without_order_is_saved_and_suspended(self):
        """SOP R1, R2: travel without an order is recorded, suspended, not lost."""
        with Form(self.Expense) as form:
            form.product_id = self.travel
            form.name = "Taxi receipt"
            form.total_amount_currency = 30.0
        expense = form.record
        self.assertTrue(expense.fs_suspended)
        self.assertIn("No dispatch order cited", expense.fs_suspension_reasons)

    def test_r1_meal_is_not_gated(self):
        """SOP R1: only travel products are gated; a meal shows no gate."""
        with Form(self.Expense) as form:
            form.product_id = self.meal
            form.name = "Lunch"
            form.total_amount_currency = 40.0
            self.assertFalse(form.fs_requires_dispatch_order)
        expense = form.record
        self.assertFalse(expense.fs_suspended)
        self.assertFalse(expense.fs_suspension_reasons)

    def test_r1_views_show_the_gate(self):
        """SOP R1: the alert, the order and the suspended column are displayed."""
        Expense = self.env["hr.expense"].with_user(self.engineer)
        form = etree.fromstring(Expense.get_view(view_type="form")["arch"])
        alert = form.xpath("//div[@name='fs_suspended_alert']")
        self.assertEqual(alert[0].get("invisible"), "not fs_suspended")
        self.assertTrue(alert[0].xpath(".//field[@name='fs_suspension_reasons']"))
        self.assertTrue(form.xpath("//field[@name='fs_dispatch_order_id']"))
        self.assertTrue(form.xpath("//field[@name='fs_service_report_id']"))
        tree = etree.fromstring(Expense.get_view(view_type="list")["arch"])
        self.assertEqual(tree.get("decoration-warning"), "fs_suspended")
        self.assertTrue(tree.xpath("//field[@name='fs_suspended']"))
        search = etree.fromstring(Expense.get_view(view_type="search")["arch"])
        names = {f.get("name"): f for f in search.iter("filter")}
        self.assertEqual(
            safe_eval(names["fs_suspended"].get("domain")),
            [("fs_suspended", "=", True)],
        )
        self.assertEqual(
            safe_eval(names["fs_requires_dispatch_order"].get("domain")),
            [("fs_requires_dispatch_order", "=", True)],
        )
        self.assertEqual(
            safe_eval(names["group_by_fs_dispatch_order"].get("context")),
            {"group_by": "fs_dispatch_order_id"},
        )


@tagged("post_install", "-at_install")
class TestExpenseSheetViews(ExpenseViewsCommon):
    def test_r1_sheet_lists_the_suspended_lines(self):
        """SOP R1: the report shows each suspended line and its reasons."""
        order = self._order()
        cited = self._expense("Train", fs_dispatch_order_id=order.id)
        no_order = self._expense("Taxi")
        meal = self._expense("Lunch", product=self.meal)
        sheet = (
            self.env["hr.expense.sheet"]
            .with_user(self.engineer)
            .create(
                {
                    "name": "Trip",
                    "employee_id": self.lead.id,
                    "expense_line_ids": [Command.set((cited | no_order | meal).ids)],
                }
            )
        )
        form = Form(sheet)
        self.assertTrue(form.fs_suspended)
        self.assertEqual(form.fs_suspension_count, 2)
        self.assertEqual(
            {rec.id for rec in form.fs_suspended_expense_ids},
            {cited.id, no_order.id},
        )
        arch = etree.fromstring(sheet.get_view(view_type="form")["arch"])
        page = arch.xpath("//page[@name='fs_suspended_lines']")[0]
        self.assertEqual(page.get("invisible"), "not fs_suspended")
        self.assertTrue(page.xpath(".//field[@name='fs_suspension_reasons']"))
        self.assertTrue(arch.xpath("//div[@name='fs_suspended_alert']"))
        # The smart button opens the suspended rows of this report only.
        action = self.env.ref(ACTION)
        button = arch.xpath(f"//button[@name='{action.id}']")[0]
        context = safe_eval(button.get("context"), {"id": sheet.id})
        rows = self.env["fs.expense.suspension"].with_user(self.engineer)
        rows = rows.search([("sheet_id", "=", context["search_default_sheet_id"])])
        self.assertEqual(rows.expense_id, cited | no_order)
        self.assertEqual(sorted(rows.mapped("reason")), ["no_order", "no_report"])
        # Nothing is dropped: the meal stays a line of the report.
        self.assertIn(meal, sheet.expense_line_ids)
        # The sheet list and search flag the report.
        Sheet = self.env["hr.expense.sheet"]
        search = etree.fromstring(Sheet.get_view(view_type="search")["arch"])
        flt = search.xpath("//filter[@name='fs_suspended']")[0]
        self.assertIn(sheet, Sheet.search(safe_eval(flt.get("domain"))))


@tagged("post_install", "-at_install")
class TestSuspendedReimbursementsAction(ExpenseViewsCommon):
    def test_r1_suspended_list_action(self):
        """SOP R1: the worklist opens for dispatchers, grouped by reason."""
        order = self._order()
        cited = self._expense("Train", fs_dispatch_order_id=order.id)
        no_order = self._expense("Taxi")
        action = self.env["ir.actions.act_window"]._for_xml_id(ACTION)
        self.assertEqual(action["res_model"], "fs.expense.suspension")
        self.assertEqual(action["view_mode"], "list,pivot,form")
        self.assertFalse(action.get("domain"))
        dispatcher = self.users["dispatcher"]
        Suspension = self.env["fs.expense.suspension"].with_user(dispatcher)
        search = etree.fromstring(
            Suspension.get_view(action["search_view_id"][0], "search")["arch"]
        )
        filters = {f.get("name"): f for f in search.iter("filter")}
        group_bys = {
            name: safe_eval(filters[name].get("context"))["group_by"]
            for name in (
                "group_by_reason",
                "group_by_employee",
                "group_by_engineer",
                "group_by_dispatch_order",
            )
        }
        self.assertEqual(
            group_bys,
            {
                "group_by_reason": "reason",
                "group_by_employee": "employee_id",
                "group_by_engineer": "engineer_user_id",
                "group_by_dispatch_order": "dispatch_order_id",
            },
        )
        mine = [("expense_id", "in", (cited | no_order).ids)]
        no_order_domain = safe_eval(filters["reason_no_order"].get("domain"))
        self.assertEqual(Suspension.search(mine + no_order_domain).expense_id, no_order)
        groups = Suspension.read_group(mine, ["reason"], ["reason"])
        self.assertEqual(
            {g["reason"]: g["reason_count"] for g in groups},
            {"no_order": 1, "no_report": 1},
        )
        rows = Suspension.search_read(
            mine,
            [
                "expense_id",
                "employee_id",
                "total_amount",
                "dispatch_order_id",
                "reason",
                "age_days",
            ],
        )
        self.assertEqual(len(rows), 2)
        self.assertTrue(all(row["total_amount"] == 80.0 for row in rows))
        self.assertTrue(all(row["age_days"] == 0 for row in rows))
        # The menu: Project Assistants and above, not engineers.
        menu = self.env.ref("field_service_sop.fs_expense_suspension_menu")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(dispatcher)._visible_menu_ids())
        self.assertIn(
            menu.id, Menu.with_user(self.users["manager"])._visible_menu_ids()
        )
        self.assertNotIn(menu.id, Menu.with_user(self.engineer)._visible_menu_ids())

    def test_r1_order_smart_button_opens_its_expenses(self):
        """SOP R1: the order's "Expenses" button opens the expenses citing it."""
        order = self._order()
        cited = self._expense("Train", fs_dispatch_order_id=order.id)
        self._expense("Taxi")
        order_as_engineer = order.with_user(self.engineer)
        self.assertEqual(order_as_engineer.fs_expense_count, 1)
        action = order_as_engineer.action_view_fs_expenses()
        self.assertEqual(action["res_model"], "hr.expense")
        Expense = self.env["hr.expense"].with_user(self.engineer)
        self.assertEqual(Expense.search(action["domain"]), cited)
        arch = etree.fromstring(order_as_engineer.get_view(view_type="form")["arch"])
        self.assertTrue(arch.xpath("//button[@name='action_view_fs_expenses']"))


@tagged("post_install", "-at_install")
class TestExpenseDemo(TransactionCase):
    """The test database is installed with demo data: the story is there."""

    def _demo(self, xmlid):
        record = self.env.ref(f"field_service_sop.{xmlid}", raise_if_not_found=False)
        self.assertTrue(record, f"demo record {xmlid} is missing")
        return record

    def test_r1_r2_demo_story(self):
        """SOP R1, R2, S1-S3, S10: released, suspended and un-gated demo lines."""
        released = self._demo("fs_expense_released_demo")
        self.assertTrue(released.fs_requires_dispatch_order)
        self.assertFalse(released.fs_suspended)
        self.assertEqual(released.fs_service_report_id.state, "signed")
        self.assertTrue(released.fs_service_report_id.maintenance_ticket_id)
        expected = {
            "fs_expense_record_missing_demo": {"record_missing"},
            "fs_expense_not_signed_demo": {"not_signed", "record_missing"},
            "fs_expense_no_report_demo": {"no_report"},
            "fs_expense_no_order_demo": {"no_order"},
        }
        for xmlid, reasons in expected.items():
            expense = self._demo(xmlid)
            self.assertTrue(expense.fs_suspended, xmlid)
            self.assertEqual(set(expense.fs_suspension_ids.mapped("reason")), reasons)
        phone = self._demo("fs_expense_record_missing_demo")
        self.assertEqual(phone.fs_service_report_id.state, "phone_confirmed")
        meal = self._demo("fs_expense_meal_demo")
        self.assertFalse(meal.fs_requires_dispatch_order or meal.fs_suspended)
        submitted = self._demo("fs_expense_sheet_submitted_demo")
        self.assertEqual(submitted.state, "submit")
        self.assertTrue(submitted.fs_suspended)
        self.assertEqual(
            submitted.fs_suspended_expense_ids,
            self._demo("fs_expense_record_missing_demo"),
        )
        self.assertEqual(
            submitted.expense_line_ids,
            released | phone | meal,
        )
        draft = self._demo("fs_expense_sheet_draft_demo")
        self.assertEqual(draft.state, "draft")
        self.assertEqual(draft.fs_suspension_count, 2)


@tagged("post_install", "-at_install")
class TestExpenseSuspendedTour(HttpCase):
    def test_r1_manager_reads_why_in_the_browser(self):
        """SOP R1 in the browser: the manager finds the reason of a suspension."""
        manager = new_test_user(
            self.env,
            login="fs_tour_expense_manager",
            groups="base.group_user,field_service_sop.group_fs_manager,"
            "hr_expense.group_hr_expense_team_approver",
        )
        employee = self.env["hr.employee"].create(
            {"name": "Tour Expense Engineer", "expense_manager_id": manager.id}
        )
        expense = self.env["hr.expense"].create(
            {
                "name": "Tour taxi",
                "product_id": self.env.ref("field_service_sop.product_fs_travel").id,
                "employee_id": employee.id,
                "total_amount_currency": 58.0,
            }
        )
        self.assertTrue(expense.fs_suspended)
        self.start_tour("/odoo", "fs_expense_suspended_tour", login=manager.login)
