# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SIGNATURE, build_issued_order, build_test_sla_policy


@tagged("post_install", "-at_install")
class TestManagerTour(HttpCase):
    """Issue 12: the demo engineering manager of a fresh `make run` database,
    with nothing but the demo grants, decides an SLA escalation (SOP E4) and
    approves a travel expense the reimbursement gate released (R1, R2), in
    Chinese. His login and his place in the HR chain (the supervisor of the
    engineers) are the demo's on purpose: the test database is installed with
    demo data (scripts/test.sh); the documents are the test's own."""

    def setUp(self):
        super().setUp()
        env = self.env
        env["res.lang"]._activate_lang("zh_CN")
        env["ir.module.module"]._load_module_terms(
            ["hr_expense", "field_service_sop"], ["zh_CN"], overwrite=True
        )
        self.manager = env.ref("field_service_sop.fs_user_manager_demo")
        self.manager.lang = "zh_CN"
        self.company = self.manager.company_id
        engineer_user = new_test_user(
            env,
            login="fs_manager_tour_engineer",
            groups="base.group_user,field_service_sop.group_fs_engineer",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.engineer = env["hr.employee"].create(
            {
                "name": "钱工 Tour Engineer",
                "user_id": engineer_user.id,
                "company_id": self.company.id,
                "parent_id": env.ref("field_service_sop.fs_employee_manager_demo").id,
                "expense_manager_id": self.manager.id,
            }
        )
        self.customer = env["res.partner"].create(
            {"name": "上海浦东测试银行", "is_company": True, "city": "Shanghai"}
        )
        self.contact = env["res.partner"].create(
            {"name": "周经理", "parent_id": self.customer.id}
        )

    def _escalation(self):
        """A breached ticket clock of the engineer, escalated to level 1: his
        supervisor, the demo manager (SOP E3, E4)."""
        env = self.env
        ticket = env["helpdesk.ticket"].create(
            {
                "name": "浦东支行监控录像丢失",
                "description": "<p>没有昨天以前的录像</p>",
                "partner_id": self.contact.id,
                "user_id": self.engineer.user_id.id,
                "company_id": self.company.id,
            }
        )
        policy = build_test_sla_policy(
            env, self.company, name="远程支持 Tour", model="helpdesk.ticket"
        )
        # Relative to now: the browser runs in real time.
        now = fields.Datetime.now()
        timer = (
            env["fs.sla.timer"]
            .sudo()
            .create(
                {
                    "policy_id": policy.id,
                    "res_model": "helpdesk.ticket",
                    "res_id": ticket.id,
                    "company_id": self.company.id,
                    "user_id": self.engineer.user_id.id,
                    "employee_id": self.engineer.id,
                    "start_at": now - timedelta(hours=3),
                    "deadline": now - timedelta(hours=1),
                    "warning_at": now - timedelta(hours=1, minutes=24),
                    "warned_at": now - timedelta(hours=1, minutes=24),
                    "breached_at": now - timedelta(hours=1),
                    "state": "breached",
                    "level": 1,
                }
            )
        )
        escalation = env["fs.escalation"].sudo()._fs_create_escalations([(timer, 1)])
        self.assertEqual(escalation.user_id, self.manager)
        return escalation

    def _released_sheet(self):
        """A travel expense of a signed visit with its maintenance record:
        released by the gate (SOP R1, R2), submitted to the manager."""
        env = self.env
        order = build_issued_order(
            env,
            None,
            None,
            self.customer,
            self.engineer,
            service_type_id=env.ref(
                "field_service_sop.fs_service_type_health_check"
            ).id,
            purpose="巡检",
            content="检查服务器",
            attention_points=False,
        )
        arrival = datetime(2026, 11, 20, 1, 0)
        report = env["fs.service.report"].create(
            {
                "order_id": order.id,
                "arrival_at": arrival,
                "departure_at": arrival + timedelta(hours=2),
                "work_done": "检查磁盘和日志",
                "result": "solved",
                "completed_at": arrival + timedelta(hours=2),
            }
        )
        report.action_customer_sign(
            {
                "rating_attitude": "5",
                "rating_response": "5",
                "rating_effect": "5",
                "rating_overall": "10",
                "signer_id": self.contact.id,
                "signature": SIGNATURE,
            }
        )
        report.maintenance_ticket_id = env["helpdesk.ticket"].create(
            {
                "name": "维护记录：浦东支行服务器",
                "description": "<p>更换了 2 号硬盘</p>",
                "partner_id": self.contact.id,
                "company_id": self.company.id,
            }
        )
        expense = env["hr.expense"].create(
            {
                "name": "出租车 浦东支行",
                "employee_id": self.engineer.id,
                "product_id": env.ref("field_service_sop.product_fs_travel").id,
                "total_amount_currency": 86.0,
                "payment_mode": "own_account",
                "date": datetime(2026, 11, 20).date(),
                "fs_dispatch_order_id": order.id,
            }
        )
        self.assertFalse(expense.fs_suspended)
        sheet = env["hr.expense.sheet"].create(
            {
                "name": "浦东支行巡检差旅",
                "employee_id": self.engineer.id,
                "expense_line_ids": [(6, 0, expense.ids)],
            }
        )
        sheet.action_submit_sheet()
        self.assertEqual(sheet.state, "submit")
        return sheet

    def test_manager_decides_escalation_and_approves_released_travel(self):
        escalation = self._escalation()
        sheet = self._released_sheet()
        self.start_tour("/odoo", "fs_manager_tour", login=self.manager.login)
        self.assertEqual(escalation.state, "acknowledged")
        self.assertEqual(escalation.decided_by_id, self.manager)
        self.assertEqual(escalation.action_plan, "今天 16:00 前由钱工远程恢复录像")
        self.assertEqual(sheet.state, "approve")
        self.assertEqual(sheet.user_id, self.manager)
