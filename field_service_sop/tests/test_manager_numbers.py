# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Numbers a manager acts on (issue 12.6): ratings, SLA attainment, the
blocked expense report and what a suspended line waits for."""

from datetime import timedelta

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import NOW, FsEscalationCommon, FsExpenseCommon, FsReportCommon

RECORD_TODO = "link the customer's install / maintenance ticket"


@tagged("post_install", "-at_install")
class TestRatingNumbers(FsReportCommon):
    """SOP S7, S12, Q4: only ratings the customer accepted are averaged."""

    def _ratings(self, reports):
        (group,) = self.env["fs.service.report"].read_group(
            [("id", "in", reports.ids)],
            ["rating_average:avg", "rating_overall_score:avg"],
            ["engineer_id"],
        )
        return group

    def test_s12_unrated_and_cancelled_count_nowhere(self):
        """One signed 5/5 visit, one unrated draft, one rated but cancelled
        report: the engineer averages 5 (10 overall), not 1.67."""
        signed = self._complete(self._report())
        signed.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values(
                rating_attitude="5",
                rating_response="5",
                rating_effect="5",
                rating_overall="10",
            )
        )
        draft = self._report()
        cancelled = self._report()
        cancelled.with_user(self.users["engineer"]).write(
            {
                "rating_attitude": "1",
                "rating_response": "1",
                "rating_effect": "1",
                "rating_overall": "1",
            }
        )
        cancelled.with_user(self.users["dispatcher"]).action_cancel()
        self.assertEqual(
            (signed.state, draft.state, cancelled.state),
            ("signed", "draft", "cancelled"),
        )
        reports = signed | draft | cancelled
        self.assertEqual(reports.engineer_id, self.lead)
        group = self._ratings(reports)
        self.assertEqual(group["engineer_id_count"], 3)
        self.assertEqual(group["rating_average"], 5.0)
        self.assertEqual(group["rating_overall_score"], 10.0)
        # Nothing rated and accepted: no average at all, rather than 0.
        group = self._ratings(draft | cancelled)
        self.assertFalse(group["rating_average"])
        self.assertFalse(group["rating_overall_score"])

    def test_s12_phone_confirmed_ratings_count(self):
        """SOP S3: ratings confirmed by phone are the customer's too."""
        report = self._complete(self._report())
        report.with_user(self.users["engineer"]).write(
            {
                "rating_attitude": "4",
                "rating_response": "4",
                "rating_effect": "4",
                "rating_overall": "8",
            }
        )
        report.with_user(self.users["dispatcher"]).write(
            {
                "phone_contact_id": self.contact.id,
                "phone_called_at": NOW,
                "phone_confirmation": "Disk replaced, satisfied",
            }
        )
        report.with_user(self.users["dispatcher"]).action_phone_confirm()
        group = self._ratings(report | self._report())
        self.assertEqual(group["rating_average"], 4.0)
        self.assertEqual(group["rating_overall_score"], 8.0)

    def test_rating_views_label_the_measures(self):
        """The pivot and graph measure the accepted ratings, labelled."""
        Report = self.env["fs.service.report"]
        for view_type in ("pivot", "graph"):
            arch = etree.fromstring(
                Report.get_views([(False, view_type)])["views"][view_type]["arch"]
            )
            measures = arch.xpath("//field[@type='measure']/@name")
            self.assertIn("rating_overall_score", measures)
        fields_ = Report.fields_get(["rating_average", "rating_overall_score"])
        self.assertEqual(fields_["rating_average"]["string"], "Average Rating (1-5)")
        self.assertEqual(
            fields_["rating_overall_score"]["string"], "Overall Score (1-10)"
        )


@tagged("post_install", "-at_install")
class TestSlaAttainmentRate(FsEscalationCommon):
    """SOP E1, Q1: attainment is a rate of the decided timers, in %."""

    def _closed(self, **vals):
        return self._timer(order=self._order(), level=0, **vals)

    def test_e1_attainment_rate_of_decided_timers(self):
        deadline = NOW - timedelta(hours=1)
        in_time = self._closed(
            state="met", breached_at=False, met_at=deadline - timedelta(minutes=5)
        )
        late = self._closed(state="met", met_at=deadline + timedelta(minutes=30))
        breached = self._closed(state="breached")
        running = self._closed(
            state="running", breached_at=False, deadline=NOW + timedelta(hours=1)
        )
        cancelled = self._closed(state="cancelled", breached_at=False)
        self.assertEqual(in_time.attainment_rate, 100.0)
        self.assertEqual(late.attainment_rate, 0.0)
        self.assertEqual(breached.attainment_rate, 0.0)
        timers = in_time | late | breached | running | cancelled
        (group,) = self.env["fs.sla.timer"].read_group(
            [("id", "in", timers.ids)], ["attainment_rate:avg"], ["policy_id"]
        )
        self.assertAlmostEqual(group["attainment_rate"], 100 / 3, places=2)
        # Met in time later: the rate follows.
        breached.sudo().write({"state": "met", "breached_at": False, "met_at": NOW})
        running.sudo().write({"state": "met", "met_at": NOW})
        (group,) = self.env["fs.sla.timer"].read_group(
            [("id", "in", timers.ids)], ["attainment_rate:avg"], ["policy_id"]
        )
        self.assertEqual(group["attainment_rate"], 50.0)
        (group,) = self.env["fs.sla.timer"].read_group(
            [("id", "in", (running | cancelled).ids), ("state", "=", "cancelled")],
            ["attainment_rate:avg"],
            ["policy_id"],
        )
        self.assertFalse(group["attainment_rate"], "nothing decided: no rate")

    def test_e1_attainment_views_show_the_rate(self):
        """The attainment pivot and graph measure the rate, labelled in %."""
        Timer = self.env["fs.sla.timer"]
        string = Timer.fields_get(["attainment_rate"])["attainment_rate"]["string"]
        self.assertEqual(string, "Attainment Rate (%)")
        for view_type in ("pivot", "graph"):
            arch = etree.fromstring(
                Timer.get_views([(False, view_type)])["views"][view_type]["arch"]
            )
            self.assertEqual(
                arch.xpath("//field[@type='measure']/@name"), ["attainment_rate"]
            )
            self.assertFalse(arch.xpath("//field[@name='attained']"))
        action = self.env.ref("field_service_sop.fs_sla_timer_action_attainment")
        self.assertEqual(
            safe_eval(action.context)["pivot_measures"],
            ["attainment_rate", "__count"],
        )


@tagged("post_install", "-at_install")
class TestBlockedExpenseSheet(FsExpenseCommon):
    """SOP R1, R2: a blocked expense report says which line waits for what,
    and offers no Approve button; the server still refuses."""

    def _approve_invisible(self, sheet, user):
        sheet = sheet.with_user(user)
        arch = etree.fromstring(sheet.get_view(view_type="form")["arch"])
        (button,) = arch.xpath("//header/button[@name='action_approve_expense_sheets']")
        names = ("can_approve", "state", "fs_suspended")
        return safe_eval(button.get("invisible"), {n: sheet[n] for n in names})

    def test_r1_blocked_sheet_hides_approve_and_names_the_lines(self):
        report = self._complete_report()
        order = report.order_id
        waiting = self._expense(order=order, name="Train to East Bank")
        free = self._expense(product=self.meal, name="Lunch")
        sheet = self._sheet(waiting | free)
        manager = self.users["exp_manager"]
        self.assertTrue(sheet.fs_suspended)
        self.assertTrue(sheet.with_user(manager).can_approve)
        self.assertTrue(self._approve_invisible(sheet, manager))
        banner = sheet.with_user(manager).fs_suspension_summary
        self.assertIn("Train to East Bank", banner)
        self.assertNotIn("Lunch", banner)
        self.assertIn(
            f"{report.name} of {order.name} waits for the customer's signature",
            banner,
        )
        self.assertIn(RECORD_TODO, banner)
        arch = etree.fromstring(sheet.get_view(view_type="form")["arch"])
        (alert,) = arch.xpath("//div[@name='fs_suspended_alert']")
        self.assertTrue(alert.xpath(".//field[@name='fs_suspension_summary']"))
        # The guard stays on the server (RPC has no buttons).
        with self.assertSuspended():
            sheet.with_user(manager).action_approve_expense_sheets()
        # Signed and recorded: released, the button is back.
        self._sign(report)
        report.with_user(self.users["engineer"]).write(
            {"maintenance_ticket_id": self._ticket().id}
        )
        self.assertFalse(sheet.fs_suspended)
        self.assertFalse(sheet.with_user(manager).fs_suspension_summary)
        self.assertFalse(self._approve_invisible(sheet, manager))

    def test_r1_missing_record_says_what_to_do(self):
        """缺少维护记录 tells the engineer what to link, and where."""
        report = self._complete_report()
        self._sign(report)
        expense = self._expense(order=report.order_id)
        self.assertEqual(self._reasons(expense), {"record_missing"})
        reasons = expense.with_user(self.users["engineer"]).fs_suspension_reasons
        self.assertIn("Maintenance record missing", reasons)
        self.assertIn(RECORD_TODO, reasons)
        self.assertIn(report.name, reasons)
        note = expense.message_ids.filtered(lambda m: "SOP R1" in (m.body or ""))[:1]
        self.assertIn(RECORD_TODO, note.body)
        sheet = self._sheet(expense)
        with self.assertSuspended(RECORD_TODO):
            sheet.with_user(self.users["exp_manager"]).action_approve_expense_sheets()

    def test_r1_each_reason_says_what_to_do(self):
        """No order, no report: the line says what the engineer does next."""
        no_order = self._expense(name="Taxi")
        self.assertIn("cite the dispatch order", no_order.fs_suspension_reasons)
        order = self._issued_order()
        no_report = self._expense(order=order, name="Bus")
        self.assertIn(
            f"the engineer writes the service report of {order.name}",
            no_report.fs_suspension_reasons,
        )
