# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


def _fs_employees(tickets):
    """{(user id, company id): employee} for the tickets' assignees, one search
    (``res.users.employee_ids`` only shows the current companies)."""
    users = tickets.user_id
    if not users:
        return {}
    employees = (
        tickets.env["hr.employee"]
        .sudo()
        .search([("user_id", "in", users.ids)], order="id desc")
    )
    found = {}
    for employee in employees:
        found[(employee.user_id.id, employee.company_id.id)] = employee.id
        found.setdefault((employee.user_id.id, False), employee.id)
    return found


class HelpdeskTicket(models.Model):
    """SLA clocks on tickets: response, remote support, hotline (SOP E1, E2,
    D15); the ticket's assignee is responsible."""

    _inherit = ["helpdesk.ticket", "fs.sla.mixin"]
    _name = "helpdesk.ticket"

    def _fs_sla_values(self):
        employees = _fs_employees(self)
        return {
            ticket.id: {
                "user_id": ticket.user_id.id,
                "employee_id": employees.get(
                    (ticket.user_id.id, ticket.company_id.id),
                    employees.get((ticket.user_id.id, False), False),
                ),
                "team_id": ticket.team_id.id,
                "partner_id": ticket.partner_id.id,
            }
            for ticket in self
        }


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
