# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bad input gets a clear message naming what is wrong, never a crash."""

from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import FsReportCommon, build_test_sla_policy

NOW = datetime(2026, 3, 2, 10, 0, 0)


@tagged("post_install", "-at_install")
class TestBadInput(FsReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "chen@eastbank.example.com"

    @contextmanager
    def _refused(self, exception, regex):
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    # ------------------------------------------------------------------
    # Unknown state values
    # ------------------------------------------------------------------
    def test_unknown_state_of_dispatch_order(self):
        """An unknown state is named, with the allowed ones (not a KeyError)."""
        order = self._fs_order().with_user(self.users["dispatcher"])
        with self.assertRaisesRegex(UserError, r"bogus.*Draft.*Issued.*Cancelled"):
            order.write({"state": "bogus"})
        self.assertEqual(order.state, "draft")

    def test_unknown_state_of_service_report(self):
        report = self._fs_report(NOW)
        for user in ("engineer", "dispatcher"):
            with self.assertRaisesRegex(UserError, r"bogus.*To Sign.*Signed"):
                report.with_user(self.users[user]).write({"state": "bogus"})
        with self.assertRaisesRegex(UserError, "is not a state"):
            report.with_user(self.users["dispatcher"]).write({"state": ["draft"]})
        self.assertEqual(report.state, "draft")

    # ------------------------------------------------------------------
    # Ratings written outside the portal (SOP S7, S12)
    # ------------------------------------------------------------------
    def test_rating_out_of_range_named(self):
        report = self._fs_report(NOW).with_user(self.users["engineer"])
        with self.assertRaisesRegex(ValidationError, r"Attitude.*1 to 5.*\b7\b"):
            report.write({"rating_attitude": "7"})
        with self.assertRaisesRegex(ValidationError, r"Overall.*1 to 10.*\b11\b"):
            report.write({"rating_overall": "11"})
        with self.assertRaisesRegex(ValidationError, r"Response Time.*1 to 5"):
            report.write({"rating_response": "0"})
        with self.assertRaisesRegex(ValidationError, r"Effect.*1 to 5"):
            report.write({"rating_effect": "five"})
        self.assertFalse(report.rating_attitude or report.rating_overall)
        # Marks in range are taken, given as text or as numbers.
        with self.assertRaisesRegex(ValidationError, r"Effect.*1 to 5"):
            report.write({"rating_effect": 0})
        report.write({"rating_attitude": "5", "rating_overall": 10})
        self.assertEqual((report.rating_attitude, report.rating_overall), ("5", "10"))

    def test_rating_out_of_range_on_create(self):
        order = self._fs_order()
        order.with_user(self.users["manager"]).action_issue()
        with self.assertRaisesRegex(ValidationError, r"Overall.*1 to 10"):
            self.env["fs.service.report"].with_user(self.users["engineer"]).create(
                {"order_id": order.id, "rating_overall": "99"}
            )

    # ------------------------------------------------------------------
    # Spare parts (SOP S7)
    # ------------------------------------------------------------------
    def test_part_quantity_positive(self):
        """SOP S7: a spare part line counts at least one part."""
        report = self._fs_report(NOW).with_user(self.users["engineer"])
        Part = self.env["fs.service.report.part"].with_user(self.users["engineer"])

        def refused():
            # The savepoint drops the refused row, as the RPC's rollback does.
            return self._refused(ValidationError, "quantity must be more than zero")

        for quantity in (-5, 0):
            with refused():
                Part.create(
                    {
                        "report_id": report.id,
                        "description": "SAS disk",
                        "quantity": quantity,
                    }
                )
        part = Part.create(
            {"report_id": report.id, "description": "SAS disk", "quantity": 2}
        )
        with refused():
            part.write({"quantity": -5})
        with refused():
            report.write({"part_ids": [(0, 0, {"description": "Fan", "quantity": 0})]})
        self.env.invalidate_all()
        self.assertEqual(
            Part.search([("report_id", "=", report.id)]).mapped("quantity"), [2.0]
        )

    # ------------------------------------------------------------------
    # Escalation: extending with a non-date (SOP E4)
    # ------------------------------------------------------------------
    def _escalation(self):
        policy = build_test_sla_policy(self.env, self.company)
        timer = (
            self.env["fs.sla.timer"]
            .sudo()
            .create(
                {
                    "policy_id": policy.id,
                    "res_model": "fs.dispatch.order",
                    "res_id": self._fs_order().id,
                    "company_id": self.company.id,
                    "user_id": self.users["engineer"].id,
                    "employee_id": self.lead.id,
                    "start_at": NOW - timedelta(hours=3),
                    "deadline": NOW - timedelta(hours=1),
                    "breached_at": NOW - timedelta(hours=1),
                    "state": "breached",
                    "level": 1,
                    "next_check_at": NOW,
                }
            )
        )
        return self.env["fs.escalation"].sudo()._fs_create_escalations([(timer, 1)])

    @freeze_time(NOW)
    def test_extend_with_a_non_date(self):
        escalation = self._escalation()
        self.assertEqual(len(escalation), 1)
        for value in ("bogus", "2026-13-45 10:00:00", 42, ["2026-03-03"]):
            with self.assertRaisesRegex(UserError, "not a date"):
                escalation.action_extend(value, "Part arrives")
        self.assertEqual(escalation.state, "open")
        Decide = self.env["fs.escalation.decide"].sudo()
        with self.assertRaisesRegex(UserError, "not a date"):
            Decide.create(
                {
                    "escalation_id": escalation.id,
                    "decision": "extend",
                    "new_deadline": "bogus",
                    "reason": "Part arrives",
                }
            )
        wizard = Decide.create(
            {"escalation_id": escalation.id, "decision": "extend", "reason": "x"}
        )
        with self.assertRaisesRegex(UserError, "not a date"):
            wizard.write({"new_deadline": "tomorrow"})
        # A real date still extends.
        escalation.action_extend(NOW + timedelta(hours=2), "Part arrives")
        self.assertEqual(escalation.state, "extended")
