# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

# SOP S9: written only by the report's ticket creation and by
# ``action_fs_confirm_found`` (evidence: who confirmed, when).
FS_CONFIRM_FIELDS = {
    "fs_confirm_state",
    "fs_confirmed_by_id",
    "fs_confirmed_date",
    "fs_confirm_activity_id",
}


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
    """Tickets are a source of dispatch orders (SOP D4).

    SOP S9: problems and requirements found on site become tickets from the
    service report (``fs_found_report_id``); they wait in "To Confirm" for the
    test lead (the company's ``fs_test_lead_id``, else its first active Test
    Manager), who gets an activity and confirms them into the ticket system
    (``action_fs_confirm_found``). Only Test Managers and Engineering Managers
    confirm; the confirmation fields are written by that action only.

    SLA clocks on tickets: response, remote support, hotline (SOP E1, E2,
    D15); the ticket's assignee is responsible.
    """

    _inherit = ["helpdesk.ticket", "fs.sla.mixin"]
    _name = "helpdesk.ticket"

    dispatch_order_ids = fields.One2many("fs.dispatch.order", "ticket_id")
    fs_found_report_id = fields.Many2one(
        "fs.service.report",
        string="Found On Service Report",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
    )
    fs_confirm_state = fields.Selection(
        [("to_confirm", "To Confirm"), ("confirmed", "Confirmed")],
        string="Found on Site",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="SOP S9: a problem found on site waits for the test lead's "
        "confirmation into the ticket system.",
    )
    fs_confirmed_by_id = fields.Many2one(
        "res.users", string="Confirmed By", readonly=True, copy=False
    )
    fs_confirmed_date = fields.Datetime(
        string="Confirmed On", readonly=True, copy=False
    )
    fs_confirm_activity_id = fields.Many2one(
        "mail.activity",
        string="Confirmation Activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    dispatch_order_count = fields.Integer(compute="_compute_dispatch_order_count")

    @api.depends("dispatch_order_ids")
    def _compute_dispatch_order_count(self):
        data = self.env["fs.dispatch.order"]._read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
        )
        counts = {ticket.id: count for ticket, count in data}
        for ticket in self:
            ticket.dispatch_order_count = counts.get(ticket.id, 0)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._fs_check_confirm_write(
                    {name for name, value in vals.items() if value}
                )
        for vals in vals_list:
            if vals.get("fs_found_report_id"):
                vals["fs_confirm_state"] = "to_confirm"  # SOP S9
        tickets = super().create(vals_list)
        tickets.filtered("fs_found_report_id")._fs_ask_test_lead()
        return tickets

    def write(self, vals):
        if not self.env.su:
            self._fs_check_confirm_write(set(vals))
        res = super().write(vals)
        if "partner_id" in vals:
            # SOP S10: a cited maintenance record stays the customer's ticket.
            # Read-only lookup of the reports citing it and their own check
            # (which only reads): the ticket's writer may not read reports.
            self.env["fs.service.report"].sudo().search(
                [("maintenance_ticket_id", "in", self.ids)]
            )._check_maintenance_ticket()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_fs_maintenance_record(self):
        """SOP S10, R1: a ticket cited as a service report's maintenance record
        cannot vanish and leave the report passing the reimbursement gate."""
        # Read-only lookup: whoever deletes the ticket may not read reports.
        reports = (
            self.env["fs.service.report"]
            .sudo()
            .search([("maintenance_ticket_id", "in", self.ids)])
        )
        if not reports:
            return
        readable = reports.with_env(self.env)._filtered_access("read")
        names = f" ({', '.join(readable.mapped('name'))})" if readable else ""
        raise UserError(
            self.env._(
                "%(count)s service report(s) cite this ticket as their "
                "maintenance record (SOP S10)%(names)s: link another record on "
                "the report first.",
                count=len(reports),
                names=names,
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_fs_confirm_found(self):
        """SOP S9: the test lead confirms problems found on site."""
        self._fs_check_confirmer()
        self.check_access("read")
        for ticket in self:
            if ticket.fs_confirm_state != "to_confirm":
                raise UserError(
                    self.env._(
                        "%(ticket)s is not a problem found on site awaiting "
                        "confirmation (SOP S9).",
                        ticket=ticket.display_name,
                    )
                )
        # The confirmer's group and read access were checked above; the
        # stamps are the action's own.
        for ticket in self.sudo():
            activity = ticket.fs_confirm_activity_id
            ticket.write(
                {
                    "fs_confirm_state": "confirmed",
                    "fs_confirmed_by_id": self.env.uid,
                    "fs_confirmed_date": fields.Datetime.now(),
                    "fs_confirm_activity_id": False,
                }
            )
            if activity:
                activity.action_feedback(
                    feedback=self.env._(
                        "Confirmed by %(user)s.", user=self.env.user.name
                    )
                )
        return True

    def action_create_dispatch_order(self):
        """A draft dispatch order from the ticket: customer, symptoms, content."""
        self.ensure_one()
        order = self.env["fs.dispatch.order"].create(
            {
                "ticket_id": self.id,
                "company_id": self.company_id.id or self.env.company.id,
                "partner_id": self.partner_id.commercial_partner_id.id or False,
                "site_contact_id": self.partner_id.id
                if self.partner_id.parent_id
                else False,
                "purpose": self.name,
                "symptoms": html2plaintext(self.description or "") or False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "fs.dispatch.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def action_view_dispatch_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sop.fs_dispatch_order_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_is_confirmer(self, user):
        """SOP S9: the test lead (any Test Manager) or an Engineering Manager."""
        return user.has_group("field_service_sop.group_fs_test_manager") or (
            user.has_group("field_service_sop.group_fs_manager")
        )

    def _fs_check_confirmer(self):
        if not (self.env.su or self._fs_is_confirmer(self.env.user)):
            raise AccessError(
                self.env._(
                    "Only the test lead (a Test Manager) or an Engineering Manager "
                    "confirms problems found on site into the ticket system (SOP "
                    "S9); %(user)s is neither.",
                    user=self.env.user.name,
                )
            )

    def _fs_check_confirm_write(self, names):
        """The confirmation fields are stamps of ``action_fs_confirm_found``."""
        if names & FS_CONFIRM_FIELDS:
            self._fs_check_confirmer()
            raise UserError(
                self.env._(
                    "Confirm a problem found on site with the ticket's Confirm "
                    "(S9) button: its status, who confirmed it and when cannot be "
                    "written directly."
                )
            )

    def _fs_ask_test_lead(self):
        """SOP S9: an activity for the test lead to confirm each ticket."""
        for ticket in self:
            lead = (ticket.company_id or self.env.company)._fs_test_lead()
            if not lead:
                continue
            # The ticket was just created by this user (or the report's action,
            # after its own check): the activity is part of that creation.
            activity = ticket.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=lead.id,
                summary=self.env._(
                    "Confirm problem found on site (SOP S9): %(report)s",
                    report=ticket.sudo().fs_found_report_id.name,
                ),
                note=self.env._(
                    "Check the problem or requirement found on site and confirm "
                    "it into the ticket system with the Confirm (S9) button."
                ),
            )
            ticket.sudo().write({"fs_confirm_activity_id": activity.id})

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------
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
