# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .fs_state_mixin import ALL_FIELDS, ANY_STATE, Only

# ----------------------------------------------------------------------
# States and field groups of the dispatch order (SOP D1-D16)
# ----------------------------------------------------------------------
# Allowed state moves (SOP D1, D6, D7, D10, D12-D14): every write of
# ``state``, from a button, RPC or an import, goes through fs.state.mixin.
TRANSITIONS = {
    "draft": frozenset({"to_approve", "issued", "cancelled"}),
    "to_approve": frozenset({"issued", "draft", "cancelled"}),
    "issued": frozenset({"accepted", "cancelled", "transferred"}),
    "accepted": frozenset({"departed", "cancelled", "transferred"}),
    "departed": frozenset({"arrived", "cancelled", "transferred"}),
    "arrived": frozenset({"done", "transferred"}),
    "done": frozenset(),
    "transferred": frozenset(),
    "cancelled": frozenset({"draft"}),
}
# What an engineer on the order records (SOP D10-D13, D12 checklist, D16
# ETA); everything else on an order is the dispatcher's.
ENGINEER_FIELDS = frozenset(
    {
        "state",
        "site_address",
        "site_phone",
        "contact_at",
        "appointment_at",
        "symptoms",
        "customer_preparation",
        "departed_at",
        "arrived_at",
        "emergency_eta",  # SOP D16, fs_dispatch_order_emergency.py
        "checklist_line_ids",  # SOP D12, fs_dispatch_order_visit.py
    }
)
# Until they are on site: then times and lateness are the record (SOP D13).
ENGINEER_STATES = ("draft", "to_approve", "issued", "accepted", "departed")
# States an engineer never moves the order to: issuing, closing and
# cancelling are the dispatcher's (SOP D2).
DISPATCHER_MOVES = ("draft", "to_approve", "issued", "done", "cancelled")
# Approvals (D6), emergency plans (D16), the delegation (D2), the service
# reports and the portal were given for this team and customer in this company.
TEAM_FIELDS = {"engineer_ids", "lead_engineer_id", "company_id", "partner_id"}
# Stamps: evidence written only by the moves and actions that record them,
# each group by the file of its SOP rule.
STAMP_FIELDS = {  # SOP D2, D10, D14: issue, accept, transfer
    "issued_at",
    "issued_by_id",
    "delegation_id",
    "accepted_at",
    "transfer_reason",
    "transferred_to_id",
    "transferred_from_id",
}
APPROVAL_STAMP_FIELDS = {  # SOP D6, fs_dispatch_order_approval.py
    "requested_by_id",
    "requested_at",
    "approval_ids",
}
EMERGENCY_STAMP_FIELDS = {"emergency_informed_at"}  # SOP D16
VERBAL_STAMP_FIELDS = {  # SOP D5, fs_dispatch_order_verbal.py
    "written_deadline",
    "written_confirmed_at",
    "written_confirmed_by_id",
    "verbal_escalated_at",
}
ALL_STAMP_FIELDS = frozenset(
    STAMP_FIELDS | APPROVAL_STAMP_FIELDS | EMERGENCY_STAMP_FIELDS | VERBAL_STAMP_FIELDS
)
# Fields whose change re-runs the reimbursement gate (SOP R2).
GATE_TRIGGER_FIELDS = {"engineer_ids", "state"}


class FsDispatchOrder(models.Model):
    """Written Installation/Maintenance Dispatch Order 派工单 (SOP D1-D16).

    No trip without one (D1). It comes from a helpdesk ticket or a contract
    reference (D4), states purpose, content and points of attention (D3), and
    is issued only by an Engineering Manager or a user holding a valid
    delegation from one (D2); the engineers are notified on issue (D7). The
    lead engineer then logs the customer contact (D10), departs and arrives;
    lateness against the appointment is measured (D13).

    This file is the order's home: its states, transitions, field groups,
    rights and its only ``create()``/``write()``. Every change goes through
    the guarded write of ``fs.state.mixin`` (derived fields, stamps, rights
    per role and state, the rules on values below, the move and its named
    checks, what entering the state does). The SOP rules with their own
    fields and actions live beside it and override no ``write()``: D5 verbal
    orders (``_verbal``), D6 approvals (``_approval``), D9/D12 history and
    departure checklist (``_visit``), D16 emergencies (``_emergency``), the
    service reports (``_report``).

    Moves and what they check, then do (``_fs_state_checks``,
    ``_fs_enter_hooks``):

    ============  ===================================  ========================
    To            Checks                               On entering
    ============  ===================================  ========================
    to_approve    staff needing an approval (D6),      approvals requested
                  content (D3), may issue (D2)
    issued        emergency plan (D16), approvals      stamps, engineers
                  (D6), content (D3), may issue (D2)   notified (D7), checklist
                                                       (D12), written-order
                                                       deadline (D5)
    accepted      customer contact logged (D10)        accepted_at stamped
    departed      checklist complete (D12)             emergency customer told
                                                       (D16)
    arrived       departure recorded (D12)
    transferred   by the Transfer button (D14)
    draft,        nothing                              pending approvals
    cancelled                                          withdrawn (D6)
    ============  ===================================  ========================

    Rights (``_fs_write_rights``):

    ==========  ============================================================
    Role        May write
    ==========  ============================================================
    engineer    their visit data (``ENGINEER_FIELDS``) from draft until
    (on the     departed; never once on site (arrived, done, transferred,
    order)      cancelled)
    dispatcher  every field but stamps, in every state; creates orders
    manager     as dispatcher; issues without a delegation (D2)
    superuser   stamps (system code after its own checks)
    ==========  ============================================================

    Rules on the values (``_fs_check_write_values``), for every user but the
    superuser: the site printed on a signed report stays (S2); the emergency
    (D16) and verbal (D5) flags change only on drafts; the engineers and the
    company are fixed while approvals are pending (D6) and the team and the
    customer once issued (D2, D6, D16); the number is the sequence's (D1);
    an engineer who is not also a dispatcher accepts only as the lead (D10),
    changes the appointment only while issued (D11: then Reschedule), and
    never issues, closes or cancels.
    """

    _name = "fs.dispatch.order"
    _description = "Dispatch Order"
    _inherit = [
        "fs.state.mixin",
        "fs.sla.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

    # State machine (fs.state.mixin)
    _fs_transitions = TRANSITIONS
    _fs_state_checks = {
        "to_approve": (
            "_fs_check_approval_needed",
            "_fs_check_issue_content",
            "_fs_check_can_request_approval",
        ),
        "issued": (
            "_fs_check_emergency_plan",
            "_fs_check_approvals",
            "_fs_check_issue_content",
            "_fs_check_can_issue",
        ),
        "accepted": ("_fs_check_contact_logged",),
        "departed": ("_fs_check_checklist_done",),
        "arrived": ("_fs_check_departure_recorded",),
        "transferred": ("_fs_check_transfer_recorded",),
    }
    _fs_enter_hooks = {
        "to_approve": ("_fs_request_approvals",),
        "issued": (
            "_fs_stamp_issued",
            "_fs_notify_issued",
            "_fs_give_new_job_todos",
            "_fs_add_departure_checklist",
            "_fs_start_written_deadline",
        ),
        "accepted": ("_fs_stamp_accepted", "_fs_close_new_job_todos"),
        "departed": ("_fs_inform_emergency_departure",),
        "draft": ("_fs_withdraw_approvals",),
        "cancelled": ("_fs_withdraw_approvals",),
    }
    _fs_stamp_fields = ALL_STAMP_FIELDS
    _fs_write_rights = {
        "dispatcher": {ANY_STATE: ALL_FIELDS},
        "engineer": dict.fromkeys(ENGINEER_STATES, Only(ENGINEER_FIELDS)),
    }

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "Awaiting Approval"),
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
    # Travel expenses citing the order (SOP R1)
    fs_expense_ids = fields.One2many(
        "hr.expense", "fs_dispatch_order_id", string="Expenses"
    )
    fs_expense_count = fields.Integer(
        string="Expense Count", compute="_compute_fs_expense_count"
    )

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

    def _compute_fs_expense_count(self):
        data = self.env["hr.expense"]._read_group(
            [("fs_dispatch_order_id", "in", self.ids)],
            ["fs_dispatch_order_id"],
            ["__count"],
        )
        counts = {order.id: count for order, count in data}
        for order in self:
            order.fs_expense_count = counts.get(order.id, 0)

    def _fs_sla_values(self):
        """SLA clocks on site, written order, call-back (SOP E1, D5, D11):
        the lead engineer is responsible (fs.sla.mixin)."""
        return {
            order.id: {
                "user_id": order.lead_engineer_id.user_id.id,
                "employee_id": order.lead_engineer_id.id,
                "team_id": order.ticket_id.team_id.id,
                "partner_id": order.partner_id.id,
            }
            for order in self
        }

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
        # The mixin's create then checks who creates what
        # (``_fs_check_create_values``); the number is checked as sent.
        for vals in vals_list:
            if not self.env.su:
                self._fs_check_number(vals, create=True)
            elif self._fs_with_context_defaults(vals).get("state", "draft") != "draft":
                # System code too: an order is born a draft (SOP D2).
                raise UserError(self._fs_create_stamps_message())
        return super().create(vals_list)

    @api.model
    def _fs_prepare_create_values(self, vals):
        """The number, from the company's sequence (SOP D1), once every check
        of the create passed: a refused order takes no number."""
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

    def write(self, vals):
        # The mixin's write guards the change (see fs_state_mixin.py).
        res = super().write(vals)
        if GATE_TRIGGER_FIELDS & set(vals):
            # SOP R2: an engineer removed or the order cancelled changes the
            # gate of the travel expenses citing it.
            self.env["hr.expense"]._fs_refresh_for_orders(self)
        return res

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

    def action_view_fs_expenses(self):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Expenses"),
            "res_model": "hr.expense",
            "view_mode": "list,form",
            "domain": [("fs_dispatch_order_id", "=", self.id)],
            "context": {"create": False},
        }
        return action

    # ------------------------------------------------------------------
    # Business: who writes what (fs.state.mixin hooks)
    # ------------------------------------------------------------------
    def _fs_user_roles(self):
        self.ensure_one()
        roles = []
        if self.env.user.has_group("field_service_sop.group_fs_dispatcher"):
            roles.append("dispatcher")
        if self.env.user in self.engineer_ids.user_id:
            roles.append("engineer")
        return roles

    def _fs_rights_message(self, roles, refused):
        not_visit_data = {name for name in refused if name not in ENGINEER_FIELDS}
        if not_visit_data:
            return self.env._(
                "Engineers record only their visit data on a dispatch order; "
                "ask the dispatcher to change: %(fields)s.",
                fields=self._fs_field_labels(not_visit_data),
            )
        if "engineer" not in roles:
            return self.env._("You are not an engineer on %(order)s.", order=self.name)
        # D13: times and lateness are the record once on site.
        return self.env._(
            "%(order)s is closed for the engineers: ask the dispatcher to correct it.",
            order=self.name,
        )

    def _fs_stamps_message(self, stamps):
        """Each SOP rule names the buttons that record its stamps."""
        if stamps & EMERGENCY_STAMP_FIELDS:
            return self.env._(
                "The time the customer was informed is recorded by the "
                "departure of an emergency order (SOP D16), not entered."
            )
        if stamps & APPROVAL_STAMP_FIELDS:
            return self.env._(
                "Approvals of a dispatch order are requested with its Issue "
                "button and decided by the approvers (SOP D6)."
            )
        if stamps & VERBAL_STAMP_FIELDS:
            return self.env._(
                "The written-order deadline and confirmation are set by the "
                "Issue Verbally and Confirm in Writing buttons (SOP D5)."
            )
        return self._fs_order_stamps_message(stamps)

    def _fs_order_stamps_message(self, stamps):
        return self.env._(
            "%(fields)s of a dispatch order are set by its own buttons "
            "(issue, accept, transfer, confirm ...) and cannot be written "
            "directly.",
            fields=self._fs_field_labels(stamps),
        )

    def _fs_create_stamps_message(self):
        return self.env._(
            "A dispatch order starts as a draft; issue it with the Issue button "
            "(SOP D2)."
        )

    def _fs_check_create_values(self, vals):
        """SOP D2: dispatchers and managers create orders, as drafts without
        stamps (``vals`` include the context defaults)."""
        if not self.env.user.has_group("field_service_sop.group_fs_dispatcher"):
            raise AccessError(
                self.env._(
                    "Only dispatchers and managers create dispatch orders (SOP D2)."
                )
            )
        stamps = self._fs_stamp_fields.intersection(
            name for name, value in vals.items() if value
        )
        if stamps:
            raise AccessError(self._fs_order_stamps_message(stamps))
        return super()._fs_check_create_values(vals)

    def _fs_check_write_values(self, vals):
        """The rules on the values, after the rights per state (see the
        model's docstring), for every user but the superuser."""
        keys = set(vals)
        self._fs_check_site_signed(vals)  # SOP S2, fs_dispatch_order_report.py
        emergency = bool(vals.get("is_emergency"))
        if "is_emergency" in keys and self.filtered(
            lambda o: o.state != "draft" and o.is_emergency != emergency
        ):
            raise UserError(
                self.env._(
                    "Only a draft order can be marked as, or cleared from, an "
                    "emergency (SOP D16): reset the order to draft first."
                )
            )
        waiting = self.filtered(lambda o: o.state == "to_approve")
        if waiting and {"engineer_ids", "company_id"} & keys:
            raise UserError(
                self.env._(
                    "%(order)s awaits approval for its engineers: reset it to "
                    "draft to change them, then issue it again (SOP D6).",
                    order=waiting[0].name,
                )
            )
        if "is_verbal" in keys and self.filtered(lambda o: o.state != "draft"):
            raise UserError(
                self.env._(
                    "Whether an order is verbal is decided when it is issued "
                    "(SOP D5); it cannot change afterwards."
                )
            )
        self._fs_check_number(vals)
        team = TEAM_FIELDS & keys
        locked = self.filtered(lambda o: o.state not in ("draft", "cancelled"))
        if team and locked:
            raise UserError(
                self.env._(
                    "%(order)s is issued for its team: cancel it and reset it to "
                    "draft to change %(fields)s, then issue it again.",
                    order=locked[0].name,
                    fields=self._fs_field_labels(team),
                )
            )
        for order in self:
            if "dispatcher" not in order._fs_user_roles():
                order._fs_check_engineer_values(vals)

    def _fs_check_engineer_values(self, vals):
        """What an engineer on the order may not do with their visit data."""
        self.ensure_one()
        user = self.env.user
        if vals.get("state") == "accepted" and self.lead_engineer_id.user_id != user:
            raise AccessError(
                self.env._(
                    "Only the lead engineer %(lead)s accepts %(order)s (SOP D10).",
                    lead=self.lead_engineer_id.name,
                    order=self.name,
                )
            )
        if "appointment_at" in vals and self.state != "issued":
            raise AccessError(
                self.env._(
                    "The appointment of %(order)s is confirmed: change it with "
                    "Reschedule, which records the reason (SOP D11).",
                    order=self.name,
                )
            )
        if vals.get("state") in DISPATCHER_MOVES:
            raise AccessError(
                self.env._(
                    "Engineers cannot issue, close or cancel %(order)s; ask the "
                    "dispatcher.",
                    order=self.name,
                )
            )

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

    # ------------------------------------------------------------------
    # Business: checks of the moves (``_fs_state_checks``, never write)
    # ------------------------------------------------------------------
    def _fs_issue_requirements(self):
        """(field, label) pairs an order needs before it is issued (SOP D3)."""
        return [
            ("partner_id", self.env._("a customer")),
            ("engineer_ids", self.env._("engineers")),
            ("lead_engineer_id", self.env._("a lead engineer")),
            ("purpose", self.env._("the purpose")),
            ("content", self.env._("the service content")),
        ]

    def _fs_check_issue_content(self):
        """SOP D3: refuse an order that lacks what issuing requires."""
        missing = [
            label for field, label in self._fs_issue_requirements() if not self[field]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "%(order)s cannot be issued without %(missing)s (SOP D3).",
                    order=self.name,
                    missing=", ".join(missing),
                )
            )

    def _fs_check_can_issue(self):
        """SOP D2: an Engineering Manager issues, or a user with a valid
        delegation from one."""
        if not self._can_issue(self.env.user)[0]:
            raise AccessError(
                self.env._(
                    "%(user)s may not issue dispatch orders: only an Engineering "
                    "Manager or a user with a valid, unrevoked delegation from "
                    "one may (SOP D2).",
                    user=self.env.user.name,
                )
            )

    def _fs_check_contact_logged(self):
        """SOP D10: the lead accepts once the customer contact is logged."""
        if not (self.contact_at and self.appointment_at):
            raise UserError(
                self.env._(
                    "Log the customer contact first (when, and the confirmed "
                    "appointment) before accepting %(order)s (SOP D10).",
                    order=self.name,
                )
            )

    def _fs_check_departure_recorded(self):
        """SOP D12: no arrival without a departure."""
        if not self.departed_at:
            raise UserError(
                self.env._(
                    "%(order)s: record the departure first (SOP D12).", order=self.name
                )
            )

    def _fs_check_transfer_recorded(self):
        """SOP D14: the Transfer button records the reason and the new order."""
        if not (self.transferred_to_id and self.transfer_reason):
            raise UserError(
                self.env._(
                    "Transfer %(order)s with the Transfer button: it needs a reason "
                    "and creates the new order (SOP D14).",
                    order=self.name,
                )
            )

    def _can_issue(self, user):
        """(allowed, delegation): managers may; others need a delegation (D2)."""
        if user._is_superuser() or user.has_group("field_service_sop.group_fs_manager"):
            return True, self.env["fs.dispatch.delegation"]
        delegation = self.env["fs.dispatch.delegation"]._find_valid(
            user, self.company_id or self.env.company
        )
        return bool(delegation), delegation

    # ------------------------------------------------------------------
    # Business: entering a state (``_fs_enter_hooks``)
    # ------------------------------------------------------------------
    def _fs_stamp_issued(self, previous):
        """SOP D2: who issued, when, under which delegation."""
        now = fields.Datetime.now()
        for order in self:
            delegation = order._can_issue(self.env.user)[1]
            # The issuer's right was checked by ``_fs_check_can_issue``.
            order.sudo().write(
                {
                    "issued_at": now,
                    "issued_by_id": self.env.user.id,
                    "delegation_id": delegation.id,
                }
            )

    def _fs_notify_issued(self, previous):
        """SOP D7: the engineers follow the order and are told it is issued."""
        for order in self:
            partners = (
                order.engineer_ids.user_id.partner_id
                | order.engineer_ids.work_contact_id
            )
            order.message_subscribe(partner_ids=partners.ids)
            order.message_post(
                body=self.env._(
                    "Dispatch order issued: %(purpose)s", purpose=order.purpose or ""
                ),
                partner_ids=partners.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def _fs_stamp_accepted(self, previous):
        """SOP D10: when the lead accepted (the lead's right was checked)."""
        self.sudo().write({"accepted_at": fields.Datetime.now()})
