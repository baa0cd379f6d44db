# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from PIL import Image, ImageDraw

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

from odoo.addons.hr_expense.tests.common import TestExpenseCommon

ROLE_GROUPS = {
    "engineer": "field_service_sop.group_fs_engineer",
    "dispatcher": "field_service_sop.group_fs_dispatcher",
    "manager": "field_service_sop.group_fs_manager",
    "director": "field_service_sop.group_fs_director",
    "product_owner": "field_service_sop.group_fs_product_owner",
    "test_manager": "field_service_sop.group_fs_test_manager",
    "rd_manager": "field_service_sop.group_fs_rd_manager",
}


def drawn_signature(
    size=(360, 120), strokes=None, color=(0, 0, 139, 255), image_format="PNG"
):
    """Base64 image like the signature pad draws it: pen strokes on
    transparency (on white for a JPEG).

    ``strokes``: lists of points; by default a signature-like zigzag across
    the pad (SOP S5: customers draw their signature).
    """
    width, height = size
    if strokes is None:
        strokes = [
            [
                (
                    int(width * (0.1 + 0.05 * step)),
                    int(height * (0.3 + 0.4 * (step % 2))),
                )
                for step in range(17)
            ],
            [
                (int(width * 0.15), int(height * 0.8)),
                (int(width * 0.9), int(height * 0.75)),
            ],
        ]
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for points in strokes:
        draw.line(points, fill=color, width=2)
    if image_format == "JPEG":
        paper = Image.new("RGB", size, "white")
        paper.paste(image, mask=image)
        image = paper
    stream = io.BytesIO()
    image.save(stream, format=image_format)
    return base64.b64encode(stream.getvalue())


SIGNATURE = drawn_signature()
ARRIVAL = datetime(2026, 3, 2, 9, 0)
SUSPENDED = "Reimbursement suspended"
# Friday 2026-03-06; Monday 2026-03-09 is a public holiday in the SLA tests.
FRIDAY_16 = datetime(2026, 3, 6, 16, 0)
MONDAY = datetime(2026, 3, 9, 10, 0)
NOW = datetime(2026, 3, 2, 10, 0, 0)  # a Monday: the escalation tests' clock


def build_test_sla_policy(env, company, name="Test SLA", model="fs.dispatch.order"):
    """A fixed 2 h SLA policy (E1) on ``model`` that the engine never starts
    by itself: the tests build the clocks they need."""
    return (
        env["fs.sla.policy"]
        .sudo()
        .create(
            {
                "name": name,
                "rule_ref": "E1",
                "company_id": company.id,
                "model_id": env["ir.model"]._get(model).id,
                "start_domain": "[('id', '=', 0)]",
                "target_type": "fixed",
                "target_value": 2,
                "target_unit": "hours",
                "warning_percent": 80,
                "escalation_interval_minutes": 60,
                "max_level": 3,
            }
        )
    )


def build_issued_order(
    env, dispatcher, manager, partner, lead, engineers=None, arrived_at=None, **vals
):
    """The one builder of an issued dispatch order (SOP D2, D3).

    ``dispatcher`` creates the draft (a fault visit by default, ``vals``
    override the values), ``manager`` issues it (the env's user when falsy,
    e.g. the superuser of a shell script); ``arrived_at`` then stamps the
    arrival (as the dispatcher) as a visit would. A plain function, so that
    an ``odoo-bin shell`` script (the top-level tests, ``bench/_common.py``)
    imports it too:
    ``odoo.addons.field_service_sop.tests.common.build_issued_order``.
    Returns the order as the dispatcher sees it.
    """
    values = {
        "company_id": lead.company_id.id,
        "partner_id": partner.id,
        "service_type_id": env.ref("field_service_sop.fs_service_type_fault").id,
        "purpose": "Server down",
        "content": "Replace the failed disk and rebuild the array",
        "attention_points": "Back up first",
        "engineer_ids": [Command.set((engineers or lead).ids)],
        "lead_engineer_id": lead.id,
        **vals,
    }
    Order = env["fs.dispatch.order"]
    order = (Order.with_user(dispatcher) if dispatcher else Order).create(values)
    (order.with_user(manager) if manager else order).action_issue()
    if arrived_at:
        order.arrived_at = arrived_at
    return order


class FsSopCommon(TransactionCase):
    """One user per SOP role in a company of its own, plus a second company.

    Never depends on demo data (STYLE.md, tests).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env["res.company"].create({"name": "FS Test Co"})
        cls.company_b = cls.env["res.company"].create({"name": "FS Other Co"})
        cls.users = {}
        for role, group in ROLE_GROUPS.items():
            cls.users[role] = new_test_user(
                cls.env,
                login=f"fs_unit_{role}",
                groups=f"base.group_user,{group}",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
        cls.plain_user = new_test_user(
            cls.env,
            login="fs_unit_plain",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )


class FsDispatchCommon(FsSopCommon):
    """Employees (a lead and a second engineer), a customer, and builders of
    draft and issued dispatch orders and of delegations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.lead = Employee.create(
            {
                "name": "Lead Eng",
                "user_id": cls.users["engineer"].id,
                "company_id": cls.company.id,
            }
        )
        cls.second_user = cls.users["product_owner"]  # an engineer too, not lead
        cls.second = Employee.create(
            {
                "name": "Second Eng",
                "user_id": cls.second_user.id,
                "company_id": cls.company.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "East Bank",
                "is_company": True,
                "street": "1 Bund Rd",
                "city": "Shanghai",
                "phone": "+86 21 5555 0000",
            }
        )
        cls.fault = cls.env.ref("field_service_sop.fs_service_type_fault")

    def _order(self, user="dispatcher", **vals):
        """A draft order (as ``user``) of the lead and the second engineer."""
        values = {
            "company_id": self.company.id,
            "partner_id": self.customer.id,
            "service_type_id": self.fault.id,
            "purpose": "Server down",
            "content": "Replace the failed disk and rebuild the array",
            "attention_points": "Back up first",
            "engineer_ids": [(6, 0, (self.lead | self.second).ids)],
            "lead_engineer_id": self.lead.id,
        }
        values.update(vals)
        return self.env["fs.dispatch.order"].with_user(self.users[user]).create(values)

    @classmethod
    def _issued_order(cls, arrived_at=ARRIVAL, **vals):
        """An order issued by the manager, arrival stamped (SOP D2, S1)."""
        values = {
            "company_id": cls.company.id,
            "service_type_id": cls.fault.id,
            "engineers": cls.lead | cls.second,
            **vals,
        }
        return build_issued_order(
            cls.env,
            cls.users["dispatcher"],
            cls.users["manager"],
            cls.customer,
            cls.lead,
            arrived_at=arrived_at,
            **values,
        )

    def _delegate(self, **vals):
        values = {
            "company_id": self.company.id,
            "manager_id": self.users["manager"].id,
            "delegate_id": self.users["dispatcher"].id,
            "date_from": date.today() - timedelta(days=1),
            "date_to": date.today() + timedelta(days=30),
        }
        values.update(vals)
        return (
            self.env["fs.dispatch.delegation"]
            .with_user(self.users["manager"])
            .create(values)
        )


class FsEmergencyCommon(FsDispatchCommon):
    """A customer reachable by mail and builders of emergency orders and
    plans (SOP E1-E4)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"email": "it@eastbank.example.com", "tz": "UTC"})
        cls.template = cls.env.ref(
            "field_service_sop.fs_dispatch_order_mail_template_emergency_departure"
        )

    def _emergency_order(self, **vals):
        return self._order(is_emergency=True, priority="2", **vals)

    def _plan(self, order, user="dispatcher", **vals):
        values = {
            "order_id": order.id,
            "expected_duration_hours": 3.0,
            "travel_minutes": 40,
            "tools": "Toolkit, console cable",
            "parts": "2 x 900 GB SAS disk",
            "items": "Replace failed disks, rebuild RAID 5",
            "estimated_cost": 2400.0,
            "customer_consent_at": datetime(2026, 11, 2, 8, 30),
            "customer_consent_by": "Mr Wang, IT head",
        }
        values.update(vals)
        values = {key: value for key, value in values.items() if value is not None}
        return self.env["fs.emergency.plan"].with_user(self.users[user]).create(values)

    def _approved_plan(self, order, **vals):
        plan = self._plan(order, **vals)
        plan.with_user(self.users["dispatcher"]).action_submit()
        plan.with_user(self.users["director"]).action_approve()
        return plan

    def _issue_and_accept(self, order):
        order.with_user(self.users["manager"]).action_issue()
        order.checklist_line_ids.write({"done": True})  # SOP D12, not tested here
        order.write(
            {
                "contact_at": datetime(2026, 11, 2, 9, 0),
                "appointment_at": datetime(2026, 11, 2, 11, 0),
            }
        )
        order.with_user(self.users["engineer"]).action_accept()


class FsReportCommon(FsDispatchCommon):
    """Contacts of the customer and builders of service reports on issued
    orders (SOP S1-S12): draft, completed, signed, unsolved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.health = cls.env.ref("field_service_sop.fs_service_type_health_check")
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ms Chen (IT)", "parent_id": cls.customer.id}
        )
        cls.colleague = cls.env["res.partner"].create(
            {"name": "Mr Li (IT)", "parent_id": cls.customer.id}
        )
        cls.stranger = cls.env["res.partner"].create({"name": "Other Corp"})

    def _report(self, user="engineer", order=None, **vals):
        order = order or self._issued_order(service_type_id=self.health.id)
        values = {"order_id": order.id}
        values.update(vals)
        return self.env["fs.service.report"].with_user(self.users[user]).create(values)

    def _complete(self, report, user="engineer"):
        report.with_user(self.users[user]).write(
            {
                "departure_at": ARRIVAL + timedelta(hours=3),
                "work_done": "Replaced disk 3, rebuilt RAID 5",
                "result": "solved",
                "completed_at": ARRIVAL + timedelta(hours=3),
                "part_ids": [
                    (
                        0,
                        0,
                        {
                            "description": "SAS disk 600 GB",
                            "new_part_number": "DK-600",
                            "new_serial": "SN-NEW-1",
                            "old_part_number": "DK-600",
                            "old_serial": "SN-OLD-1",
                            "usage": "used",
                        },
                    )
                ],
            }
        )
        return report

    def _accept_values(self, **vals):
        values = {
            "rating_attitude": "5",
            "rating_response": "4",
            "rating_effect": "5",
            "rating_overall": "9",
            "customer_comments": "Quick and tidy",
            "signer_id": self.contact.id,
            "signature": SIGNATURE,
        }
        values.update(vals)
        return values

    def _signed(self):
        report = self._complete(self._report())
        report.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values()
        )
        return report

    def _fs_order(self, **vals):
        """A draft health-check order of the lead engineer alone."""
        values = {
            "service_type_id": self.health.id,
            "purpose": "Health check",
            "content": "Check the servers",
            "attention_points": False,
            "engineer_ids": [(6, 0, self.lead.ids)],
            **vals,
        }
        return self._order(**values)

    def _fs_report(self, arrival, **vals):
        """A draft report (as the engineer) arrived at ``arrival`` on a newly
        issued health-check order of the lead engineer alone."""
        order = self._issued_order(
            arrived_at=None,
            service_type_id=self.health.id,
            purpose="Health check",
            content="Check the servers",
            attention_points=False,
            engineer_ids=[(6, 0, self.lead.ids)],
        )
        values = {"order_id": order.id, "arrival_at": arrival, **vals}
        Report = self.env["fs.service.report"].with_user(self.users["engineer"])
        return Report.create(values)

    def _unsolved(self, result="partly"):
        report = self._complete(self._report())
        report.with_user(self.users["engineer"]).write(
            {"result": result, "open_issues": "RAID controller firmware too old"}
        )
        return report

    def _ticket(self, partner=None, **vals):
        values = {
            "name": "Install record",
            "description": "<p>Installed array</p>",
            "partner_id": (partner or self.customer).id,
            "company_id": self.company.id,
        }
        values.update(vals)
        return self.env["helpdesk.ticket"].create(values)

    def _assessments(self, report):
        return self.env["fs.engineer.assessment"].search(
            [("report_id", "=", report.id)]
        )


class FsExpenseCommon(FsReportCommon, TestExpenseCommon):
    """Service-report fixtures (FsReportCommon) + Odoo's expense accounting setup.

    The field-service company gets a chart of accounts so its expenses can be
    approved, posted and paid for real.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_chart_template(cls.company, cls.chart_template)
        cls.fs_data = cls.collect_company_accounting_data(cls.company)
        cls.company.expense_outstanding_account_id = cls.env["account.account"].create(
            {
                "name": "Outstanding expense payments",
                "code": "FS1019",
                "account_type": "asset_current",
                "reconcile": True,
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.env.user.company_ids |= cls.company
        # The accounting test user also files maintenance records (S10).
        cls.env.user.groups_id |= cls.env.ref("helpdesk_mgmt.group_helpdesk_manager")
        (cls.lead | cls.second).write(
            {"work_email": "eng@example.com", "work_contact_id": False}
        )
        cls.lead.work_contact_id = cls.users["engineer"].partner_id
        cls.second.work_contact_id = cls.users["product_owner"].partner_id
        roles = {
            "exp_manager": "base.group_user,hr_expense.group_hr_expense_manager",
            "accountant": "base.group_user,hr_expense.group_hr_expense_user,"
            "account.group_account_user,account.group_account_manager",
            "admin": "base.group_user,base.group_system,"
            "hr_expense.group_hr_expense_manager,account.group_account_user,"
            "account.group_account_manager",
        }
        for role, groups in roles.items():
            cls.users[role] = new_test_user(
                cls.env,
                login=f"fs_gate_{role}",
                groups=groups,
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
        cls.lead.expense_manager_id = cls.users["exp_manager"]
        cls.second.expense_manager_id = cls.users["exp_manager"]
        expense_account = cls.fs_data["default_account_expense"]
        Category = cls.env["product.category"]
        cls.travel_categ = Category.create({"name": "FS travel"})
        cls.plain_categ = Category.create({"name": "FS other"})
        Product = cls.env["product.product"]
        cls.travel = Product.create(
            {
                "name": "Train ticket",
                "type": "service",
                "can_be_expensed": True,
                "fs_requires_dispatch_order": True,
                "categ_id": cls.plain_categ.id,
                "standard_price": 0.0,
                "supplier_taxes_id": [Command.clear()],
                "property_account_expense_id": expense_account.id,
            }
        )
        cls.taxi = Product.create(
            {
                "name": "Taxi (category flag)",
                "type": "service",
                "can_be_expensed": True,
                "categ_id": cls.travel_categ.id,
                "standard_price": 0.0,
                "supplier_taxes_id": [Command.clear()],
                "property_account_expense_id": expense_account.id,
            }
        )
        cls.meal = Product.create(
            {
                "name": "Office meal",
                "type": "service",
                "can_be_expensed": True,
                "categ_id": cls.plain_categ.id,
                "standard_price": 0.0,
                "supplier_taxes_id": [Command.clear()],
                "property_account_expense_id": expense_account.id,
            }
        )
        cls.travel_categ.fs_requires_dispatch_order = True

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _expense(self, employee=None, product=None, order=None, amount=100.0, **vals):
        employee = employee or self.lead
        values = {
            "name": "Trip",
            "employee_id": employee.id,
            "product_id": (product or self.travel).id,
            "total_amount_currency": amount,
            "date": date(2026, 3, 2),
            "company_id": self.company.id,
            "currency_id": self.company.currency_id.id,
            "fs_dispatch_order_id": order.id if order else False,
        }
        values.update(vals)
        expense = self.env["hr.expense"].with_user(employee.user_id).create(values)
        return expense.with_env(self.env)

    def _sheet(self, expenses, submit=True, **vals):
        employee = expenses.employee_id
        values = {
            "name": "Trip report",
            "employee_id": employee.id,
            "company_id": self.company.id,
            "expense_line_ids": [Command.set(expenses.ids)],
        }
        values.update(vals)
        sheet = self.env["hr.expense.sheet"].with_user(employee.user_id).create(values)
        if submit:
            sheet.with_user(employee.user_id).action_submit_sheet()
        return sheet.with_env(self.env)

    def _no_order_sheet(self, submit=True, payment_mode="own_account"):
        return self._sheet(self._expense(payment_mode=payment_mode), submit=submit)

    def _complete_report(self, **vals):
        """An issued order with a completed, unsigned report (lead engineer)."""
        report = self._complete(self._report(**vals))
        report.with_user(self.users["engineer"]).write(
            {k: v for k, v in self._accept_values().items() if k.startswith("rating")}
        )
        return report

    def _sign(self, report):
        report.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values()
        )

    def _phone_confirm(self, report):
        dispatcher = report.with_user(self.users["dispatcher"])
        dispatcher.write(
            {
                "phone_contact_id": self.contact.id,
                "phone_called_at": datetime(2026, 3, 3, 10, 0),
                "phone_confirmation": "Disk replaced, server up, satisfied",
            }
        )
        dispatcher.action_phone_confirm()

    def _reasons(self, expense):
        return set(expense.sudo().fs_suspension_ids.mapped("reason"))

    def _money(self, sheet):
        expenses = sheet.sudo().expense_line_ids
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    "|",
                    ("expense_sheet_id", "=", sheet.id),
                    ("line_ids.expense_id", "in", expenses.ids),
                ]
            )
        )
        payments = (
            self.env["account.payment"]
            .sudo()
            .search(
                [
                    "|",
                    ("move_id", "in", moves.ids),
                    ("move_id.line_ids.expense_id", "in", expenses.ids),
                ]
            )
        )
        return moves, payments

    @contextmanager
    def assertSuspended(self, text=SUSPENDED):
        """assertRaises(UserError) rolls back (savepoint), then checks text."""
        with self.assertRaises(UserError) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))

    def assertNoMoney(self, sheet):
        moves, payments = self._money(sheet)
        self.assertFalse(moves, "no journal entry for a suspended expense")
        self.assertFalse(payments, "no payment for a suspended expense")

    def _posted_then_gated(self, payment_mode="own_account"):
        """A sheet approved and posted while ungated, then gated (category).

        Simulates a later change of configuration: the money guards re-check
        the gate, so the entries already there are not posted / paid.
        """
        expense = self._expense(product=self.meal, payment_mode=payment_mode)
        sheet = self._sheet(expense)
        sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        self.plain_categ.fs_requires_dispatch_order = True
        self.assertTrue(expense.fs_requires_dispatch_order)
        return sheet, expense


class FsSlaCommon(FsReportCommon):
    """A 9-17 UTC working calendar, an HR chain over the lead engineer and
    builders of SLA policies, tickets and clocks (SOP E1, E2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Self-contained: the default policies (data) do not run here.
        cls.env["fs.sla.policy"].search([]).write({"active": False})
        cls.env["fs.sla.timer"].search([]).write({"next_check_at": False})
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "SLA 9-17 UTC",
                "tz": "UTC",
                "hours_per_day": 8,
                "company_id": cls.company.id,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        Employee = cls.env["hr.employee"]
        cls.supervisor = Employee.create(
            {
                "name": "Supervisor",
                "user_id": cls.users["manager"].id,
                "company_id": cls.company.id,
            }
        )
        cls.dept_manager = Employee.create(
            {
                "name": "Engineering Manager",
                "user_id": cls.users["rd_manager"].id,
                "company_id": cls.company.id,
            }
        )
        cls.department = cls.env["hr.department"].create(
            {
                "name": "Service",
                "manager_id": cls.dept_manager.id,
                "company_id": cls.company.id,
            }
        )
        cls.lead.write(
            {"parent_id": cls.supervisor.id, "department_id": cls.department.id}
        )
        cls.closed_stage = cls.env["helpdesk.ticket.stage"].search(
            [("closed", "=", True)], limit=1
        )
        cls.Timer = cls.env["fs.sla.timer"]

    def _policy(self, model="helpdesk.ticket", **vals):
        values = {
            "name": "Test SLA",
            "rule_ref": "E1",
            "model_id": self.env["ir.model"]._get_id(model),
            "start_domain": "[]",
            "stop_domain": '[("closed", "=", True)]',
            "target_value": 60,
            "target_unit": "minutes",
            "warning_percent": 80,
            "escalation_interval_minutes": 30,
            "max_level": 3,
        }
        values.update(vals)
        return self.env["fs.sla.policy"].create(values)

    def _tickets(self, count=1, **vals):
        values = {
            "name": "Printer down",
            "description": "Jammed",
            "user_id": self.users["engineer"].id,
            "partner_id": self.customer.id,
            "company_id": self.company.id,
        }
        values.update(vals)
        return self.env["helpdesk.ticket"].create([dict(values) for __ in range(count)])

    def _timer(self, doc, policy):
        return self.Timer.search(
            [
                ("res_model", "=", doc._name),
                ("res_id", "=", doc.id),
                ("policy_id", "=", policy.id),
            ]
        )

    def _sweep(self):
        return self.Timer._cron_fs_sla_sweep()


class FsEscalationCommon(FsDispatchCommon):
    """An HR chain engineer → supervisor → department manager → director.

    Lead Eng (engineer) reports to Sam Supervisor, in the Service department
    managed by Mia Manager (the manager role); the company's Service Director
    is the director role. A second chain: Second Eng reports to Otto Other
    Supervisor. SOP E3, E4.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        company = cls.company

        def user(login):
            return new_test_user(
                cls.env,
                login=login,
                groups="base.group_user",
                company_id=company.id,
                company_ids=[company.id],
            )

        cls.supervisor = user("fs_esc_supervisor")
        cls.other_supervisor = user("fs_esc_other_supervisor")
        cls.manager = cls.users["manager"]
        cls.director = cls.users["director"]
        cls.engineer = cls.users["engineer"]
        cls.manager_emp = Employee.create(
            {"name": "Mia Manager", "user_id": cls.manager.id, "company_id": company.id}
        )
        cls.department = cls.env["hr.department"].create(
            {
                "name": "Service",
                "company_id": company.id,
                "manager_id": cls.manager_emp.id,
            }
        )
        cls.supervisor_emp = Employee.create(
            {
                "name": "Sam Supervisor",
                "user_id": cls.supervisor.id,
                "company_id": company.id,
                "parent_id": cls.manager_emp.id,
                "department_id": cls.department.id,
            }
        )
        cls.lead.write(
            {"parent_id": cls.supervisor_emp.id, "department_id": cls.department.id}
        )
        cls.other_supervisor_emp = Employee.create(
            {
                "name": "Otto Other Supervisor",
                "user_id": cls.other_supervisor.id,
                "company_id": company.id,
            }
        )
        cls.second.parent_id = cls.other_supervisor_emp
        cls.policy = build_test_sla_policy(cls.env, company, name="Test on-site SLA")
        cls.order = cls._order(cls)

    def _timer(self, order=None, employee=None, **vals):
        employee = employee if employee is not None else self.lead
        values = {
            "policy_id": self.policy.id,
            "res_model": "fs.dispatch.order",
            "res_id": (order or self.order).id,
            "company_id": self.company.id,
            "user_id": employee.user_id.id,
            "employee_id": employee.id,
            "start_at": NOW - timedelta(hours=3),
            "deadline": NOW - timedelta(hours=1),
            "warning_at": NOW - timedelta(hours=1, minutes=24),
            "warned_at": NOW - timedelta(hours=1, minutes=24),
            "breached_at": NOW - timedelta(hours=1),
            "state": "breached",
            "level": 1,
            "next_check_at": NOW,
        }
        values.update(vals)
        # As the SLA engine does: only the system creates clocks.
        return self.env["fs.sla.timer"].sudo().create(values)

    def _escalate(self, timer, level=1):
        return self.env["fs.escalation"].sudo()._fs_create_escalations([(timer, level)])
