# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import FsReportCommon

WINDOW = datetime(2026, 3, 2, 9, 0)
# 10:00 in Shanghai on Monday 2026-03-02 (the engineers' day).
MONDAY_10 = datetime(2026, 3, 2, 2, 0)


@tagged("post_install", "-at_install")
class TestEngineerJobs(FsReportCommon):
    """The engineer's visit on a phone (SOP D7, D10, D12, S7): the new job
    reaches them in Odoo, My Jobs lists it, times are stamped in one tap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engineer = cls.users["engineer"]
        cls.engineer.tz = "Asia/Shanghai"
        cls.todo_type = cls.env.ref("field_service_sop.fs_activity_type_new_job")

    def _new_job(self, **vals):
        values = {"window_start": WINDOW, "window_end": WINDOW + timedelta(hours=4)}
        values.update(vals)
        order = self._order(**values)
        order.with_user(self.users["manager"]).action_issue()
        return order

    def _todos(self, order):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "fs.dispatch.order"),
                ("res_id", "=", order.id),
                ("activity_type_id", "=", self.todo_type.id),
            ]
        )

    # ------------------------------------------------------------------
    # D7: the engineers hear of the job in Odoo
    # ------------------------------------------------------------------
    def test_d7_issue_gives_each_engineer_a_todo(self):
        order = self._new_job()
        todos = self._todos(order)
        self.assertEqual(todos.user_id, self.engineer | self.second_user)
        self.assertEqual(len(todos), 2)
        self.assertTrue(all(order.name in todo.summary for todo in todos))
        # The engineer sees it among their own activities.
        mine = (
            self.env["mail.activity"]
            .with_user(self.engineer)
            .search([("user_id", "=", self.engineer.id), ("res_id", "=", order.id)])
        )
        self.assertEqual(mine, todos.filtered(lambda t: t.user_id == self.engineer))

    def test_d7_notice_in_the_engineers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["field_service_sop"], ["zh_CN"], overwrite=True
        )
        self.engineer.lang = "zh_CN"
        order = self._new_job()
        todos = self._todos(order)
        chinese = todos.filtered(lambda t: t.user_id == self.engineer)
        english = todos - chinese
        self.assertIn("新工单", chinese.summary)
        self.assertIn("New job", english.summary)

    def test_d7_the_todo_closes_when_the_lead_accepts(self):
        with freeze_time(MONDAY_10):
            order = self._new_job()
            as_lead = order.with_user(self.engineer)
            as_lead.action_fs_contacted_now()
            as_lead.action_accept()
        self.assertEqual(order.state, "accepted")
        self.assertFalse(self._todos(order))
        self.assertIn(
            self.todo_type, order.message_ids.mail_activity_type_id
        )  # marked done, kept in the chatter

    def test_d7_a_second_issue_does_not_pile_up_todos(self):
        order = self._new_job()
        order.with_user(self.users["manager"]).action_cancel()
        order.with_user(self.users["manager"]).action_reset_draft()
        order.with_user(self.users["manager"]).action_issue()
        self.assertEqual(len(self._todos(order)), 2)

    # ------------------------------------------------------------------
    # D10: the contact in one tap
    # ------------------------------------------------------------------
    def test_d10_contacted_now_stamps_and_proposes_the_window(self):
        order = self._new_job()
        with freeze_time(MONDAY_10):
            order.with_user(self.engineer).action_fs_contacted_now()
        self.assertEqual(order.contact_at, MONDAY_10)
        self.assertEqual(order.appointment_at, WINDOW)

    def test_d10_contacted_now_keeps_an_agreed_appointment(self):
        order = self._new_job()
        agreed = WINDOW + timedelta(hours=2)
        order.with_user(self.engineer).appointment_at = agreed
        order.with_user(self.engineer).action_fs_contacted_now()
        self.assertEqual(order.appointment_at, agreed)

    def test_d10_contacted_now_without_window_leaves_the_appointment(self):
        order = self._new_job(window_start=False, window_end=False)
        order.with_user(self.engineer).action_fs_contacted_now()
        self.assertTrue(order.contact_at)
        self.assertFalse(order.appointment_at)
        with self.assertRaisesRegex(UserError, "Log the customer contact"):
            order.with_user(self.engineer).action_accept()

    def test_d10_contacted_now_only_by_the_orders_engineers(self):
        order = self._new_job(engineer_ids=[(6, 0, self.lead.ids)])
        with self.assertRaises(AccessError):
            order.with_user(self.second_user).action_fs_contacted_now()
        self.assertFalse(order.contact_at)

    # ------------------------------------------------------------------
    # D12: the checklist in one tap
    # ------------------------------------------------------------------
    def test_d12_all_packed_ticks_every_open_line(self):
        order = self._new_job()
        lines = order.checklist_line_ids
        self.assertGreater(len(lines), 1)
        lines[0].with_user(self.second_user).done = True
        order.with_user(self.engineer).action_fs_checklist_all_done()
        self.assertTrue(all(lines.mapped("done")))
        self.assertEqual(lines[0].done_by_id, self.second_user)
        self.assertEqual((lines - lines[0]).done_by_id, self.engineer)

    def test_d12_all_packed_follows_the_checklist_guards(self):
        order = self._order()
        self.env["fs.dispatch.checklist.line"].create(
            {"order_id": order.id, "name": "Ladder"}
        )
        with self.assertRaisesRegex(UserError, "not issued yet"):
            order.with_user(self.engineer).action_fs_checklist_all_done()
        order.with_user(self.users["manager"]).action_issue()
        with self.assertRaises(AccessError):
            order.with_user(self.plain_user).action_fs_checklist_all_done()
        self.assertFalse(any(order.checklist_line_ids.mapped("done")))

    # ------------------------------------------------------------------
    # My Jobs
    # ------------------------------------------------------------------
    def _my_jobs(self, user, filters):
        """The orders My Jobs shows ``user`` with the search ``filters`` on
        (the action's domain and the search view's filters, as the client)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sop.fs_dispatch_order_action_my_jobs"
        )
        Order = self.env["fs.dispatch.order"].with_user(user)
        arch = etree.fromstring(Order.get_view(False, "search")["arch"])
        domain = safe_eval(action["domain"], {"uid": user.id})
        for name in filters:
            node = arch.xpath(f"//filter[@name='{name}']")[0]
            domain += safe_eval(node.get("domain"), {"uid": user.id})
        return Order.with_context(tz=user.tz).search(domain)

    def test_my_jobs_lists_the_engineers_open_orders_issued_included(self):
        issued = self._new_job()
        accepted = self._new_job()
        with freeze_time(MONDAY_10):
            accepted.with_user(self.engineer).action_fs_contacted_now()
            accepted.with_user(self.engineer).action_accept()
        draft = self._order()
        other = self._new_job(
            engineer_ids=[(6, 0, self.second.ids)], lead_engineer_id=self.second.id
        )
        cancelled = self._new_job()
        cancelled.with_user(self.users["manager"]).action_cancel()
        jobs = self._my_jobs(self.engineer, ["fs_todo"])
        self.assertEqual(jobs, issued | accepted)
        everything = self._my_jobs(self.engineer, [])
        self.assertLessEqual(draft | cancelled, everything)
        self.assertNotIn(other, everything)

    def test_my_jobs_opens_on_the_cards_of_the_open_jobs(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sop.fs_dispatch_order_action_my_jobs"
        )
        self.assertEqual(action["res_model"], "fs.dispatch.order")
        self.assertEqual(action["views"][0][1], "kanban")
        kanban = self.env["ir.ui.view"].browse(action["views"][0][0])
        # Not grouped by state: the phone opens on the jobs, not on an empty
        # draft column; the next job comes first.
        self.assertNotIn("default_group_by", kanban.arch)
        self.assertIn('default_order="job_at', kanban.arch)
        self.assertTrue(safe_eval(action["context"]).get("search_default_fs_todo"))

    def test_the_app_opens_my_jobs_for_engineers_orders_for_dispatchers(self):
        Order = self.env["fs.dispatch.order"]
        engineer_action = Order.with_user(self.engineer).action_fs_open_app()
        dispatcher_action = Order.with_user(
            self.users["dispatcher"]
        ).action_fs_open_app()
        my_jobs = self.env.ref("field_service_sop.fs_dispatch_order_action_my_jobs")
        orders = self.env.ref("field_service_sop.fs_dispatch_order_action")
        self.assertEqual(engineer_action["id"], my_jobs.id)
        self.assertEqual(dispatcher_action["id"], orders.id)

    def test_today_includes_a_new_job_without_appointment(self):
        """The old Today filter needed a confirmed appointment: a job just
        issued for today's window was invisible to its engineer."""
        with freeze_time(MONDAY_10):
            today = self._new_job()
            tomorrow = self._new_job(
                window_start=WINDOW + timedelta(days=1),
                window_end=WINDOW + timedelta(days=1, hours=4),
            )
            unscheduled = self._new_job(window_start=False, window_end=False)
            booked = self._new_job(
                window_start=WINDOW + timedelta(days=3),
                window_end=WINDOW + timedelta(days=3, hours=4),
            )
            booked.with_user(self.engineer).write(
                {"contact_at": MONDAY_10, "appointment_at": MONDAY_10}
            )
            jobs = self._my_jobs(self.engineer, ["today"])
        self.assertIn(today, jobs)
        self.assertIn(unscheduled, jobs)
        self.assertIn(booked, jobs)
        self.assertNotIn(tomorrow, jobs)
        self.assertEqual(
            tomorrow.job_at, WINDOW + timedelta(days=1), "sorted by its window"
        )
        self.assertEqual(booked.job_at, MONDAY_10, "sorted by its appointment")

    # ------------------------------------------------------------------
    # S7: report times in one tap, signer proposed
    # ------------------------------------------------------------------
    def test_s7_departure_and_completion_now(self):
        report = self._fs_report(MONDAY_10 - timedelta(hours=2))
        with freeze_time(MONDAY_10):
            report.with_user(self.engineer).action_fs_departure_now()
            report.with_user(self.engineer).action_fs_completed_now()
        self.assertEqual(report.departure_at, MONDAY_10)
        self.assertEqual(report.completed_at, MONDAY_10)

    def test_s7_ready_to_sign_stamps_the_departure(self):
        arrival = fields.Datetime.now().replace(microsecond=0) - timedelta(hours=1)
        report = self._fs_report(
            arrival, work_done="Checked disks and logs", result="solved"
        )
        report.with_user(self.engineer).action_to_sign()
        self.assertEqual(report.state, "to_sign")
        self.assertGreaterEqual(report.departure_at, arrival)

    def test_s7_ready_to_sign_stamps_no_departure_on_an_empty_report(self):
        report = self._fs_report(MONDAY_10 - timedelta(hours=2))
        with self.assertRaisesRegex(UserError, "the departure, the work done"):
            report.with_user(self.engineer).action_to_sign()
        self.assertFalse(report.departure_at)

    def test_s7_ready_to_sign_keeps_a_typed_departure(self):
        arrival = datetime(2026, 3, 2, 9, 0)
        report = self._fs_report(
            arrival,
            departure_at=arrival + timedelta(hours=1),
            work_done="Checked disks and logs",
            result="solved",
        )
        report.with_user(self.engineer).action_to_sign()
        self.assertEqual(report.departure_at, arrival + timedelta(hours=1))

    def test_s7_now_buttons_follow_the_report_guards(self):
        report = self._fs_report(MONDAY_10 - timedelta(hours=2))
        with self.assertRaises(AccessError):
            report.with_user(self.plain_user).action_fs_departure_now()
        self.assertFalse(report.departure_at)

    def test_s5_the_site_contact_is_proposed_as_signer(self):
        order = self._issued_order(
            arrived_at=None,
            service_type_id=self.health.id,
            site_contact_id=self.contact.id,
        )
        report = self._report(order=order)
        self.assertEqual(report.signer_id, self.contact)

    def test_s5_a_company_site_contact_is_not_proposed(self):
        order = self._issued_order(
            arrived_at=None,
            service_type_id=self.health.id,
            site_contact_id=self.customer.id,
        )
        report = self._report(order=order)
        self.assertFalse(report.signer_id)
