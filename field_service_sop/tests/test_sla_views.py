# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools.safe_eval import safe_eval

from .common import FsDispatchCommon

DOMAIN_FIELDS = (
    "applies_domain",
    "start_domain",
    "stop_domain",
    "pause_domain",
    "cancel_domain",
)
DEFAULT_POLICIES = {
    # xml id: (rule, document model)
    "fs_sla_policy_response": ("E1", "helpdesk.ticket"),
    "fs_sla_policy_remote_support": ("E1", "helpdesk.ticket"),
    "fs_sla_policy_hotline_answer": ("E2", "helpdesk.ticket"),
    "fs_sla_policy_callback": ("D15", "helpdesk.ticket"),
    "fs_sla_policy_verbal_written": ("D5", "fs.dispatch.order"),
    "fs_sla_policy_stationed_onsite": ("E1", "fs.dispatch.order"),
    "fs_sla_policy_severe_onsite": ("E1", "fs.dispatch.order"),
    "fs_sla_policy_onsite": ("E1", "fs.dispatch.order"),
    "fs_sla_policy_spare_parts": ("E1", "fs.dispatch.order"),
    "fs_sla_policy_late_arrival": ("D13", "fs.dispatch.order"),
    "fs_sla_policy_report_entry": ("S8", "fs.service.report"),
    "fs_sla_policy_problem_report": ("S11", "fs.service.report"),
}


def _ref(env, xmlid):
    return env.ref(f"field_service_sop.{xmlid}")


@tagged("post_install", "-at_install")
class TestSlaViews(FsDispatchCommon):
    """SLA screens: policy form, timer actions, smart buttons, default data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Timer = cls.env["fs.sla.timer"]
        cls.ticket_model = cls.env["ir.model"]._get("helpdesk.ticket")

    def _arch(self, model, view_type, user=None):
        env = self.env(user=user) if user else self.env
        views = env[model].get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def _timers(self, record):
        return self.Timer.search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )

    # ------------------------------------------------------------------
    # Policy form
    # ------------------------------------------------------------------
    def test_policy_form_domains_and_target(self):
        """SOP E1: a manager writes a policy in the form: document type,
        domains on that document, target in working time."""
        calendar = self.env.ref("resource.resource_calendar_std")
        with Form(self.env["fs.sla.policy"].with_user(self.users["manager"])) as form:
            form.name = "VIP first response"
            form.rule_ref = "E1"
            form.model_id = self.ticket_model
            form.applies_domain = "[('priority', '=', '3')]"
            form.start_domain = "[]"
            form.stop_domain = "[('user_id', '!=', False)]"
            form.pause_domain = "[('kanban_state', '=', 'blocked')]"
            form.target_value = 45
            form.target_unit = "minutes"
            form.calendar_id = calendar
            self.assertEqual(form.model_name, "helpdesk.ticket")
        policy = form.record
        self.assertEqual(policy.model_name, "helpdesk.ticket")
        self.assertEqual(safe_eval(policy.applies_domain), [("priority", "=", "3")])
        self.assertEqual(safe_eval(policy.stop_domain), [("user_id", "!=", False)])
        self.assertEqual((policy.target_value, policy.target_unit), (45, "minutes"))
        self.assertEqual(policy.calendar_id, calendar)
        # Defaults from the company's settings (SOP E3, E4).
        self.assertEqual(policy.warning_percent, 80)
        self.assertEqual(policy.escalation_interval_minutes, 120)

    def test_policy_form_uses_domain_widgets_on_the_document(self):
        """SOP E1: each condition is edited with the domain editor of the
        policy's own document model."""
        arch = self._arch("fs.sla.policy", "form", self.users["manager"])
        for name in DOMAIN_FIELDS:
            (node,) = arch.xpath(f"//field[@name='{name}']")
            self.assertEqual(node.get("widget"), "domain", name)
            self.assertEqual(safe_eval(node.get("options")), {"model": "model_name"})
        self.assertTrue(arch.xpath("//field[@name='target_value']"))
        self.assertTrue(arch.xpath("//field[@name='target_unit']"))
        self.assertTrue(arch.xpath("//field[@name='calendar_id']"))

    # ------------------------------------------------------------------
    # Timer actions and views
    # ------------------------------------------------------------------
    def test_timer_actions_domains_and_group_bys(self):
        """SOP E3, E4: lists of warnings and breaches now, the attainment
        analysis by policy, team, engineer and month."""
        warning = _ref(self.env, "fs_sla_timer_action_warning")
        breached = _ref(self.env, "fs_sla_timer_action_breached")
        attainment = _ref(self.env, "fs_sla_timer_action_attainment")
        everything = _ref(self.env, "fs_sla_timer_action")
        self.assertEqual(warning.name, "Warnings Now")
        self.assertEqual(safe_eval(warning.domain), [("state", "=", "warning")])
        self.assertEqual(safe_eval(warning.context), {"search_default_group_policy": 1})
        self.assertEqual(breached.name, "Breaches Now")
        self.assertEqual(safe_eval(breached.domain), [("state", "=", "breached")])
        self.assertEqual(attainment.name, "SLA Attainment")
        self.assertEqual(attainment.view_mode.split(",")[:2], ["pivot", "graph"])
        self.assertEqual(
            safe_eval(attainment.domain), [("state", "in", ("met", "breached"))]
        )
        self.assertEqual(everything.name, "SLA Timers")
        self.assertEqual(safe_eval(everything.context), {"search_default_running": 1})
        search = self._arch("fs.sla.timer", "search")
        group_bys = {
            node.get("name"): safe_eval(node.get("context"))["group_by"]
            for node in search.xpath("//filter[@context]")
        }
        for name, group_by in {
            "group_policy": "policy_id",
            "group_state": "state",
            "group_level": "level",
            "group_employee": "employee_id",
            "group_team": "team_id",
            "group_month": "start_at:month",
        }.items():
            self.assertEqual(group_bys.get(name), group_by)
        filters = set(search.xpath("//filter/@name"))
        self.assertTrue(
            {"running", "warning", "breached", "met", "mine", "my_team"} <= filters
        )
        pivot = self._arch("fs.sla.timer", "pivot")
        self.assertEqual(pivot.get("string"), "SLA Attainment")
        self.assertEqual(pivot.xpath("//field[@type='row']/@name"), ["policy_id"])
        # Labelled values (issue 12), not a boolean's "true/false".
        self.assertEqual(pivot.xpath("//field[@type='col']/@name"), ["attainment"])
        graph = self._arch("fs.sla.timer", "graph")
        self.assertEqual(graph.get("string"), "SLA Attainment")
        self.assertEqual(graph.xpath("//field/@name"), ["policy_id", "attainment"])

    def test_timer_filters_search(self):
        """SOP E3, E4: every filter and group-by of the timer search runs."""
        search = self._arch("fs.sla.timer", "search")
        Timer = self.Timer.with_user(self.users["manager"])
        for node in search.xpath("//filter[@domain]"):
            domain = safe_eval(node.get("domain"), {"uid": self.users["manager"].id})
            Timer.search(domain)
        for node in search.xpath("//filter[@context]"):
            group_by = safe_eval(node.get("context"))["group_by"]
            Timer.read_group([], ["__count"], [group_by])

    def test_timer_views_read_only(self):
        """SOP E3: nobody edits a timer from the screens: events and
        escalations are shown in tabs, with the chatter."""
        form = self._arch("fs.sla.timer", "form", self.users["manager"])
        self.assertEqual(form.get("create"), "0")
        self.assertEqual(form.get("edit"), "0")
        self.assertEqual(form.get("delete"), "0")
        pages = set(form.xpath("//notebook/page/@name"))
        self.assertEqual(pages, {"events", "escalations"})
        self.assertTrue(form.xpath("//field[@name='event_ids']"))
        self.assertTrue(form.xpath("//field[@name='escalation_ids']"))
        listing = self._arch("fs.sla.timer", "list", self.users["manager"])
        self.assertEqual(listing.get("decoration-danger"), "state == 'breached'")
        self.assertEqual(listing.get("decoration-warning"), "state == 'warning'")
        self.assertEqual(listing.get("create"), "0")

    def test_menus(self):
        """SOP E3-E5: SLA menu with warnings, breaches, escalations and
        attainment; the policies under Configuration, for managers."""
        root = _ref(self.env, "fs_sla_menu")
        self.assertEqual(root.parent_id, _ref(self.env, "fs_menu_root"))
        actions = {menu.action for menu in root.child_id}
        for xmlid in (
            "fs_sla_timer_action_warning",
            "fs_sla_timer_action_breached",
            "fs_sla_timer_action_attainment",
            "fs_escalation_action",
        ):
            self.assertIn(_ref(self.env, xmlid), actions)
        policies = _ref(self.env, "fs_sla_policy_menu")
        self.assertEqual(policies.parent_id, _ref(self.env, "fs_menu_configuration"))
        self.assertEqual(policies.groups_id, _ref(self.env, "group_fs_manager"))
        menus = (
            self.env["ir.ui.menu"].with_user(self.users["engineer"])._visible_menu_ids()
        )
        self.assertIn(root.id, menus)
        self.assertNotIn(policies.id, menus)

    # ------------------------------------------------------------------
    # Smart buttons on the documents
    # ------------------------------------------------------------------
    def test_smart_button_on_ticket(self):
        """SOP E1: the ticket shows its SLA clocks (button and badge) to the
        field-service roles; the button opens exactly its timers."""
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Printer down", "description": "<p>Jam</p>", "user_id": False}
        )
        timers = self._timers(ticket)
        self.assertTrue(timers)
        self.assertEqual(ticket.fs_sla_timer_count, len(timers))
        self.assertEqual(ticket.fs_sla_status, "running")
        action = ticket.action_view_fs_sla_timers()
        self.assertEqual(self.Timer.search(action["domain"]), timers)
        form = self._arch("helpdesk.ticket", "form")
        (button,) = form.xpath("//button[@name='action_view_fs_sla_timers']")
        self.assertTrue(button.xpath(".//field[@name='fs_sla_timer_count']"))
        self.assertTrue(form.xpath("//header/field[@name='fs_sla_status']"))
        search = self._arch("helpdesk.ticket", "search")
        (node,) = search.xpath("//filter[@name='fs_sla_breached']")
        self.assertEqual(
            safe_eval(node.get("domain")), [("fs_sla_status", "=", "breached")]
        )
        self.assertFalse(
            self.env["helpdesk.ticket"].search(
                [("fs_sla_status", "=", "breached"), ("id", "=", ticket.id)]
            )
        )

    def test_smart_button_hidden_from_other_users(self):
        """SOP E3: users outside the field service (no access to timers) do
        not get the SLA button or badge on tickets."""
        helpdesk_user = new_test_user(
            self.env,
            login="fs_unit_helpdesk",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        form = self._arch("helpdesk.ticket", "form", helpdesk_user)
        self.assertFalse(form.xpath("//button[@name='action_view_fs_sla_timers']"))
        self.assertFalse(form.xpath("//field[@name='fs_sla_status']"))

    def test_smart_buttons_on_order_and_report(self):
        """SOP D5, S8: dispatch orders and service reports carry the same
        SLA button, badge and "SLA Breached" filter."""
        for model in ("fs.dispatch.order", "fs.service.report"):
            form = self._arch(model, "form", self.users["engineer"])
            (button,) = form.xpath("//button[@name='action_view_fs_sla_timers']")
            self.assertIn("oe_stat_button", button.get("class"))
            self.assertTrue(form.xpath("//header/field[@name='fs_sla_status']"))
            search = self._arch(model, "search", self.users["engineer"])
            self.assertTrue(search.xpath("//filter[@name='fs_sla_breached']"), model)
        order = self._order()
        order.with_user(self.users["manager"]).action_issue_verbal()
        timers = self._timers(order)
        verbal = _ref(self.env, "fs_sla_policy_verbal_written")
        self.assertIn(verbal, timers.policy_id)
        self.assertEqual(order.fs_sla_timer_count, len(timers))
        action = order.with_user(self.users["engineer"]).action_view_fs_sla_timers()
        self.assertEqual(self.Timer.search(action["domain"]), timers)

    # ------------------------------------------------------------------
    # Default data
    # ------------------------------------------------------------------
    def test_default_policies(self):
        """SOP E1, E2, D5, D13, D15, S8, S11: the default policies exist,
        cite their rule, describe themselves, and are not overwritten on
        upgrade (noupdate)."""
        IrData = self.env["ir.model.data"]
        rules = set()
        for xmlid, (rule, model) in DEFAULT_POLICIES.items():
            policy = _ref(self.env, xmlid)
            rules.add(policy.rule_ref)
            self.assertEqual(policy.rule_ref, rule, xmlid)
            self.assertEqual(policy.model_name, model, xmlid)
            self.assertTrue(policy.description and policy.active, xmlid)
            data = IrData.search(
                [("module", "=", "field_service_sop"), ("name", "=", xmlid)]
            )
            self.assertTrue(data.noupdate, xmlid)
            for name in DOMAIN_FIELDS:  # valid on the document model
                self.env[model].search_count(safe_eval(policy[name] or "[]"))
        self.assertTrue({"E1", "E2", "D5", "S8", "S11"} <= rules)
        minutes = {
            xmlid: _ref(self.env, xmlid)._fs_target_minutes(self.env["res.partner"])
            for xmlid in DEFAULT_POLICIES
        }
        self.assertEqual(minutes["fs_sla_policy_response"], 30)
        self.assertEqual(minutes["fs_sla_policy_remote_support"], 60)
        self.assertEqual(minutes["fs_sla_policy_hotline_answer"], 180)
        self.assertEqual(minutes["fs_sla_policy_callback"], 120)
        self.assertEqual(minutes["fs_sla_policy_stationed_onsite"], 10)
        self.assertEqual(minutes["fs_sla_policy_onsite"], 24 * 60)
        self.assertEqual(minutes["fs_sla_policy_verbal_written"], 24 * 60)
        self.assertEqual(minutes["fs_sla_policy_report_entry"], 48 * 60)
        self.assertEqual(minutes["fs_sla_policy_problem_report"], 24 * 60)
        std = self.env.ref("resource.resource_calendar_std")
        spare = _ref(self.env, "fs_sla_policy_spare_parts")
        self.assertEqual((spare.target_value, spare.target_unit), (2, "days"))
        self.assertEqual(spare.calendar_id, std)
        self.assertEqual(minutes["fs_sla_policy_spare_parts"], 2 * 8 * 60)
        severe = _ref(self.env, "fs_sla_policy_severe_onsite")
        self.assertEqual((severe.target_type, severe.target_value), ("travel", 60))
        site = self.env["res.partner"].create({"name": "Far", "fs_travel_minutes": 95})
        self.assertEqual(severe._fs_target_minutes(site), 155)
        self.assertTrue(_ref(self.env, "fs_sla_policy_stationed_onsite").stationed_only)
        round_the_clock = set(DEFAULT_POLICIES) - {
            "fs_sla_policy_spare_parts",
            "fs_sla_policy_hotline_answer",
        }
        for xmlid in round_the_clock:
            self.assertFalse(_ref(self.env, xmlid).calendar_id, xmlid)

    def test_default_policies_measure_the_documents(self):
        """SOP E1, S8, S11: the default domains start and stop the clocks of
        real documents: a ticket's response met on assignment, a report's
        entry met when it leaves draft, its problem report started on
        resolution."""
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Slow server", "description": "<p>Slow</p>", "user_id": False}
        )
        response = _ref(self.env, "fs_sla_policy_response")
        timer = self._timers(ticket).filtered(lambda t: t.policy_id == response)
        self.assertEqual(timer.state, "running")
        self.assertEqual(timer.start_at, ticket.create_date)
        ticket.user_id = self.users["engineer"]
        self.assertEqual(timer.state, "met")
        health_check = self.env.ref("field_service_sop.fs_service_type_health_check")
        order = self._order(service_type_id=health_check.id)
        order.with_user(self.users["manager"]).action_issue()
        departure = fields.Datetime.now() - timedelta(hours=3)
        report = (
            self.env["fs.service.report"]
            .with_user(self.users["engineer"])
            .create(
                {
                    "order_id": order.id,
                    "arrival_at": departure - timedelta(hours=2),
                    "departure_at": departure,
                    "completed_at": departure - timedelta(minutes=10),
                    "work_done": "Checked",
                    "result": "solved",
                }
            )
        )
        by_policy = {t.policy_id: t for t in self._timers(report)}
        entry = by_policy[_ref(self.env, "fs_sla_policy_report_entry")]
        problem = by_policy[_ref(self.env, "fs_sla_policy_problem_report")]
        self.assertEqual(entry.start_at, departure)
        self.assertEqual(entry.deadline, departure + timedelta(hours=48))
        self.assertEqual(problem.deadline, report.completed_at + timedelta(hours=24))
        report.with_user(self.users["engineer"]).action_to_sign()
        self.assertEqual(entry.state, "met")
        self.assertTrue(entry.attained)
        self.assertEqual(problem.state, "running")

    def test_sweep_cron(self):
        """SOP E3, E4: one scheduled action sweeps the timers every 5 minutes."""
        cron = _ref(self.env, "ir_cron_fs_sla_sweep")
        self.assertEqual(cron.model_id.model, "fs.sla.timer")
        self.assertEqual(cron.code.strip(), "model._cron_fs_sla_sweep()")
        self.assertEqual((cron.interval_number, cron.interval_type), (5, "minutes"))
        self.assertTrue(cron.active)


@tagged("post_install", "-at_install")
class TestSlaDemoStory(TransactionCase):
    """The demo tells the SLA story (issue 6, "Done when": demo data shows
    running, warned, breached, escalated and met timers, SOP E1-E4, S8).

    This one test reads the demo records on purpose: the module is tested
    on a database with demo data, and a missing demo record must fail here,
    not skip.
    """

    def _timer(self, xmlid, policy):
        record = self.env.ref(f"field_service_sop.{xmlid}")
        return self.env["fs.sla.timer"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("policy_id", "=", _ref(self.env, policy).id),
            ]
        )

    def test_demo_shows_every_state(self):
        """SOP E1, E3, E4, S8: each state of the story is there, reached
        through the engine's own sweep."""
        running = self._timer(
            "fs_dispatch_order_verbal_demo", "fs_sla_policy_verbal_written"
        )
        self.assertEqual(running.state, "running")
        warned = self._timer(
            "fs_service_report_sla_warning_demo", "fs_sla_policy_report_entry"
        )
        self.assertEqual(warned.state, "warning")
        self.assertIn("warn", warned.event_ids.mapped("event"))
        breached = self._timer(
            "fs_helpdesk_ticket_sla_breached_demo", "fs_sla_policy_response"
        )
        self.assertEqual(breached.state, "breached")
        self.assertIn("breach", breached.event_ids.mapped("event"))
        escalated = self._timer(
            "fs_service_report_sla_breached_demo", "fs_sla_policy_report_entry"
        )
        self.assertEqual(escalated.state, "breached")
        self.assertGreaterEqual(escalated.level, 1)
        self.assertIn("escalate", escalated.event_ids.mapped("event"))
        level_1 = escalated.escalation_ids.filtered(lambda e: e.level == 1)
        self.assertEqual(level_1.user_id, _ref(self.env, "fs_user_manager_demo"))
        ticket = self._timer(
            "fs_helpdesk_ticket_sla_escalated_demo", "fs_sla_policy_remote_support"
        )
        self.assertEqual(ticket.state, "breached")
        self.assertTrue(ticket.escalation_ids)
        met = self._timer("fs_helpdesk_ticket_sla_met_demo", "fs_sla_policy_response")
        self.assertEqual(met.state, "met")
        self.assertTrue(met.attained)
        called_back = self._timer(
            "fs_helpdesk_ticket_sla_phone_demo", "fs_sla_policy_callback"
        )
        self.assertEqual(called_back.state, "met")
        states = set(self.env["fs.sla.timer"].search([]).mapped("state"))
        self.assertTrue({"running", "warning", "breached", "met"} <= states)


@tagged("post_install", "-at_install")
class TestSlaBreachesTour(HttpCase):
    def test_manager_reads_breaches(self):
        """SOP E3, E4 in the browser: a manager opens SLA > Breaches Now,
        groups by policy, opens a breached timer and reads its events."""
        new_test_user(
            self.env,
            login="fs_sla_tour_manager",
            groups="base.group_user,field_service_sop.group_fs_manager",
        )
        self.env["fs.sla.policy"].create(
            {
                "name": "Tour Response",
                "rule_ref": "E1",
                "model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                "target_value": 30,
                "target_unit": "minutes",
            }
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Tour: ATM offline",
                "description": "<p>Offline</p>",
                "user_id": False,
            }
        )
        with freeze_time(fields.Datetime.now() + timedelta(hours=1)):
            self.env["fs.sla.timer"]._cron_fs_sla_sweep()
        timer = self.env["fs.sla.timer"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("policy_id.name", "=", "Tour Response"),
            ]
        )
        self.assertEqual(timer.state, "breached")
        self.start_tour("/odoo", "fs_sla_breaches_tour", login="fs_sla_tour_manager")
