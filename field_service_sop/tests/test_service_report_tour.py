# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestServiceReportSignTour(HttpCase):
    def test_customer_signs_on_the_engineers_device(self):
        """SOP S2, S5, S12 in the browser: rate, sign, seal."""
        customer = self.env["res.partner"].create(
            {"name": "Tour Sign Customer", "is_company": True}
        )
        signer = self.env["res.partner"].create(
            {"name": "Tour Signer", "parent_id": customer.id}
        )
        engineer = self.env["hr.employee"].create({"name": "Tour Sign Engineer"})
        order = self.env["fs.dispatch.order"].create(
            {
                "partner_id": customer.id,
                "service_type_id": self.env.ref(
                    "field_service_sop.fs_service_type_health_check"
                ).id,
                "purpose": "Health check",
                "content": "Check the servers",
                "engineer_ids": [(6, 0, engineer.ids)],
                "lead_engineer_id": engineer.id,
            }
        )
        order.action_issue()
        report = self.env["fs.service.report"].create(
            {
                "order_id": order.id,
                "arrival_at": datetime(2026, 11, 20, 9, 0),
                "departure_at": datetime(2026, 11, 20, 11, 0),
                "work_done": "Checked disks and logs",
                "result": "solved",
            }
        )
        self.start_tour(
            f"/odoo/fs.service.report/{report.id}",
            "fs_service_report_sign_tour",
            login="admin",
        )
        self.assertEqual(report.state, "signed")
        self.assertEqual(report.signer_id, signer)
        self.assertEqual(report.rating_overall, "9")
        self.assertEqual(report.sign_channel, "device")
        self.assertTrue(report.signature and report.fingerprint)
