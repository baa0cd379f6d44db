# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .fs_state_mixin import AllBut, Only

# ----------------------------------------------------------------------
# States and field groups of the emergency plan (SOP D16)
# ----------------------------------------------------------------------
# Moves, all made by the plan's buttons (fs_emergency_plan_flow.py) after
# their own checks of who presses them: submit, approve, reject, reopen.
TRANSITIONS = {
    "draft": frozenset({"submitted"}),
    "submitted": frozenset({"approved", "rejected", "draft"}),
    "approved": frozenset({"draft"}),
    "rejected": frozenset({"draft"}),
}
# Stamps of the buttons: a raw write of them, from a form or RPC, would
# approve a plan without the Service Director.
STAMP_FIELDS = frozenset(
    {
        "submitted_at",
        "submitted_by_id",
        "approved_at",
        "approved_by_id",
        "rejected_at",
        "rejected_by_id",
    }
)
# What the Service Director may write on a submitted plan: the reason for
# rejecting it, entered before pressing Reject.
DIRECTOR_REVIEW_FIELDS = frozenset({"rejection_reason"})
# The content, while the plan is a draft; the state moves by the buttons only.
DRAFT_CONTENT = AllBut({"state"})


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

    This file is the plan's home: its states, transitions, field groups,
    rights and its only ``write()``. Every change goes through the guarded
    write of ``fs.state.mixin`` after the access rights (derived fields,
    stamps, rights per role and state, the plan stays on its order, the move
    and its named checks); the buttons and their checks of who presses them
    are in fs_emergency_plan_flow.py.

    Rights (``_fs_write_rights``; the state and the stamps move only by the
    buttons, which write as superuser after their own checks):

    ==========  ============================================================
    Role        May write
    ==========  ============================================================
    engineer    nothing: reads the plans of their orders (or on which they
                are staff)
    planner     a draft plan's content; submits and reopens it
    (dispatcher,
    manager)
    director    as planner; on a submitted plan, the rejection reason;
                approves or rejects it (a director may approve a plan they
                wrote: the SOP asks for the director's signature, not for a
                second person)
    ==========  ============================================================

    A plan is created as a draft without stamps (the mixin's create) and
    belongs to its order; submitted, approved and rejected plans are frozen
    (reopen them with Reset to Draft).
    """

    _name = "fs.emergency.plan"
    _description = "Emergency Plan"
    _inherit = ["fs.state.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # State machine (fs.state.mixin)
    _fs_transitions = TRANSITIONS
    _fs_state_checks = {
        "submitted": ("_fs_check_complete",),
        "draft": ("_fs_check_can_reopen",),
    }
    _fs_stamp_fields = STAMP_FIELDS
    _fs_write_rights = {
        "planner": {"draft": DRAFT_CONTENT},
        "director": {"draft": DRAFT_CONTENT, "submitted": Only(DIRECTOR_REVIEW_FIELDS)},
    }

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

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        if not self.env.su:
            # Access rights first: the SOP rules below name the plan's state.
            self.check_access("write")
        # The mixin's write guards the change (see fs_state_mixin.py).
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        if self.filtered(lambda p: p.state in ("submitted", "approved")):
            raise UserError(
                self.env._(
                    "A submitted or approved emergency plan is kept as the record "
                    "of the Service Director's decision (SOP D16): reopen it "
                    "instead of deleting it."
                )
            )

    # ------------------------------------------------------------------
    # Business: who writes what (fs.state.mixin hooks)
    # ------------------------------------------------------------------
    def _fs_user_roles(self):
        self.ensure_one()
        user = self.env.user
        roles = []
        if user.has_group("field_service_sop.group_fs_dispatcher"):
            roles.append("planner")
        if user.has_group("field_service_sop.group_fs_director"):
            roles.append("director")
        return roles

    def _fs_rights_message(self, roles, refused):
        if "state" in refused:
            return self._fs_stamps_message({"state"})
        if "order_id" in refused:
            return self._fs_order_message()
        if self.state == "submitted" and refused <= DIRECTOR_REVIEW_FIELDS:
            return self._fs_director_message(self.env._("review"))
        if not roles:
            return self.env._(
                "Only dispatchers and managers write emergency plans (SOP D16)."
            )
        states = dict(self._fields["state"]._description_selection(self.env))
        return self.env._(
            "%(plan)s is %(state)s and cannot be changed: reopen it with "
            "Reset to Draft (an approval is then void and must be given "
            "again, SOP D16).",
            plan=self.display_name,
            state=states[self.state],
        )

    def _fs_stamps_message(self, stamps):
        return self.env._(
            "Submit, approve, reject or reopen an emergency plan with its "
            "buttons (SOP D16); %(fields)s cannot be written directly.",
            fields=self._fs_field_labels(stamps),
        )

    def _fs_create_stamps_message(self):
        return self.env._(
            "An emergency plan starts as a draft; submit it for the Service "
            "Director's approval with its Submit button (SOP D16)."
        )

    def _fs_order_message(self):
        return self.env._(
            "An emergency plan belongs to its order: write a new plan for the "
            "other order."
        )

    def _fs_director_message(self, verb):
        return self.env._(
            "Only a Service Director may %(verb)s an emergency plan (SOP D16); "
            "%(user)s is not one.",
            verb=verb,
            user=self.env.user.name,
        )

    def _fs_check_write_values(self, vals):
        """A plan stays on its order (SOP D16), whatever its state."""
        if "order_id" in vals and any(p.order_id.id != vals["order_id"] for p in self):
            raise UserError(self._fs_order_message())
