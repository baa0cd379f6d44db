# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

RD_MANAGER_GROUP = "field_service_sop.group_fs_rd_manager"


class FsDispatchApproval(models.Model):
    """One department's approval to send its staff on a dispatch (SOP D6).

    Sending developers or testers on site needs the approval of the relevant
    Product Owner or Test Manager; a multi-product job is coordinated by the R&D
    Manager. When an order's engineers belong to departments flagged "dispatch
    needs approval", issuing it creates one line per department here and the
    order waits (``to_approve``) until every line is approved; a rejection
    sends the order back to draft with the reason.

    Rights: nobody writes a line directly (read-only access). A line is decided
    with ``action_approve`` / ``action_reject`` by one of its department's
    approvers (Product Owners / Test Managers named on the department) or, as
    the coordinator of the job and the fallback of a department without
    approvers, by an R&D Manager of the company, never by the user who requested
    the issue. Engineers on the order, the requester and the approvers read the
    lines; dispatchers and R&D Managers read all lines of their companies.
    """

    _name = "fs.dispatch.approval"
    _description = "Dispatch Approval"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # Approvers only read their lines; they may still discuss them.
    _mail_post_access = "read"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    order_id = fields.Many2one(
        "fs.dispatch.order",
        string="Dispatch Order",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    department_id = fields.Many2one(
        "hr.department", required=True, readonly=True, index=True
    )
    approver_ids = fields.Many2many(
        related="department_id.fs_dispatch_approver_ids", string="Approvers"
    )
    requested_by_id = fields.Many2one(
        "res.users", string="Requested By", readonly=True, index=True
    )
    requested_at = fields.Datetime(readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("withdrawn", "Withdrawn"),
        ],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    decided_at = fields.Datetime(readonly=True)
    reason = fields.Text(readonly=True, help="Why the request was rejected.")
    # What the approver decides on: approvers may not open the order itself
    # (they are not on it), so the job is shown here (related: read as admin).
    order_state = fields.Selection(related="order_id.state", string="Order Status")
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    purpose = fields.Text(related="order_id.purpose")
    content = fields.Text(related="order_id.content", string="Service Content")
    window_start = fields.Datetime(related="order_id.window_start")
    window_end = fields.Datetime(related="order_id.window_end")
    engineer_ids = fields.Many2many(
        "hr.employee",
        string="Borrowed Staff",
        compute="_compute_engineer_ids",
        compute_sudo=True,
        help="The order's engineers from this department (or its sub-departments).",
    )
    user_can_decide = fields.Boolean(
        compute="_compute_user_can_decide", search="_search_user_can_decide"
    )

    _sql_constraints = [
        (
            "order_department_uniq",
            "unique(order_id, department_id)",
            "A dispatch order has one approval per department.",
        ),
    ]

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("order_id.engineer_ids.department_id", "department_id")
    def _compute_engineer_ids(self):
        for approval in self:
            approval.engineer_ids = approval.order_id.engineer_ids.filtered(
                lambda employee, approval=approval: employee.department_id
                and employee.department_id._fs_approving_department()
                == approval.department_id
            )

    @api.depends_context("uid")
    @api.depends("state", "requested_by_id", "approver_ids", "order_state")
    def _compute_user_can_decide(self):
        for approval in self:
            approval.user_can_decide = not approval._fs_decide_refusal(self.env.user)

    def _search_user_can_decide(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Can Decide'."))
        user = self.env.user
        domain = [("state", "=", "pending"), ("requested_by_id", "!=", user.id)]
        if not user.has_group(RD_MANAGER_GROUP):
            if not self.env["hr.department"]._fs_is_dispatch_approver(user):
                domain = [("id", "=", False)]
            else:
                domain.append(("approver_ids", "in", user.id))
        if (operator == "=") != value:
            return ["!", *expression.AND([domain])]
        return domain

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_approve(self):
        """Approve sending this department's staff; the last one issues (D6)."""
        self._fs_check_can_decide()
        for approval in self.sudo():  # checked above: a legitimate approver
            approval.write(
                {
                    "state": "approved",
                    "decided_by_id": self.env.user.id,
                    "decided_at": fields.Datetime.now(),
                }
            )
            approval._fs_close_activities()
            approval.order_id._fs_approval_decided(approval)
        return True

    def action_reject(self, reason=None):
        """Refuse sending this department's staff: the order goes back to draft."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Give the reason for the rejection: the dispatcher needs it "
                    "to change the order (SOP D6)."
                )
            )
        self._fs_check_can_decide()
        for approval in self.sudo():  # checked above: a legitimate approver
            approval.write(
                {
                    "state": "rejected",
                    "decided_by_id": self.env.user.id,
                    "decided_at": fields.Datetime.now(),
                    "reason": reason,
                }
            )
            approval._fs_close_activities()
            approval.order_id._fs_approval_decided(approval)
        return True

    def action_open_reject_wizard(self):
        """Ask the reason of a rejection (checked again when confirmed)."""
        self._fs_check_can_decide()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject"),
            "res_model": "fs.dispatch.approval.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_approval_ids": self.ids},
        }

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_rd_managers(self):
        """R&D Managers of the line's company: coordinators and fallback (D6)."""
        self.ensure_one()
        return (
            self.env.ref(RD_MANAGER_GROUP)
            .sudo()
            .users.filtered(lambda user: self.company_id in user.company_ids)
        )

    def _fs_deciders(self):
        """Users asked to decide: the approvers, or the R&D Managers (D6)."""
        self.ensure_one()
        Department = self.env["hr.department"]
        approvers = self.sudo().approver_ids.filtered(
            lambda user: Department._fs_is_dispatch_approver(user)
        )
        return (approvers or self._fs_rd_managers()) - self.requested_by_id

    def _fs_decide_refusal(self, user):
        """Why ``user`` may not decide this line: (exception class, message)."""
        self.ensure_one()
        if self.state != "pending" or self.order_state != "to_approve":
            states = dict(self._fields["state"]._description_selection(self.env))
            return UserError, self.env._(
                "The approval of %(department)s for %(order)s is %(state)s: "
                "there is nothing left to decide.",
                department=self.department_id.display_name,
                order=self.order_id.sudo().name,
                state=states[self.state],
            )
        if user == self.requested_by_id:
            return UserError, self.env._(
                "You requested the issue of %(order)s: you cannot approve your "
                "own borrowing request (SOP D6). Ask %(approvers)s.",
                order=self.order_id.sudo().name,
                approvers=", ".join(self._fs_deciders().mapped("name"))
                or self.env._("an R&D Manager"),
            )
        if user.has_group(RD_MANAGER_GROUP) and self.company_id in user.company_ids:
            return None
        if user in self.approver_ids and self.env[
            "hr.department"
        ]._fs_is_dispatch_approver(user):
            return None
        return AccessError, self.env._(
            "Only the approvers of %(department)s (%(approvers)s) or an R&D "
            "Manager decide whether its staff go on site for %(order)s (SOP D6).",
            department=self.department_id.display_name,
            approvers=", ".join(self.approver_ids.mapped("name"))
            or self.env._("none named"),
            order=self.order_id.sudo().name,
        )

    def _fs_check_can_decide(self):
        """Raise unless the current user may decide every line of ``self``."""
        if not self:
            raise UserError(self.env._("Select the approvals to decide."))
        for approval in self:
            refusal = approval._fs_decide_refusal(self.env.user)
            if refusal:
                error, message = refusal
                raise error(message)

    def _fs_notify(self, coordinators=None):
        """Ask each decider (and the R&D coordinators) with an activity (D6)."""
        for approval in self:
            users = approval._fs_deciders()
            if coordinators:
                users |= coordinators - approval.requested_by_id
            for user in users:
                approval.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._(
                        "Approve staff of %(department)s for %(order)s",
                        department=approval.department_id.name,
                        order=approval.order_id.name,
                    ),
                    note=approval.order_id.purpose or "",
                )

    def _fs_close_activities(self):
        self.activity_ids.unlink()
