# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FsEmergencyPlan(models.Model):
    """Emergency plan 应急方案 of an emergency dispatch order (SOP D16).

    The project manager writes it from the logged emergency call: expected
    duration, staff and emergency lead, tools, parts, maintenance items and the
    estimated cost, plus the travel time from which the customer is given the
    expected arrival. The service manager tells the customer the arrangement and
    records their consent; the Service Director then approves the plan, and only
    then can the emergency order be issued. An approved plan is the signed
    document the lead gathers people and parts with, so it is frozen: changing
    it means reopening it, which voids the approval (tracked) and is only
    possible while the order is not issued.

    Rights: engineers read the plans of their orders (or on which they are
    staff); dispatchers and managers write, submit and reopen plans; only Service
    Directors approve or reject them (a director may approve a plan they wrote:
    the SOP asks for the director's signature, not for a second person).
    """

    _name = "fs.emergency.plan"
    _description = "Emergency Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    order_id = fields.Many2one(
        "fs.dispatch.order",
        string="Dispatch Order",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        domain="[('is_emergency', '=', True), ('state', '=', 'draft')]",
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    order_state = fields.Selection(related="order_id.state", string="Order Status")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    # Content (SOP D16)
    expected_duration_hours = fields.Float(
        string="Expected Duration (h)",
        tracking=True,
        help="How long the emergency maintenance is expected to take on site.",
    )
    travel_minutes = fields.Integer(
        string="Travel Time (min)",
        tracking=True,
        compute="_compute_travel_minutes",
        store=True,
        readonly=False,
        precompute=True,
        help="Travel time from departure to the customer's site, proposed from "
        "the site's travel time. On departure the customer is told the expected "
        "arrival: departure time plus this, unless the lead engineer entered "
        "another ETA on the order.",
    )
    staff_ids = fields.Many2many(
        "hr.employee",
        string="Staff",
        check_company=True,
        compute="_compute_staff",
        store=True,
        readonly=False,
        precompute=True,
        help="Who goes; proposed from the order's engineers.",
    )
    lead_id = fields.Many2one(
        "hr.employee",
        string="Emergency Lead",
        check_company=True,
        tracking=True,
        compute="_compute_staff",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('id', 'in', staff_ids)]",
    )
    tools = fields.Text(help="Tools the team brings.")
    parts = fields.Text(string="Spare Parts", help="Leave empty if none are needed.")
    items = fields.Text(
        string="Maintenance Items", help="What will be checked, repaired or replaced."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    estimated_cost = fields.Monetary(tracking=True)
    # Customer consent (SOP D16: the service manager informs the customer)
    customer_consent_at = fields.Datetime(
        string="Customer Agreed At",
        tracking=True,
        help="When the customer was told the arrangement (arrival, lead, items, "
        "cost) and agreed to it.",
    )
    customer_consent_by = fields.Char(
        string="Agreed By", tracking=True, help="Who agreed on the customer's side."
    )
    # Workflow
    submitted_at = fields.Datetime(readonly=True, copy=False)
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_at = fields.Datetime(readonly=True, copy=False, tracking=True)
    approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    rejected_at = fields.Datetime(readonly=True, copy=False)
    rejected_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    rejection_reason = fields.Text(copy=False, tracking=True)
    user_is_director = fields.Boolean(compute="_compute_user_is_director")

    _sql_constraints = [
        (
            "order_uniq",
            "unique(order_id)",
            "A dispatch order has one emergency plan: open the existing one.",
        ),
    ]

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("order_id.name")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "Emergency Plan %(order)s", order=plan.order_id.name or ""
            )

    @api.depends("order_id")
    def _compute_staff(self):
        for plan in self:
            if not plan.staff_ids:
                plan.staff_ids = plan.order_id.engineer_ids
            if not plan.lead_id:
                plan.lead_id = plan.order_id.lead_engineer_id

    @api.depends("order_id")
    def _compute_travel_minutes(self):
        for plan in self:
            if not plan.travel_minutes and plan.order_id:
                plan.travel_minutes = plan.order_id._fs_travel_minutes()

    @api.depends_context("uid")
    def _compute_user_is_director(self):
        is_director = self.env.user.has_group("field_service_sop.group_fs_director")
        for plan in self:
            plan.user_is_director = is_director

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("lead_id", "staff_ids")
    def _check_lead_in_staff(self):
        for plan in self:
            if plan.lead_id and plan.lead_id not in plan.staff_ids:
                raise ValidationError(
                    self.env._(
                        "%(plan)s: the emergency lead %(lead)s must be one of the "
                        "plan's staff. Add them to the staff or pick another lead.",
                        plan=plan.display_name,
                        lead=plan.lead_id.name,
                    )
                )

    @api.constrains("expected_duration_hours", "travel_minutes", "estimated_cost")
    def _check_positive(self):
        for plan in self:
            if (
                plan.expected_duration_hours < 0
                or plan.travel_minutes < 0
                or plan.estimated_cost < 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(plan)s: duration, travel time and estimated cost cannot "
                        "be negative.",
                        plan=plan.display_name,
                    )
                )

    @api.constrains("order_id")
    def _check_order_is_emergency(self):
        for plan in self:
            if not plan.order_id.is_emergency:
                raise ValidationError(
                    self.env._(
                        "%(order)s is not an emergency order: tick Emergency on the "
                        "order before writing its emergency plan (SOP D16).",
                        order=plan.order_id.name,
                    )
                )
