# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class FsDispatchOrder(models.Model):
    """Written Installation/Maintenance Dispatch Order 派工单 (SOP D1-D13).

    No trip without one (D1). It comes from a helpdesk ticket or a contract
    reference (D4), states purpose, content and points of attention (D3), and
    is issued only by an Engineering Manager or a user holding a valid
    delegation from one (D2); the engineers are notified on issue (D7). The
    lead engineer then logs the customer contact (D10), departs and arrives;
    lateness against the appointment is measured (D13).

    Rights: engineers read the orders they are on and write only their visit
    data (``ENGINEER_FIELDS``); dispatchers create and edit orders and issue
    them within a delegation; managers do everything in their companies.
    """

    _name = "fs.dispatch.order"
    _description = "Dispatch Order"
    _inherit = ["fs.state.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("issued", "Issued"),
            ("accepted", "Accepted"),
            ("departed", "Departed"),
            ("arrived", "On Site"),
            ("done", "Done"),
            ("transferred", "Transferred"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_group_expand_states",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    # Source (SOP D4)
    ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Ticket", check_company=True, index="btree_not_null"
    )
    contract_ref = fields.Char(string="Contract / Order Reference")
    # Customer and site; copied from the partner, correctable on the order.
    partner_id = fields.Many2one(
        "res.partner", string="Customer", tracking=True, check_company=True
    )
    site_contact_id = fields.Many2one(
        "res.partner",
        string="Site Contact",
        check_company=True,
        domain="[('id', 'child_of', partner_id)]",
    )
    site_address = fields.Text(
        compute="_compute_site", store=True, readonly=False, precompute=True
    )
    site_phone = fields.Char(
        compute="_compute_site", store=True, readonly=False, precompute=True
    )
    # Content (SOP D3)
    service_type_id = fields.Many2one("fs.service.type", check_company=True)
    purpose = fields.Text()
    content = fields.Text(string="Service Content")
    attention_points = fields.Text(string="Points of Attention")
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Urgent"), ("2", "Very Urgent")],
        default="0",
        tracking=True,
    )
    window_start = fields.Datetime(string="Visit Window Start")
    window_end = fields.Datetime(string="Visit Window End")
    engineer_ids = fields.Many2many(
        "hr.employee", string="Engineers", check_company=True, tracking=True
    )
    lead_engineer_id = fields.Many2one(
        "hr.employee",
        string="Lead Engineer",
        check_company=True,
        tracking=True,
        domain="[('id', 'in', engineer_ids)]",
    )
    dispatcher_id = fields.Many2one(
        "res.users",
        string="Dispatcher",
        default=lambda self: self.env.user,
        tracking=True,
    )
    # Issue (SOP D2, D7)
    issued_at = fields.Datetime(readonly=True, copy=False)
    issued_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    delegation_id = fields.Many2one(
        "fs.dispatch.delegation",
        readonly=True,
        copy=False,
        help="The delegation under which a non-manager issued the order (SOP D2).",
    )
    # Engineer's part (SOP D10-D13)
    contact_at = fields.Datetime(string="Customer Contacted At", copy=False)
    appointment_at = fields.Datetime(
        string="Confirmed Appointment", copy=False, tracking=True
    )
    symptoms = fields.Text(copy=False)
    customer_preparation = fields.Text(
        string="Customer Prepares",
        copy=False,
        help="What the customer prepares (SOP D10).",
    )
    accepted_at = fields.Datetime(readonly=True, copy=False)
    departed_at = fields.Datetime(copy=False, tracking=True)
    arrived_at = fields.Datetime(copy=False, tracking=True)
    late_minutes = fields.Integer(
        compute="_compute_lateness", store=True, help="Arrival after the appointment."
    )
    is_late = fields.Boolean(
        string="Late Over Threshold",
        compute="_compute_lateness",
        store=True,
        help="SOP D13: arrived later than the company's late threshold.",
    )
    # Transfer (SOP D14)
    transfer_reason = fields.Text(readonly=True, copy=False)
    transferred_to_id = fields.Many2one(
        "fs.dispatch.order", string="Transferred To", readonly=True, copy=False
    )
    transferred_from_id = fields.Many2one(
        "fs.dispatch.order", string="Transferred From", readonly=True, copy=False
    )
    user_is_engineer = fields.Boolean(compute="_compute_user_role")
    user_can_issue = fields.Boolean(compute="_compute_user_role")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "Dispatch order numbers are unique.",
        ),
    ]

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("partner_id", "site_contact_id")
    def _compute_site(self):
        for order in self:
            contact = order.site_contact_id or order.partner_id
            order.site_address = contact._display_address(without_company=True) or False
            order.site_phone = contact.phone or contact.mobile or order.partner_id.phone

    @api.depends("arrived_at", "appointment_at", "company_id.fs_late_threshold_minutes")
    def _compute_lateness(self):
        for order in self:
            late = 0
            if order.arrived_at and order.appointment_at:
                delta = order.arrived_at - order.appointment_at
                late = max(0, int(delta.total_seconds() // 60))
            order.late_minutes = late
            order.is_late = late > order.company_id.fs_late_threshold_minutes

    @api.depends_context("uid")
    @api.depends("engineer_ids.user_id", "company_id")
    def _compute_user_role(self):
        user = self.env.user
        can_issue = {}  # per company: one delegation lookup, not one per order
        for order in self:
            order.user_is_engineer = user in order.engineer_ids.user_id
            if order.company_id not in can_issue:
                can_issue[order.company_id] = order._can_issue(user)[0]
            order.user_can_issue = can_issue[order.company_id]

    def _group_expand_states(self, states, domain):
        return [
            key for key, _label in self._fields["state"].selection if key != "cancelled"
        ]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("window_start", "window_end")
    def _check_window(self):
        for order in self:
            if (
                order.window_start
                and order.window_end
                and order.window_end < order.window_start
            ):
                raise ValidationError(
                    self.env._(
                        "%(order)s: the visit window ends before it starts. "
                        "Correct the window.",
                        order=order.name,
                    )
                )

    @api.constrains("departed_at", "arrived_at")
    def _check_times(self):
        for order in self:
            if (
                order.departed_at
                and order.arrived_at
                and order.arrived_at < order.departed_at
            ):
                raise ValidationError(
                    self.env._(
                        "%(order)s: the arrival (%(arrived)s) is before the "
                        "departure (%(departed)s). Correct the times.",
                        order=order.name,
                        arrived=order.arrived_at,
                        departed=order.departed_at,
                    )
                )

    @api.constrains("lead_engineer_id", "engineer_ids")
    def _check_lead(self):
        for order in self:
            if (
                order.lead_engineer_id
                and order.lead_engineer_id not in order.engineer_ids
            ):
                raise ValidationError(
                    self.env._(
                        "%(order)s: the lead engineer %(lead)s must be one of the "
                        "order's engineers.",
                        order=order.name,
                        lead=order.lead_engineer_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group(
            "field_service_sop.group_fs_dispatcher"
        ):
            raise AccessError(
                self.env._(
                    "Only dispatchers and managers create dispatch orders (SOP D2)."
                )
            )
        for vals in vals_list:
            # What will be stored, context defaults included (D2).
            stored = self._fs_with_context_defaults(vals)
            if not self.env.su:
                self._fs_check_number(vals, create=True)
                self._fs_check_protected(
                    name for name, value in stored.items() if value
                )
            if stored.get("state", "draft") != "draft":
                raise UserError(
                    self.env._(
                        "A dispatch order starts as a draft; issue it with the "
                        "Issue button (SOP D2)."
                    )
                )
            if vals.get("name") in (None, False, "/"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("fs.dispatch.order")
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._fs_check_number(vals)
            self._check_write_rights(vals)
        if "state" in vals:
            for order in self:
                order._check_transition(vals["state"])
        return super().write(vals)

    @api.model
    def _fs_check_number(self, vals, create=False):
        """The number comes from the company's sequence (SOP D1): nobody
        chooses it at create or changes it afterwards."""
        if "name" in vals and not (create and vals["name"] in (False, "/")):
            raise AccessError(
                self.env._(
                    "The dispatch order number is given by the sequence when the "
                    "order is created (SOP D1) and cannot be chosen or changed. "
                    "Leave the number empty."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda o: o.state not in ("draft", "cancelled")):
            raise UserError(
                self.env._(
                    "Issued dispatch orders are kept as records (SOP D1): cancel "
                    "the order instead of deleting it."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_issue(self):
        """Issue the order and notify its engineers (SOP D2, D3, D7)."""
        return self.write({"state": "issued"})

    def action_accept(self):
        """The lead engineer logged the customer contact (SOP D10)."""
        return self.write({"state": "accepted"})

    def action_depart(self):
        vals = {"state": "departed"}
        if not all(self.mapped("departed_at")):
            vals["departed_at"] = fields.Datetime.now()
        return self.write(vals)

    def action_arrive(self):
        vals = {"state": "arrived"}
        if not all(self.mapped("arrived_at")):
            vals["arrived_at"] = fields.Datetime.now()
        return self.write(vals)

    def action_done(self):
        return self.write({"state": "done"})

    def action_cancel(self):
        return self.write({"state": "cancelled"})

    def action_reset_draft(self):
        return self.write({"state": "draft"})
