# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SLA clocks on the addon's own documents (SOP E1, D5, D11, S8, S11).

The tickets' clocks are applied in helpdesk_ticket.py.
"""

from odoo import models


class FsDispatchOrder(models.Model):
    """SLA clocks on dispatch orders: on site, written order, call-back
    (SOP E1, D5, D11); the lead engineer is responsible."""

    _inherit = ["fs.dispatch.order", "fs.sla.mixin"]
    _name = "fs.dispatch.order"

    def _fs_sla_values(self):
        return {
            order.id: {
                "user_id": order.lead_engineer_id.user_id.id,
                "employee_id": order.lead_engineer_id.id,
                "team_id": order.ticket_id.team_id.id,
                "partner_id": order.partner_id.id,
            }
            for order in self
        }


class FsServiceReport(models.Model):
    """SLA clocks on service reports: report entry, problem report (SOP S8,
    S11); the report's engineer is responsible."""

    _inherit = ["fs.service.report", "fs.sla.mixin"]
    _name = "fs.service.report"

    def _fs_sla_values(self):
        return {
            report.id: {
                "user_id": report.engineer_id.user_id.id,
                "employee_id": report.engineer_id.id,
                "team_id": report.order_id.ticket_id.team_id.id,
                "partner_id": report.partner_id.id,
            }
            for report in self
        }
