# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

# How many earlier documents the customer history shows per kind (SOP D9).
HISTORY_LIMIT = 20


class FsDispatchOrder(models.Model):
    """Before the visit and before leaving (SOP D9, D12).

    D9: the order shows the customer's installation parameters, its previous
    dispatch orders and helpdesk tickets, and the engineers who served it
    before (whom the engineer consults, D10). The history respects the
    reader's rights: each reader sees the orders and tickets they may open.
    Service reports join the history through ``_fs_customer_history``.

    D12: on issue the order receives the departure checklist; it cannot depart
    while a line is unticked. The planned departure is the appointment minus
    the travel time to the site minus the company's early-arrival margin.

    Rights: engineers on the order tick its checklist lines (see
    ``fs.dispatch.checklist.line``); the rest follows the order's rights. The
    order's home (fs_dispatch_order.py) names the departure check and the
    issue hook defined here.
    """

    _inherit = "fs.dispatch.order"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    # Departure (SOP D12)
    checklist_line_ids = fields.One2many(
        "fs.dispatch.checklist.line",
        "order_id",
        string="Departure Checklist",
        copy=False,
    )
    checklist_done = fields.Boolean(
        string="Checklist Complete",
        compute="_compute_checklist_done",
        help="SOP D12: every item of the departure checklist is ticked.",
    )
    planned_departure_at = fields.Datetime(
        string="Planned Departure",
        compute="_compute_planned_departure_at",
        store=True,
        help="SOP D12: appointment minus the travel time to the site minus the "
        "company's early-arrival margin, so the engineers arrive a little early.",
    )
    # Customer history (SOP D9, D10)
    installation_params = fields.Html(
        related="partner_id.commercial_partner_id.fs_installation_params",
        string="Installation Parameters",
    )
    previous_order_ids = fields.Many2many(
        "fs.dispatch.order",
        string="Previous Orders",
        compute="_compute_customer_history",
        help="SOP D9: the customer's other dispatch orders, most recent first.",
    )
    partner_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        string="Customer Tickets",
        compute="_compute_customer_history",
        help="SOP D9: the customer's helpdesk tickets, most recent first.",
    )
    previous_engineer_ids = fields.Many2many(
        "hr.employee",
        string="Engineers Who Served This Customer",
        compute="_compute_previous_engineer_ids",
        help="SOP D10: engineers of the customer's earlier visits, to consult "
        "before this one.",
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("checklist_line_ids.done")
    def _compute_checklist_done(self):
        for order in self:
            order.checklist_done = all(order.checklist_line_ids.mapped("done"))

    @api.depends(
        "appointment_at",
        "site_contact_id.fs_travel_minutes",
        "partner_id.fs_travel_minutes",
        "partner_id.commercial_partner_id.fs_travel_minutes",
        "company_id.fs_departure_margin_minutes",
    )
    def _compute_planned_departure_at(self):
        for order in self:
            if not order.appointment_at:
                order.planned_departure_at = False
                continue
            minutes = (
                order._fs_travel_minutes()
                + order.company_id.fs_departure_margin_minutes
            )
            order.planned_departure_at = order.appointment_at - timedelta(
                minutes=minutes
            )

    @api.depends_context("uid", "allowed_company_ids")
    @api.depends("partner_id")
    def _compute_customer_history(self):
        """Each reader sees the orders and tickets they may open (SOP D9)."""
        orders = self._fs_customer_history("fs.dispatch.order")
        tickets = self._fs_customer_history("helpdesk.ticket")
        for order in self:
            order.previous_order_ids = orders[order]
            order.partner_ticket_ids = tickets[order]

    @api.depends("partner_id")
    def _compute_previous_engineer_ids(self):
        """Who was on the customer's arrived or done orders (SOP D10).

        Read as superuser on purpose: an engineer sees only the orders they are
        on, but must know every colleague who served this customer. Only the
        employees of the order's company are returned (in the reader's
        environment), never the orders, and only once the reader is known to
        read the current orders.
        """
        self._origin.check_access("read")
        partners = self.partner_id.commercial_partner_id
        served_by_key = defaultdict(lambda: defaultdict(set))
        if partners:
            groups = (
                self.env["fs.dispatch.order"]
                .sudo()
                ._read_group(
                    [
                        ("partner_id", "child_of", partners.ids),
                        ("company_id", "in", self.company_id.ids),
                        ("state", "in", ("arrived", "done")),
                    ],
                    ["partner_id", "company_id", "engineer_ids"],
                    ["id:array_agg"],
                )
            )
            for partner, company, employee, order_ids in groups:
                if employee:
                    key = (partner.commercial_partner_id.id, company.id)
                    served_by_key[key][employee.id].update(order_ids)
        Employee = self.env["hr.employee"]
        for order in self:
            served = served_by_key[
                (order.partner_id.commercial_partner_id.id, order.company_id.id)
            ]
            own = {order._origin.id}
            order.previous_engineer_ids = Employee.browse(
                employee_id
                for employee_id, order_ids in served.items()
                if order_ids - own
            )

    # ------------------------------------------------------------------
    # Business: departure (SOP D12)
    # ------------------------------------------------------------------
    def _fs_travel_minutes(self):
        """Travel time to the site: site contact, else customer, else company."""
        self.ensure_one()
        for partner in (
            self.site_contact_id,
            self.partner_id,
            self.partner_id.commercial_partner_id,
        ):
            if partner.fs_travel_minutes:
                return partner.fs_travel_minutes
        return 0

    def _fs_checklist_closed_states(self):
        """States in which the checklist no longer changes (SOP D12).

        After departure it records what was checked; a cancelled order is
        reopened by resetting it to draft. Features adding a state after
        departure extend this list.
        """
        return ["departed", "arrived", "done", "cancelled"]

    def _fs_checklist_can_tick(self):
        """Lines are ticked for a trip: once the order is issued (SOP D12)."""
        self.ensure_one()
        return bool(self.issued_at) and self.state != "draft"

    def _fs_add_departure_checklist(self, previous):
        """Entering ``issued``: give the order its departure checklist (D12).

        Each active item of the company, or shared, not yet on the order is
        added; lines already there (e.g. added by the dispatcher) are kept but
        unticked: every issue is a new trip, checked again.
        """
        # The issuer's right was checked by ``_fs_check_can_issue`` (SOP D2),
        # and an approver may issue in the requester's name without editing
        # checklists: the checklist is the issue's own side effect.
        for order in self.sudo():
            order.checklist_line_ids.filtered("done").write({"done": False})
            items = order.env["fs.checklist.item"].search(
                [("company_id", "in", [False, order.company_id.id])]
            )
            present = order.checklist_line_ids.item_id
            order.env["fs.dispatch.checklist.line"].create(
                [
                    {
                        "order_id": order.id,
                        "item_id": item.id,
                        "sequence": item.sequence,
                        "name": item.name,
                        "description": item.description,
                    }
                    for item in items - present
                ]
            )

    def _fs_check_checklist_done(self):
        """Nobody leaves before the departure checklist is complete (SOP D12)."""
        missing = self.checklist_line_ids.filtered(lambda line: not line.done)
        if missing:
            raise UserError(
                self.env._(
                    "%(order)s cannot depart: the departure checklist is not "
                    "complete. Check and tick: %(items)s (SOP D12).",
                    order=self.name,
                    items=", ".join(missing.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Business: customer history (SOP D9)
    # ------------------------------------------------------------------
    def _fs_customer_history(self, model_name, partner_field="partner_id", domain=None):
        """{order: the customer's records of ``model_name``}, newest first.

        Hook for every history list on the order (SOP D9): one grouped query
        for all orders in ``self``, whatever their number, under the reader's
        rights. ``partner_field`` is the record's customer field (any contact
        of the customer's company matches); the order itself is left out of
        its own history. Service reports add theirs with e.g.
        ``self._fs_customer_history("fs.service.report")``.
        """
        Model = self.env[model_name]
        result = dict.fromkeys(self, Model)
        partners = self.partner_id.commercial_partner_id
        if not partners:
            return result
        groups = Model._read_group(
            expression.AND([[(partner_field, "child_of", partners.ids)], domain or []]),
            [partner_field],
            ["id:array_agg"],
        )
        ids_served_by_key = defaultdict(set)
        for partner, ids in groups:
            ids_served_by_key[partner.commercial_partner_id.id].update(ids)
        for order in self:
            ids = ids_served_by_key[order.partner_id.commercial_partner_id.id]
            if model_name == self._name:
                ids = ids - {order._origin.id}
            result[order] = Model.browse(sorted(ids, reverse=True)[:HISTORY_LIMIT])
        return result
