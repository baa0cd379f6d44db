# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import FRIDAY_16, FsSlaCommon


@tagged("post_install", "-at_install")
class TestSlaDeadlines(FsSlaCommon):
    def test_e1_working_days_weekend_and_public_holiday(self):
        """SOP E1: 2 working hours from Friday 16:00 skip the weekend and the
        Monday public holiday: due Tuesday 10:00; warned at 80 %."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 9, 0, 0),
                "date_to": datetime(2026, 3, 9, 23, 59, 59),
            }
        )
        policy = self._policy(
            target_value=2, target_unit="hours", calendar_id=self.calendar.id
        )
        with freeze_time(FRIDAY_16):
            timer = self._timer(self._tickets(), policy)
        self.assertEqual(timer.state, "running")
        self.assertEqual(timer.start_at, FRIDAY_16)
        self.assertEqual(timer.target_minutes, 120)
        self.assertEqual(timer.deadline, datetime(2026, 3, 10, 10, 0))
        self.assertEqual(timer.warning_at, datetime(2026, 3, 10, 9, 36))
        self.assertEqual(timer.next_check_at, timer.warning_at)
        self.assertEqual(timer.event_ids.mapped("event"), ["start"])
        # Working days: 2 days x 8 h of the calendar from Friday 16:00.
        days = self._policy(
            target_value=2, target_unit="days", calendar_id=self.calendar.id
        )
        with freeze_time(FRIDAY_16):
            timer = self._timer(self._tickets(), days)
        self.assertEqual(timer.deadline, datetime(2026, 3, 11, 16, 0))

    def test_e1_round_the_clock_and_travel(self):
        """SOP E1: round the clock (no calendar) and "drive time + 1 h"."""
        clock = self._policy(target_value=30)
        days = self._policy(target_value=2, target_unit="days")
        self.customer.fs_travel_minutes = 90
        travel = self._policy(target_type="travel", target_value=1, target_unit="hours")
        with freeze_time(FRIDAY_16):
            ticket = self._tickets()
        self.assertEqual(
            self._timer(ticket, clock).deadline, datetime(2026, 3, 6, 16, 30)
        )
        self.assertEqual(
            self._timer(ticket, days).deadline, datetime(2026, 3, 8, 16, 0)
        )
        timer = self._timer(ticket, travel)
        self.assertEqual(timer.target_minutes, 150)
        self.assertEqual(timer.deadline, datetime(2026, 3, 6, 18, 30))

    def test_e1_pause_resume_shifts_deadline(self):
        """SOP E1: waiting for the customer does not count; the deadline is
        re-planned from the resume with the minutes left."""
        awaiting = self.env["helpdesk.ticket.stage"].create({"name": "Awaiting"})
        policy = self._policy(pause_domain=f'[("stage_id", "=", {awaiting.id})]')
        with freeze_time(datetime(2026, 3, 6, 10, 0)):
            ticket = self._tickets()
        timer = self._timer(ticket, policy)
        first = ticket.stage_id
        with freeze_time(datetime(2026, 3, 6, 10, 20)):
            ticket.stage_id = awaiting
        self.assertEqual(timer.state, "paused")
        self.assertEqual(timer.remaining_minutes, 40)
        self.assertFalse(timer.next_check_at)
        with freeze_time(datetime(2026, 3, 6, 11, 0)):
            self.assertEqual(self._sweep(), 0)
            ticket.stage_id = first
        self.assertEqual(timer.state, "running")
        self.assertEqual(timer.paused_minutes, 40)
        self.assertEqual(timer.deadline, datetime(2026, 3, 6, 11, 40))
        # 80 % of 60 min = 48 min worked: 28 min after the resume.
        self.assertEqual(timer.warning_at, datetime(2026, 3, 6, 11, 28))
        self.assertEqual(timer.event_ids.mapped("event"), ["start", "pause", "resume"])
        with freeze_time(datetime(2026, 3, 6, 11, 30)):
            ticket.stage_id = self.closed_stage
        self.assertEqual(timer.state, "met")
        self.assertTrue(timer.attained)
        self.assertEqual(timer.duration_minutes, 50)

    def test_e1_recompute_on_policy_change_running_only(self):
        """Changing the target re-plans running timers; met ones keep their
        history."""
        policy = self._policy()
        with freeze_time(datetime(2026, 3, 6, 9, 0)):
            late = self._tickets()
        with freeze_time(datetime(2026, 3, 6, 10, 0)):
            running, done = self._tickets(2)
        with freeze_time(datetime(2026, 3, 6, 10, 30)):
            done.stage_id = self.closed_stage
        met = self._timer(done, policy)
        self.assertEqual(met.state, "met")
        breached = self._timer(late, policy)
        with freeze_time(datetime(2026, 3, 6, 10, 40)):
            self._sweep()
            self.assertEqual(breached.state, "breached")
            policy.with_user(self.users["manager"]).target_value = 120
        self.assertEqual(breached.state, "breached")
        self.assertEqual(breached.deadline, datetime(2026, 3, 6, 10, 0))
        self.assertEqual(breached.target_minutes, 60)
        timer = self._timer(running, policy)
        self.assertEqual(timer.deadline, datetime(2026, 3, 6, 12, 0))
        self.assertEqual(timer.target_minutes, 120)
        self.assertIn("recompute", timer.event_ids.mapped("event"))
        self.assertEqual(met.deadline, datetime(2026, 3, 6, 11, 0))
        self.assertNotIn("recompute", met.event_ids.mapped("event"))

    def test_e1_recompute_on_calendar_change_running_only(self):
        """A public holiday added later moves running deadlines only."""
        policy = self._policy(
            target_value=2, target_unit="hours", calendar_id=self.calendar.id
        )
        with freeze_time(FRIDAY_16):
            running, done = self._tickets(2)
        with freeze_time(datetime(2026, 3, 6, 16, 30)):
            done.stage_id = self.closed_stage
        timer, met = self._timer(running, policy), self._timer(done, policy)
        self.assertEqual(timer.deadline, datetime(2026, 3, 9, 10, 0))
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 9, 0, 0),
                "date_to": datetime(2026, 3, 9, 23, 59, 59),
            }
        )
        self.assertEqual(timer.deadline, datetime(2026, 3, 10, 10, 0))
        self.assertEqual(met.deadline, datetime(2026, 3, 9, 10, 0))
        self.assertEqual(met.state, "met")


@tagged("post_install", "-at_install")
class TestSlaSweep(FsSlaCommon):
    def test_e3_e4_warning_breach_escalation_levels(self):
        """SOP E3: warned at 80 %, breached at the deadline, both notify the
        responsible and the supervisor; SOP E4: one level per interval."""
        policy = self._policy()
        with freeze_time(datetime(2026, 3, 6, 10, 0)):
            ticket = self._tickets()
        timer = self._timer(ticket, policy)
        self.assertEqual(timer.employee_id, self.lead)
        with freeze_time(datetime(2026, 3, 6, 10, 47)):
            self.assertEqual(self._sweep(), 0)
        self.assertEqual(timer.state, "running")
        Activity = self.env["mail.activity"]
        domain = [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        with freeze_time(datetime(2026, 3, 6, 10, 48)):
            self.assertEqual(self._sweep(), 1)
            # Idempotent: the same instant again does nothing.
            self.assertEqual(self._sweep(), 0)
        self.assertEqual(timer.state, "warning")
        self.assertEqual(timer.next_check_at, timer.deadline)
        self.assertEqual(
            set(Activity.search(domain).user_id.ids),
            {self.users["engineer"].id, self.users["manager"].id},
        )
        mails = self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertTrue(mails)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        with freeze_time(datetime(2026, 3, 6, 11, 0)):
            self.assertEqual(self._sweep(), 1)
            self.assertEqual(self._sweep(), 0)
        self.assertEqual(timer.state, "breached")
        self.assertEqual(timer.breached_at, datetime(2026, 3, 6, 11, 0))
        self.assertEqual(timer.level, 0)
        self.assertEqual(timer.next_check_at, datetime(2026, 3, 6, 11, 30))
        self.assertEqual(len(Activity.search(domain)), 4)
        for level, instant in enumerate(
            (
                datetime(2026, 3, 6, 11, 30),
                datetime(2026, 3, 6, 12, 0),
                datetime(2026, 3, 6, 12, 30),
            ),
            start=1,
        ):
            with freeze_time(instant):
                self.assertEqual(self._sweep(), 1)
                self.assertEqual(self._sweep(), 0)
            self.assertEqual(timer.level, level)
            self.assertEqual(
                sorted(timer.escalation_ids.mapped("level")), list(range(1, level + 1))
            )
        self.assertFalse(timer.next_check_at)
        with freeze_time(datetime(2026, 3, 7, 12, 0)):
            self.assertEqual(self._sweep(), 0)
        self.assertEqual(
            timer.escalation_ids.sorted("level").user_id,
            self.users["manager"] | self.users["rd_manager"] | self.users["director"],
        )
        self.assertEqual(
            timer.event_ids.mapped("event"),
            ["start", "warn", "breach", "escalate", "escalate", "escalate"],
        )
        # Met after the breach: not attained, the history stays.
        ticket.stage_id = self.closed_stage
        self.assertEqual(timer.state, "met")
        self.assertFalse(timer.attained)
        self.assertEqual(timer.breached_at, datetime(2026, 3, 6, 11, 0))

    def _count_sweep(self, count):
        """Queries of the breach sweep and of the level-1 sweep for ``count``
        due timers, everything included: notifications, events and the
        escalations (records, activities, notes, e-mails)."""
        with freeze_time(datetime(2026, 3, 6, 10, 0)):
            self._tickets(count)
        self.env.flush_all()
        self.env.invalidate_all()
        queries = []
        for instant in (datetime(2026, 3, 6, 11, 0), datetime(2026, 3, 6, 11, 30)):
            with freeze_time(instant):
                before = self.cr.sql_log_count
                self.assertEqual(self._sweep(), count)
                self.env.flush_all()
                queries.append(self.cr.sql_log_count - before)
                self.env.invalidate_all()
        timers = self.Timer.search([("start_at", "=", datetime(2026, 3, 6, 10, 0))])
        self.assertEqual(
            len(timers.escalation_ids.filtered(lambda e: e.level == 1)), count
        )
        timers.unlink()
        return queries

    def test_e4_sweep_queries_constant_per_batch(self):
        """Scale: the sweep's queries do not grow with the timers due (breach,
        then level 1), and nothing due costs at most 2 queries."""
        self._policy()
        self.env.flush_all()
        with freeze_time(datetime(2026, 3, 6, 9, 0)), self.assertQueryCount(2):
            self.assertEqual(self._sweep(), 0)
        self._count_sweep(2)  # warm the caches (ir.model ids, templates)
        five = self._count_sweep(5)
        fifty = self._count_sweep(50)
        # [breach sweep, level-1 escalation sweep]
        self.assertEqual(five, fifty)


@tagged("post_install", "-at_install")
class TestSlaMixinAndRights(FsSlaCommon):
    def test_mixin_ticket_order_report_state_changes(self):
        """The documents start and stop their clocks through their normal
        moves: ticket closed (E1), order issued -> accepted (D10), report
        entered (S8); order cancel cancels."""
        ticket_policy = self._policy()
        order_policy = self._policy(
            "fs.dispatch.order",
            start_domain='[("state", "=", "issued")]',
            start_field_id=self.env.ref(
                "field_service_sop.field_fs_dispatch_order__issued_at"
            ).id,
            stop_domain='[("state", "=", "accepted")]',
            cancel_domain='[("state", "=", "cancelled")]',
        )
        report_policy = self._policy(
            "fs.service.report",
            rule_ref="S8",
            stop_domain='[("state", "=", "to_sign")]',
            target_value=48,
            target_unit="hours",
        )
        ticket = self._tickets()
        ticket_timer = self._timer(ticket, ticket_policy)
        self.assertEqual(ticket_timer.user_id, self.users["engineer"])
        ticket.stage_id = self.closed_stage
        self.assertEqual(ticket_timer.state, "met")

        order = self._order(ticket_id=ticket.id)
        self.assertFalse(self._timer(order, order_policy))
        order.with_user(self.users["manager"]).action_issue()
        order_timer = self._timer(order, order_policy)
        self.assertEqual(order_timer.state, "running")
        self.assertEqual(order_timer.start_at, order.issued_at)
        self.assertEqual(order_timer.employee_id, self.lead)
        self.assertEqual(order_timer.user_id, self.users["engineer"])
        as_lead = order.with_user(self.users["engineer"])
        as_lead.write(
            {
                "contact_at": datetime(2026, 3, 2, 8, 0),
                "appointment_at": datetime(2026, 3, 2, 9, 0),
                "customer_preparation": "Rack key",
            }
        )
        as_lead.action_accept()
        self.assertEqual(order_timer.state, "met")

        other = self._order()
        other.with_user(self.users["manager"]).action_issue()
        other.with_user(self.users["manager"]).action_cancel()
        self.assertEqual(self._timer(other, order_policy).state, "cancelled")

        report = self._report()
        report_timer = self._timer(report, report_policy)
        self.assertEqual(report_timer.state, "running")
        self.assertEqual(report_timer.employee_id, self.lead)
        self._complete(report).with_user(self.users["engineer"]).action_to_sign()
        self.assertEqual(report_timer.state, "met")
        self.assertEqual(report.fs_sla_status, "met")
        Report = self.env["fs.service.report"]
        self.assertIn(report, Report.search([("fs_sla_status", "=", "met")]))
        self.assertNotIn(report, Report.search([("fs_sla_status", "=", "running")]))
        self.assertEqual(report.fs_sla_timer_count, 1)

    def test_rpc_writes_refused(self):
        """Nobody but the system writes timers and their events (E3-E5)."""
        policy = self._policy()
        timer = self._timer(self._tickets(), policy)
        event = timer.event_ids
        for role in ("engineer", "dispatcher", "manager"):
            user = self.users[role]
            self.assertEqual(timer.with_user(user).state, "running")
            with self.assertRaises(AccessError):
                timer.with_user(user).write({"deadline": datetime(2030, 1, 1)})
            with self.assertRaises(AccessError):
                timer.with_user(user).write({"state": "met"})
            with self.assertRaises(AccessError):
                timer.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.Timer.with_user(user).create(
                    {"policy_id": policy.id, "res_model": "x", "res_id": 1}
                )
            with self.assertRaises(AccessError):
                event.with_user(user).write({"note": "forged"})
            with self.assertRaises(AccessError):
                event.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.env["fs.sla.timer.event"].with_user(user).create(
                    {"timer_id": timer.id, "event": "met"}
                )
        # Not even an Odoo administrator outside the system methods.
        admin = self.env.ref("base.user_admin")
        with self.assertRaises(AccessError):
            timer.with_user(admin).write({"deadline": datetime(2030, 1, 1)})
        with self.assertRaises(AccessError):
            event.with_user(admin).write({"note": "forged"})
        self.assertEqual(timer.state, "running")
        # Managers manage policies; engineers only read them.
        with self.assertRaises(AccessError):
            policy.with_user(self.users["engineer"]).write({"target_value": 5})
        policy.with_user(self.users["manager"]).write({"target_value": 5})
        # The clocks go with their document.
        ticket = self._tickets()
        timer = self._timer(ticket, policy)
        ticket.unlink()
        self.assertFalse(timer.exists())
