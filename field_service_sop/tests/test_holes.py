# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 10: no role unlocks money, rewrites a derived fact or a number.

Each test reproduces a hole found on main as an attacker would, through the
ORM with the attacker's user (the JSON-RPC twins are in tests/test_rpc_access.py).
"""

from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged, users

from .common import FsEmergencyCommon, FsExpenseCommon

# Holes found on main: each must be in the generic walk below.
KNOWN_DERIVED = {
    ("hr.expense", "fs_requires_dispatch_order"),
    ("fs.dispatch.order", "verbal_pending"),
    ("fs.dispatch.order", "is_late"),
    ("fs.dispatch.order", "late_minutes"),
    ("fs.dispatch.order", "planned_departure_at"),
    ("fs.sla.policy", "model_name"),
    ("fs.service.report", "engineer_id"),
    ("fs.service.report", "dispatcher_id"),
}


@tagged("post_install", "-at_install")
class TestDerivedFieldsReadOnly(FsExpenseCommon):
    """Derived means read-only, by construction (issue 10.1, 10.2, 10.4)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["admin_user"] = cls.users["admin"]  # group_system, not superuser
        cls.order = cls._issued_order(
            arrived_at=None,
            content="Replace the disk",
            appointment_at=datetime(2026, 3, 2, 9, 0),
        ).with_env(cls.env)
        cls.report = (
            cls.env["fs.service.report"]
            .with_user(cls.users["engineer"])
            .create({"order_id": cls.order.id})
            .with_env(cls.env)
        )
        cls.expense = cls.env["hr.expense"].create(
            {
                "name": "Trip",
                "employee_id": cls.lead.id,
                "product_id": cls.travel.id,
                "total_amount_currency": 80.0,
                "date": date(2026, 3, 2),
                "company_id": cls.company.id,
                "fs_dispatch_order_id": cls.order.id,
            }
        )

    def _derived_fields(self):
        """(model, field) of every computed or related field, not declared
        editable, that this addon's code alone defines, on any model."""
        return {
            (model_name, name)
            for model_name, model in self.env.registry.items()
            if not model._abstract and not model._transient
            for name, field in model._fields.items()
            if field.compute
            and field.readonly
            and set(field._modules or ()) == {"field_service_sop"}
        }

    def _tampered(self, record, name):
        """A value of the field's type that differs from the stored one."""
        field = record._fields[name]
        value = record.sudo()[name] if record else False
        if field.type == "boolean":
            return not value
        if field.type in ("integer", "float", "monetary"):
            return (value or 0) + 7
        if field.type in ("char", "text", "html"):
            return "tampered"
        if field.type == "datetime":
            return datetime(2031, 1, 1, 8, 0)
        if field.type == "date":
            return date(2031, 1, 1)
        if field.type == "selection":
            keys = [k for k, _l in field._description_selection(self.env)]
            return next((k for k in keys if k != value), keys[0])
        if field.type == "many2one":
            if value:
                return False
            other = self.env[field.comodel_name].sudo().search([], limit=1)
            return other.id or False
        if field.type in ("many2many", "one2many"):
            return [Command.clear()]
        if field.type == "binary":
            return "eA=="
        return "tampered"

    def _sample(self, model):
        own = {
            "fs.dispatch.order": self.order,
            "fs.service.report": self.report,
            "hr.expense": self.expense,
            "product.template": self.travel.product_tmpl_id,
            "product.category": self.travel_categ,
        }
        if model in own:
            return own[model]
        return self.env[model].sudo().search([], limit=1).sudo(False)

    def test_every_derived_field_is_refused_for_every_role(self):
        derived = self._derived_fields()
        self.assertLessEqual(KNOWN_DERIVED, derived)
        for model, name in sorted(derived):
            # The guard's own list agrees with the data model.
            self.assertIn(name, self.env[model]._fs_derived_fields(), (model, name))
        for role, user in sorted(self.users.items()):
            for model, name in sorted(derived):
                record = self._sample(model).with_user(user)
                value = self._tampered(record, name)
                before = record.sudo()[name] if record else None
                # (AccessError is a UserError.)
                with self.assertRaises(UserError, msg=f"{role} wrote {model}.{name}"):
                    record.write({name: value})
                if record:
                    record.invalidate_recordset()
                    self.assertEqual(record.sudo()[name], before, (role, model, name))

    def test_create_with_derived_values_is_refused(self):
        """Issue 10.1: nor can a derived value be preset at create."""
        employee = self.lead.user_id
        with self.assertRaises(AccessError):
            self.env["hr.expense"].with_user(employee).create(
                {
                    "name": "Trip",
                    "employee_id": self.lead.id,
                    "product_id": self.travel.id,
                    "total_amount_currency": 10.0,
                    "fs_requires_dispatch_order": False,
                }
            )
        with self.assertRaises(AccessError):
            self.env["fs.dispatch.order"].with_user(self.users["dispatcher"]).create(
                {"company_id": self.company.id, "is_late": True}
            )

    def test_derived_value_still_follows_its_source(self):
        """The compute still sets the value (the guard is not on the ORM path)."""
        self.assertTrue(self.expense.fs_requires_dispatch_order)
        self.expense.with_user(self.lead.user_id).product_id = self.meal
        self.assertFalse(self.expense.fs_requires_dispatch_order)

    def test_employee_cannot_unlock_own_gated_expense(self):
        """Issue 10.1 (SOP R1): the employee's write is refused; nothing is paid."""
        sheet = self._sheet(self.expense.with_user(self.lead.user_id))
        self.assertTrue(self.expense.fs_suspended)
        with self.assertRaises(AccessError):
            self.expense.with_user(self.lead.user_id).write(
                {"fs_requires_dispatch_order": False}
            )
        self.assertTrue(self.expense.fs_requires_dispatch_order)
        self.assertTrue(self.expense.fs_suspended)
        with self.assertRaises(UserError):
            sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        moves, payments = self._money(sheet)
        self.assertFalse(moves)
        self.assertFalse(payments)


@tagged("post_install", "-at_install")
class TestOrderNumber(FsExpenseCommon):
    """Issue 10.2 (SOP D1): order numbers come from the sequence only."""

    def _values(self, **vals):
        values = {
            "company_id": self.company.id,
            "partner_id": self.customer.id,
            "engineer_ids": [Command.set(self.lead.ids)],
            "lead_engineer_id": self.lead.id,
        }
        values.update(vals)
        return values

    @users("fs_unit_dispatcher", "fs_unit_manager", "fs_unit_director")
    def test_number_cannot_be_chosen_at_create(self):
        Order = self.env["fs.dispatch.order"]
        with self.assertRaises(AccessError):
            Order.create(self._values(name="PG1999-00042"))
        self.assertFalse(Order.sudo().search([("name", "=", "PG1999-00042")]))
        order = Order.with_user(self.users["dispatcher"]).create(self._values())
        self.assertNotEqual(order.name, "/")
        self.assertNotEqual(order.name, "PG1999-00042")

    def test_number_cannot_be_changed(self):
        order = (
            self.env["fs.dispatch.order"]
            .with_user(self.users["dispatcher"])
            .create(self._values(purpose="p", content="c", attention_points="a"))
        )
        number = order.name
        with self.assertRaises(AccessError):
            order.write({"name": "PG1999-00042"})
        order.with_user(self.users["manager"]).action_issue()
        for role in ("dispatcher", "manager", "director"):
            with self.assertRaises(AccessError):
                order.with_user(self.users[role]).write({"name": "PG1999-00042"})
        self.assertEqual(order.name, number)


@tagged("post_install", "-at_install")
class TestSlaPolicyModelName(FsExpenseCommon):
    """Issue 10.4: the model a policy applies to is its model_id; model_name is
    derived from it and cannot be pointed elsewhere to break ticket creation."""

    def test_model_name_cannot_be_rewritten(self):
        manager = self.users["manager"]
        manager.groups_id |= self.env.ref("field_service_sop.group_fs_director")
        policy = (
            self.env["fs.sla.policy"]
            .sudo()
            .search([("model_name", "=", "fs.dispatch.order")], limit=1)
        )
        self.assertTrue(policy)
        for user in (manager, self.users["admin"]):
            with self.assertRaises(AccessError):
                policy.with_user(user).write({"model_name": "helpdesk.ticket"})
        self.assertEqual(policy.model_name, "fs.dispatch.order")
        self.env.registry.clear_cache()
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create(
                {
                    "name": "Printer",
                    "description": "Jammed",
                    "partner_id": self.customer.id,
                }
            )
        )
        self.assertTrue(ticket)


@tagged("post_install", "-at_install")
class TestSeparationOfDuties(FsExpenseCommon):
    """Issue 10.5: who did the visit does not confirm it; who approves
    expenses does not decide which expenses need a dispatch order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher_employee = cls.env["hr.employee"].create(
            {
                "name": "Dispatcher Eng",
                "user_id": cls.users["dispatcher"].id,
                "company_id": cls.company.id,
            }
        )

    def _visit_by_dispatcher(self):
        """A completed, unsigned report of an order the dispatcher worked on."""
        order = self._issued_order(
            service_type_id=self.health.id,
            engineer_ids=[
                Command.set((self.lead | self.second | self.dispatcher_employee).ids)
            ],
        )
        return self._complete_report(order=order)

    def test_engineer_cannot_phone_confirm_own_visit(self):
        """SOP S3: the project assistant confirms, not an engineer of the visit."""
        report = self._visit_by_dispatcher()
        with self.assertRaisesRegex(UserError, "S3"):
            self._phone_confirm(report)
        self.assertNotEqual(report.state, "phone_confirmed")
        self.assertFalse(report.phone_recorded_by_id)
        # Another project assistant may.
        other = self._complete_report()
        self._phone_confirm(other)
        self.assertEqual(other.state, "phone_confirmed")

    def test_gate_refuses_self_confirmed_report(self):
        """SOP R1, S3: a phone confirmation recorded by one of the visit's own
        engineers (before this rule, or by any path) does not release money."""
        report = self._visit_by_dispatcher()
        # As if recorded before this rule existed: straight into the table.
        self.env.cr.execute(
            "UPDATE fs_service_report SET state = 'phone_confirmed', "
            "sign_channel = 'phone', phone_recorded_by_id = %s, "
            "phone_called_at = %s, phone_confirmation = 'ok' WHERE id = %s",
            (self.users["dispatcher"].id, datetime(2026, 3, 3, 10, 0), report.id),
        )
        report.invalidate_recordset()
        self.assertEqual(report.state, "phone_confirmed")
        expense = self._expense(order=report.order_id)
        self.assertIn("not_signed", self._reasons(expense))

    def test_only_fs_managers_change_the_gate_flag(self):
        """SOP R1: the expense approver cannot untick, approve and tick again."""
        template = self.travel.product_tmpl_id
        for role in ("exp_manager", "accountant", "dispatcher"):
            with self.assertRaises(AccessError):
                template.with_user(self.users[role]).write(
                    {"fs_requires_dispatch_order": False}
                )
            with self.assertRaises(AccessError):
                self.travel_categ.with_user(self.users[role]).write(
                    {"fs_requires_dispatch_order": False}
                )
        self.assertTrue(template.fs_requires_dispatch_order)
        # A Field Service manager who can edit products may; it is tracked.
        fs_manager = new_test_user(
            self.env,
            login="fs_holes_fs_manager",
            groups="base.group_user,field_service_sop.group_fs_manager,"
            "product.group_product_manager,hr_expense.group_hr_expense_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        template.with_user(fs_manager).with_context(
            tracking_disable=False, mail_notrack=False
        ).write({"fs_requires_dispatch_order": False})
        self.env.flush_all()
        self.env.cr.precommit.run()  # where Odoo writes tracking values
        self.assertFalse(template.fs_requires_dispatch_order)
        tracked = template.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "fs_requires_dispatch_order"
        )
        self.assertTrue(tracked)
        self.assertEqual(tracked[:1].create_uid, fs_manager)


@tagged("post_install", "-at_install")
class TestGateInputsStayPut(FsExpenseCommon):
    """Issue 10 (review): what decides that an expense is gated cannot be
    changed under the gate once the expense is submitted (SOP R1), and the
    site printed on a signed report stays what the customer signed (S2)."""

    def _fs_manager(self):
        return new_test_user(
            self.env,
            login="fs_holes_gate_fs_manager",
            groups="base.group_user,field_service_sop.group_fs_manager,"
            "product.group_product_manager,hr_expense.group_hr_expense_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )

    def test_submitted_travel_expense_keeps_its_gated_product(self):
        """SOP R1: neither the employee nor the approver turns a suspended
        travel expense into an ungated one (or one without product) and
        approves it."""
        expense = self._expense()
        sheet = self._sheet(expense)
        self.assertTrue(expense.fs_suspended)
        for role in ("engineer", "exp_manager", "accountant"):
            for product in (self.meal, self.env["product.product"]):
                with self.assertRaisesRegex(UserError, "R1"):
                    expense.with_user(self.users[role]).write(
                        {"product_id": product.id}
                    )
        self.assertEqual(expense.product_id, self.travel)
        with self.assertSuspended():
            sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        self.assertEqual(sheet.state, "submit")
        # Another gated product is no way out; it stays allowed.
        expense.with_user(self.users["engineer"]).write({"product_id": self.taxi.id})
        self.assertTrue(expense.fs_suspended)
        # A Field Service manager may correct the category (policy, SOP R1).
        expense.with_user(self._fs_manager()).write({"product_id": self.meal.id})
        self.assertFalse(expense.fs_requires_dispatch_order)

    def test_draft_expense_product_stays_free(self):
        """The employee's own draft is theirs to correct (no loss of rights)."""
        expense = self._expense()
        expense.with_user(self.users["engineer"]).write({"product_id": self.meal.id})
        self.assertFalse(expense.fs_suspended)
        sheet = self._sheet(self._expense(), submit=False)
        sheet.expense_line_ids.with_user(self.users["engineer"]).write(
            {"product_id": self.meal.id}
        )
        self.assertFalse(sheet.expense_line_ids.fs_suspended)

    def test_approved_suspended_expense_keeps_its_product(self):
        """SOP R1: an approved expense suspended afterwards is not released by
        swapping its product for an ungated one, then posted."""
        sheet, expense = self._posted_then_gated()
        self.assertTrue(expense.fs_suspended)
        other = self.env["product.product"].create(
            {
                "name": "Sundries",
                "type": "service",
                "can_be_expensed": True,
                "categ_id": self.travel_categ.copy(
                    {"fs_requires_dispatch_order": False}
                ).id,
                "standard_price": 0.0,
                "supplier_taxes_id": [Command.clear()],
            }
        )
        with self.assertRaisesRegex(UserError, "R1"):
            expense.with_user(self.users["engineer"]).write({"product_id": other.id})
        with self.assertSuspended():
            sheet.with_user(self.users["accountant"]).action_sheet_move_post()
        self.assertEqual(sheet.state, "approve")
        self.assertEqual(sheet.account_move_ids.mapped("state"), ["draft"])

    def test_moving_a_product_out_of_a_gated_category_needs_fs_manager(self):
        """SOP R1: moving the product to an unflagged category unticks the
        gate as surely as the flag itself: FS managers and administrators."""
        expense = self._expense(product=self.taxi)
        sheet = self._sheet(expense)
        for role in ("exp_manager", "accountant"):
            for record in (self.taxi, self.taxi.product_tmpl_id):
                with self.assertRaises(AccessError):
                    record.with_user(self.users[role]).write(
                        {"categ_id": self.plain_categ.id}
                    )
            # Nor into a flagged one (the same decision, the other way).
            with self.assertRaises(AccessError):
                self.meal.with_user(self.users[role]).write(
                    {"categ_id": self.travel_categ.id}
                )
        self.assertEqual(self.taxi.categ_id, self.travel_categ)
        with self.assertSuspended():
            sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()
        # A move that does not change the gate stays free.
        other = self.travel_categ.copy({"name": "FS travel 2"})
        other.fs_requires_dispatch_order = True
        self.taxi.with_user(self.users["exp_manager"]).write({"categ_id": other.id})
        self.assertEqual(self.taxi.categ_id, other)
        # An FS manager may (policy).
        self.taxi.with_user(self._fs_manager()).write({"categ_id": self.plain_categ.id})
        self.assertFalse(expense.fs_requires_dispatch_order)

    def test_repointing_a_variant_to_an_unflagged_template_needs_fs_manager(self):
        """SOP R1: a gated product moved under an ungated template (whose own
        variant is archived) releases its expenses like the flag: refused."""
        expense = self._expense()
        sheet = self._sheet(expense)
        bare = self.env["product.template"].create(
            {"name": "Bare", "type": "service", "categ_id": self.plain_categ.id}
        )
        bare.product_variant_ids.active = False
        with self.assertRaises(AccessError):
            self.travel.with_user(self.users["exp_manager"]).write(
                {"product_tmpl_id": bare.id}
            )
        self.assertTrue(expense.fs_requires_dispatch_order)
        with self.assertSuspended():
            sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()

    def test_site_of_a_signed_visit_is_fixed(self):
        """SOP S2: the signed report prints the order's site (address, phone,
        contact); nobody rewrites what the customer signed through the order."""
        signed = self._complete_report()
        self._sign(signed)
        confirmed = self._complete_report()
        self._phone_confirm(confirmed)
        for report in (signed, confirmed):
            order = report.order_id
            before = (order.site_address, order.site_phone, order.site_contact_id)
            for role, vals in (
                ("engineer", {"site_address": "Elsewhere"}),
                ("engineer", {"site_phone": "+86 1"}),
                ("dispatcher", {"site_address": "Elsewhere"}),
                ("manager", {"site_phone": "+86 1"}),
                ("dispatcher", {"site_contact_id": self.contact.id}),
            ):
                with self.assertRaisesRegex(UserError, "S2"):
                    order.with_user(self.users[role]).write(vals)
            self.assertEqual(
                (order.site_address, order.site_phone, order.site_contact_id), before
            )
        # Before the signature the engineer corrects the site (SOP D10).
        draft = self._complete_report()
        draft.order_id.with_user(self.users["engineer"]).write(
            {"site_address": "Gate 3"}
        )
        self.assertEqual(draft.order_id.site_address, "Gate 3")


@tagged("post_install", "-at_install")
class TestContextDefaults(FsExpenseCommon):
    """Issue 10 (review): ``create()`` adds the caller's ``default_<field>``
    context keys (RPC sends any context) after the guards looked at ``vals``:
    the guards check what will be stored."""

    def test_report_cannot_be_created_signed_through_the_context(self):
        """SOP S2, S3, R1: an engineer creating his report as signed or phone
        confirmed (no signature, no call) would release his expense."""
        order = self._issued_order(service_type_id=self.health.id)
        expense = self._expense(order=order)
        Report = self.env["fs.service.report"].with_user(self.users["engineer"])
        for defaults in (
            {"default_state": "signed", "default_signed_at": datetime(2026, 3, 2)},
            {
                "default_state": "phone_confirmed",
                "default_phone_recorded_by_id": self.users["dispatcher"].id,
            },
            {"default_signed_at": datetime(2026, 3, 2)},
        ):
            with self.assertRaises(UserError):
                Report.with_context(**defaults).create({"order_id": order.id})
        self.assertFalse(order.service_report_ids)
        self.assertIn("no_report", self._reasons(expense))
        # A draft column's quick create still works.
        report = Report.with_context(default_state="draft").create(
            {"order_id": order.id}
        )
        self.assertEqual(report.state, "draft")

    def test_order_cannot_be_created_issued_through_the_context(self):
        """SOP D2: an order is issued by its button (delegation, approvals),
        never created issued or done with stamps preset."""
        Order = self.env["fs.dispatch.order"].with_user(self.users["dispatcher"])
        values = {
            "company_id": self.company.id,
            "partner_id": self.customer.id,
            "purpose": "Health check",
            "content": "Check the servers",
            "engineer_ids": [Command.set(self.lead.ids)],
            "lead_engineer_id": self.lead.id,
        }
        for defaults in (
            {"default_state": "done"},
            {"default_issued_at": datetime(2026, 3, 1)},
            {"default_issued_by_id": self.users["manager"].id},
        ):
            with self.assertRaises(UserError):  # AccessError is one too
                Order.with_context(**defaults).create(values)
        order = Order.with_context(default_state="draft").create(values)
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.issued_at)


@tagged("post_install", "-at_install")
class TestContextDefaultsEmergency(FsEmergencyCommon):
    def test_plan_cannot_be_created_approved_through_the_context(self):
        """SOP D16: the Service Director approves the plan; a dispatcher does
        not create it approved by presetting the state in the context."""
        order = self._emergency_order()
        Plan = self.env["fs.emergency.plan"].with_user(self.users["dispatcher"])
        values = {"order_id": order.id, "items": "Replace failed disks"}
        for defaults in (
            {"default_state": "approved"},
            {"default_approved_by_id": self.users["director"].id},
        ):
            with self.assertRaisesRegex(UserError, "D16"):
                Plan.with_context(**defaults).create(values)
        self.assertFalse(order.emergency_plan_id)
        plan = Plan.with_context(default_state="draft").create(values)
        self.assertEqual(plan.state, "draft")

    def test_checklist_line_cannot_be_created_ticked_through_the_context(self):
        """SOP D12: a line is ticked by an engineer once the order is issued,
        stamped with who and when; the context presets neither."""
        order = self._order()
        Line = self.env["fs.dispatch.checklist.line"].with_user(
            self.users["dispatcher"]
        )
        values = {"order_id": order.id, "name": "Torch"}
        with self.assertRaisesRegex(UserError, "D12"):
            Line.with_context(default_done=True).create(values)
        with self.assertRaisesRegex(UserError, "D12"):
            Line.with_context(default_done_by_id=self.users["engineer"].id).create(
                values
            )
        line = Line.with_context(default_done=False).create(values)
        self.assertFalse(line.done)
        self.assertFalse(line.done_by_id)
