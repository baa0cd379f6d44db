# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import FsDispatchCommon

APPOINTMENT = datetime(2026, 11, 2, 14, 0)


class VisitCommon(FsDispatchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Own checklist, independent of the shipped data (SOP D12).
        cls.env["fs.checklist.item"].search([]).active = False
        Item = cls.env["fs.checklist.item"]
        cls.item_tools = Item.create({"name": "Tools", "sequence": 1})
        cls.item_parts = Item.create(
            {"name": "Spare parts", "sequence": 2, "company_id": cls.company.id}
        )
        cls.item_other_company = Item.create(
            {"name": "Badge of the other company", "company_id": cls.company_b.id}
        )
        cls.item_archived = Item.create({"name": "Fax machine", "active": False})
        cls.manager = cls.users["manager"]
        cls.eng = cls.users["engineer"]  # the lead engineer's user

    def _issue(self, order=None, **vals):
        order = order or self._order(**vals)
        order.with_user(self.manager).action_issue()
        return order

    def _accept(self, order):
        order.with_user(self.manager).write(
            {"contact_at": datetime(2026, 11, 1, 9, 0), "appointment_at": APPOINTMENT}
        )
        order.with_user(self.manager).action_accept()
        return order

    def _tick_all(self, order):
        order.checklist_line_ids.with_user(self.eng).write({"done": True})

    def _run_to(self, order, state):
        """Move an order through the guarded methods up to ``state``."""
        self._accept(self._issue(order))
        self._tick_all(order)
        as_manager = order.with_user(self.manager)
        as_manager.write({"departed_at": datetime(2026, 11, 2, 13, 0)})
        as_manager.action_depart()
        if state in ("arrived", "done"):
            as_manager.write({"arrived_at": datetime(2026, 11, 2, 13, 55)})
            as_manager.action_arrive()
        if state == "done":
            as_manager.action_done()
        self.assertEqual(order.state, state)
        return order


@tagged("post_install", "-at_install")
class TestDepartureChecklist(VisitCommon):
    def test_d12_issue_copies_active_company_items(self):
        """SOP D12: issuing copies the active shared and own-company items."""
        order = self._issue()
        lines = order.checklist_line_ids
        self.assertEqual(lines.mapped("name"), ["Tools", "Spare parts"])
        self.assertEqual(lines.item_id, self.item_tools | self.item_parts)
        self.assertFalse(any(lines.mapped("done")))
        self.assertEqual(lines.company_id, self.company)
        self.assertFalse(order.checklist_done)

    def test_d12_departure_refused_while_incomplete(self):
        """SOP D12: no departure while an item is unticked, whatever the path."""
        order = self._accept(self._issue())
        as_lead = order.with_user(self.eng)
        with self.assertRaisesRegex(UserError, "Tools, Spare parts"):
            as_lead.action_depart()
        tools = order.checklist_line_ids.filtered(
            lambda x: x.item_id == self.item_tools
        )
        tools.with_user(self.eng).write({"done": True})
        with self.assertRaisesRegex(UserError, r"tick: Spare parts \(SOP D12\)"):
            as_lead.write({"state": "departed"})
        with self.assertRaisesRegex(UserError, "Spare parts"):
            order.with_user(self.manager).action_depart()
        self.assertEqual(order.state, "accepted")
        self.assertFalse(order.departed_at)
        self._tick_all(order)
        self.assertTrue(order.checklist_done)
        with freeze_time("2026-11-02 13:00:00"):
            as_lead.action_depart()
        self.assertEqual(order.state, "departed")
        self.assertEqual(order.departed_at, datetime(2026, 11, 2, 13, 0))

    def test_d12_engineer_ticks_and_is_stamped(self):
        """SOP D12: an engineer on the order ticks; who and when are kept."""
        order = self._issue()
        line = order.checklist_line_ids[0]
        with freeze_time("2026-11-02 12:30:00"):
            line.with_user(self.second_user).write({"done": True})
        self.assertEqual(line.done_by_id, self.second_user)
        self.assertEqual(line.done_at, datetime(2026, 11, 2, 12, 30))
        line.with_user(self.eng).write({"done": False})
        self.assertFalse(line.done_by_id)
        self.assertFalse(line.done_at)
        # Through the order form (one2many command), as the web client saves.
        order.with_user(self.eng).write(
            {"checklist_line_ids": [Command.update(line.id, {"done": True})]}
        )
        self.assertTrue(line.done)
        self.assertEqual(line.done_by_id, self.eng)

    def test_d12_engineer_only_ticks(self):
        """SOP D12: engineers cannot rename, add or delete checklist lines."""
        order = self._issue()
        line = order.checklist_line_ids[0]
        with self.assertRaisesRegex(AccessError, "ask the dispatcher to change: Item"):
            line.with_user(self.eng).write({"name": "Nothing"})
        with self.assertRaisesRegex(AccessError, "recorded by ticking"):
            line.with_user(self.eng).write(
                {"done": True, "done_by_id": self.manager.id}
            )
        with self.assertRaisesRegex(AccessError, "Item"):
            order.with_user(self.eng).write(
                {"checklist_line_ids": [Command.update(line.id, {"name": "Nothing"})]}
            )
        with self.assertRaises(AccessError):
            order.with_user(self.eng).write(
                {"checklist_line_ids": [Command.create({"name": "Coffee"})]}
            )
        with self.assertRaises(AccessError):
            order.with_user(self.eng).write(
                {"checklist_line_ids": [Command.delete(line.id)]}
            )
        with self.assertRaises(AccessError):
            line.with_user(self.eng).unlink()
        self.assertEqual(line.name, "Tools")
        self.assertFalse(line.done)
        self.assertEqual(len(order.checklist_line_ids), 2)
        # The dispatcher adapts the list to the job.
        order.with_user(self.users["dispatcher"]).write(
            {"checklist_line_ids": [Command.create({"name": "Console cable"})]}
        )
        self.assertIn("Console cable", order.checklist_line_ids.mapped("name"))

    def test_d12_engineer_not_on_order_cannot_tick(self):
        """SOP D12: only the order's engineers tick, even if rules are widened."""
        order = self._issue()
        line = order.checklist_line_ids[0]
        outsider = self.users["test_manager"]
        with self.assertRaises(AccessError):
            line.with_user(outsider).write({"done": True})
        # A company that lets every engineer read all orders and lines still
        # keeps the ticking to the engineers on the order.
        engineer_group = self.env.ref("field_service_sop.group_fs_engineer")
        for model in ("fs.dispatch.order", "fs.dispatch.checklist.line"):
            self.env["ir.rule"].create(
                {
                    "name": "read all",
                    "model_id": self.env["ir.model"]._get_id(model),
                    "groups": [Command.link(engineer_group.id)],
                    "domain_force": "[(1, '=', 1)]",
                }
            )
        with self.assertRaisesRegex(AccessError, "not an engineer on"):
            line.with_user(outsider).write({"done": True})
        with self.assertRaisesRegex(AccessError, "not an engineer on"):
            order.with_user(outsider).write(
                {"checklist_line_ids": [Command.update(line.id, {"done": True})]}
            )
        self.assertFalse(line.done)

    def test_d12_no_tick_before_issue_nor_change_after_departure(self):
        """SOP D12: ticked for the trip (once issued), frozen once departed."""
        order = self._order()
        dispatcher = self.users["dispatcher"]
        line = (
            self.env["fs.dispatch.checklist.line"]
            .with_user(dispatcher)
            .create({"order_id": order.id, "name": "Rack key"})
        )
        with self.assertRaisesRegex(UserError, "not issued yet"):
            line.with_user(dispatcher).write({"done": True})
        with self.assertRaisesRegex(UserError, "not issued yet"):
            line.with_user(self.eng).write({"done": True})
        self._issue(order)
        # The dispatcher's line is kept; the catalogue items are added.
        self.assertEqual(
            sorted(order.checklist_line_ids.mapped("name")),
            ["Rack key", "Spare parts", "Tools"],
        )
        self._run_to(order, "departed")
        with self.assertRaisesRegex(UserError, "closed"):
            line.with_user(self.eng).write({"done": False})
        with self.assertRaisesRegex(UserError, "closed"):
            line.with_user(self.manager).write({"name": "Other key"})
        with self.assertRaisesRegex(UserError, "closed"):
            self.env["fs.dispatch.checklist.line"].with_user(self.manager).create(
                {"order_id": order.id, "name": "Late addition"}
            )
        with self.assertRaisesRegex(UserError, "kept as the record"):
            line.with_user(self.manager).unlink()
        self.assertTrue(line.done)

    def test_d12_reissue_checks_again(self):
        """SOP D12: a re-issued order is a new trip: every item is unticked."""
        order = self._issue()
        self._tick_all(order)
        as_manager = order.with_user(self.manager)
        as_manager.action_cancel()
        as_manager.action_reset_draft()
        as_manager.action_issue()
        self.assertEqual(len(order.checklist_line_ids), 2)  # no duplicates
        self.assertFalse(any(order.checklist_line_ids.mapped("done")))

    def test_d12_items_managed_by_managers(self):
        """SOP D12: managers maintain the checklist; engineers only read it."""
        Item = self.env["fs.checklist.item"]
        self.assertIn(self.item_tools, Item.with_user(self.eng).search([]))
        self.assertNotIn(self.item_other_company, Item.with_user(self.eng).search([]))
        for role in ("engineer", "dispatcher"):
            with self.assertRaises(AccessError):
                Item.with_user(self.users[role]).create({"name": "Torch"})
            with self.assertRaises(AccessError):
                self.item_tools.with_user(self.users[role]).write({"name": "X"})
        Item.with_user(self.manager).create({"name": "Torch"})

    def test_d12_shipped_items(self):
        """SOP D12: the module ships tools, parts, forms, media, anti-static, cloth."""
        for xmlid in (
            "tools",
            "spare_parts",
            "service_forms",
            "media",
            "antistatic",
            "cleaning_cloth",
        ):
            item = self.env.ref(f"field_service_sop.fs_checklist_item_{xmlid}")
            self.assertFalse(item.company_id)


@tagged("post_install", "-at_install")
class TestPlannedDeparture(VisitCommon):
    def test_d12_planned_departure_math(self):
        """SOP D12: appointment - travel time (site) - company margin."""
        self.company.fs_departure_margin_minutes = 10
        self.customer.fs_travel_minutes = 45
        order = self._order(appointment_at=APPOINTMENT)
        self.assertEqual(order.planned_departure_at, datetime(2026, 11, 2, 13, 5))
        self.company.fs_departure_margin_minutes = 5
        self.assertEqual(order.planned_departure_at, datetime(2026, 11, 2, 13, 10))
        self.customer.fs_travel_minutes = 90
        self.assertEqual(order.planned_departure_at, datetime(2026, 11, 2, 12, 25))
        # A site with its own travel time wins; one without uses the customer's.
        site = self.env["res.partner"].create(
            {
                "name": "Pudong branch",
                "type": "other",
                "parent_id": self.customer.id,
                "fs_travel_minutes": 30,
            }
        )
        order.site_contact_id = site
        self.assertEqual(order.planned_departure_at, datetime(2026, 11, 2, 13, 25))
        site.fs_travel_minutes = 0
        self.assertEqual(order.planned_departure_at, datetime(2026, 11, 2, 12, 25))
        order.appointment_at = False
        self.assertFalse(order.planned_departure_at)

    def test_d12_travel_time_not_negative(self):
        """SOP D12: a negative travel time is refused."""
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.customer.fs_travel_minutes = -5


@tagged("post_install", "-at_install")
class TestCustomerHistory(VisitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {"name": "Mr Wang", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "West Bank", "is_company": True}
        )
        cls.third = cls.env["hr.employee"].create(
            {"name": "Third Eng", "company_id": cls.company.id}
        )
        # Tickets are read with helpdesk_mgmt's own rights.
        cls.manager.groups_id = [
            Command.link(cls.env.ref("helpdesk_mgmt.group_helpdesk_user").id)
        ]

    def _ticket(self, partner, name="Switch reboots"):
        return self.env["helpdesk.ticket"].create(
            {
                "name": name,
                "description": "<p>Reboots</p>",
                "partner_id": partner.id,
                "company_id": self.company.id,
            }
        )

    def test_d9_installation_params_shared_by_contacts(self):
        """SOP D9: the parameters live on the company and show on the order."""
        self.customer.fs_installation_params = "<p>Core switch S5700, V200R019</p>"
        self.assertIn("S5700", self.contact.fs_installation_params)
        order = self._order(partner_id=self.contact.id)
        self.assertIn("S5700", order.installation_params)

    def test_d9_history_contents(self):
        """SOP D9, D10: previous orders, tickets and engineers of the customer."""
        done = self._run_to(
            self._order(
                engineer_ids=[Command.set((self.lead | self.third).ids)],
            ),
            "done",
        )
        via_contact = self._order(partner_id=self.contact.id)
        self._issue(via_contact)  # issued only: its engineers did not serve yet
        foreign = self._order(partner_id=self.other_customer.id)
        ticket_old = self._ticket(self.customer, "Old")
        ticket_new = self._ticket(self.contact, "New")
        self._ticket(self.other_customer, "Not theirs")
        current = self._order(
            engineer_ids=[Command.set(self.second.ids)],
            lead_engineer_id=self.second.id,
        ).with_user(self.manager)
        self.assertEqual(current.previous_order_ids.ids, [via_contact.id, done.id])
        self.assertNotIn(foreign, current.previous_order_ids)
        self.assertNotIn(current, current.previous_order_ids)
        self.assertEqual(current.partner_ticket_ids.ids, [ticket_new.id, ticket_old.id])
        self.assertEqual(current.previous_engineer_ids, self.lead | self.third)
        # The done order does not count itself as "previous", but its
        # engineers served the customer on it only: none left.
        self.assertFalse(done.with_user(self.manager).previous_engineer_ids)
        self.assertEqual(foreign.with_user(self.manager).previous_order_ids.ids, [])

    def test_d9_engineer_reads_history_within_rights(self):
        """SOP D9, D10: an engineer sees colleagues, and orders they may open."""
        done = self._run_to(
            self._order(engineer_ids=[Command.set((self.lead | self.third).ids)]),
            "done",
        )
        current = self._order()  # lead and second engineer
        as_second = current.with_user(self.second_user)
        # Reading the history (as the form does) never raises: the second
        # engineer was not on the done order, so it is not listed ...
        data = as_second.read(
            ["previous_order_ids", "partner_ticket_ids", "previous_engineer_ids"]
        )[0]
        self.assertNotIn(done.id, data["previous_order_ids"])
        # ... but the engineers who served the customer are (SOP D10).
        self.assertEqual(
            set(data["previous_engineer_ids"]), set((self.lead | self.third).ids)
        )
        # The lead engineer was on it and sees it.
        self.assertIn(done, current.with_user(self.eng).previous_order_ids)

    def test_d9_history_is_batched(self):
        """SOP D9: the history costs the same queries for 1 or many orders."""
        customers = self.env["res.partner"].create(
            [{"name": f"Customer {i}", "is_company": True} for i in range(5)]
        )
        orders = self.env["fs.dispatch.order"]
        for customer in customers:
            self._order(partner_id=customer.id)
            self._ticket(customer)
            orders |= self._order(partner_id=customer.id)
        fnames = ["previous_order_ids", "partner_ticket_ids", "previous_engineer_ids"]

        def count(records):
            records = records.with_user(self.manager)
            self.env.invalidate_all()
            records.mapped("partner_id.commercial_partner_id")  # warm the prefetch
            before = self.env.cr.sql_log_count
            for record in records:
                record.read(fnames)
            return self.env.cr.sql_log_count - before

        count(orders)  # warm the caches that outlive a transaction (rules)
        one = count(orders[:1])
        many = count(orders)
        self.assertEqual(one, many)
        self.assertEqual(len(orders[2].with_user(self.manager).previous_order_ids), 1)

    def test_d9_history_in_the_form_before_saving(self):
        """SOP D9: choosing the customer shows its history at once."""
        earlier = self._order()
        with Form(self.env["fs.dispatch.order"].with_user(self.manager)) as form:
            form.partner_id = self.contact
            self.assertIn(earlier, form.previous_order_ids)
            form.purpose = "Check"
        self.assertEqual(form.record.previous_order_ids, earlier)

    def test_d9_d12_form_views_per_role(self):
        """SOP D9, D12: engineers get the tick-only checklist, no other."""
        Order = self.env["fs.dispatch.order"]
        for role, editable in (("engineer", False), ("dispatcher", True)):
            arch = Order.with_user(self.users[role]).get_view(view_type="form")["arch"]
            self.assertEqual(arch.count('name="checklist_line_ids"'), 1)
            self.assertEqual('create="0"' not in arch, editable)
            self.assertIn('name="previous_order_ids"', arch)
