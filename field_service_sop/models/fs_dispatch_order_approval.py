# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class FsDispatchOrder(models.Model):
    """Approval before borrowing R&D or test staff (SOP D6).

    Issuing an order whose engineers belong to a department flagged "dispatch
    needs approval" (``hr.department``) does not issue it: the order waits in
    ``to_approve`` with one ``fs.dispatch.approval`` per department, and the
    approvers get an activity. The last approval issues the order on behalf of
    the requester, whose right to issue (SOP D2) is checked again then; a
    rejection sends it back to draft with the reason in the chatter. Each new
    request starts all approvals afresh, so an approval never covers a changed
    order.

    Rights: the requester is whoever may issue (D2); while the order waits,
    its engineers and company are locked (reset to draft to change them);
    approvers decide on the approval lines, never on the order. The request
    fields are stamps (``APPROVAL_STAMP_FIELDS``, fs_dispatch_order.py):
    whoever wrote them could issue in someone else's name. The state
    ``to_approve``, its checks and hooks are named in the order's home
    (fs_dispatch_order.py); they are defined here.
    """

    _inherit = "fs.dispatch.order"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    requested_by_id = fields.Many2one(
        "res.users",
        string="Issue Requested By",
        readonly=True,
        copy=False,
        help="Who asked to issue the order; it is issued in their name once "
        "every department approved (SOP D6).",
    )
    requested_at = fields.Datetime(
        string="Issue Requested At", readonly=True, copy=False
    )
    approval_ids = fields.One2many(
        "fs.dispatch.approval", "order_id", string="Approvals", readonly=True
    )
    approval_needed = fields.Boolean(
        compute="_compute_approval_needed",
        help="SOP D6: some engineers belong to a department whose staff need "
        "an approval to go on site.",
    )
    approvals_complete = fields.Boolean(compute="_compute_approval_needed")

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends(
        "engineer_ids.department_id.fs_dispatch_needs_approval",
        "approval_ids.state",
    )
    def _compute_approval_needed(self):
        for order in self:
            order.approval_needed = bool(order._fs_approval_departments())
            order.approvals_complete = (
                order.approval_needed and not order._fs_approvals_missing()
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_issue(self):
        """Issue, or first request the approvals of borrowed staff (SOP D6)."""
        to_request = self.filtered(
            lambda o: o.state == "draft" and o._fs_approval_departments()
        )
        if to_request:
            to_request.write({"state": "to_approve"})
        rest = self - to_request
        if rest:
            return super(FsDispatchOrder, rest).action_issue()
        return True

    # ------------------------------------------------------------------
    # Business: checks of the moves (``_fs_state_checks``)
    # ------------------------------------------------------------------
    def _fs_check_approval_needed(self):
        """A request needs staff whose department approves (SOP D6)."""
        if not self._fs_approval_departments():
            raise UserError(
                self.env._(
                    "%(order)s sends nobody whose department needs an approval: "
                    "issue it directly.",
                    order=self.name,
                )
            )

    def _fs_check_can_request_approval(self):
        """Only someone who may issue asks for the approvals (SOP D2, D6)."""
        if not self._can_issue(self.env.user)[0]:
            raise AccessError(
                self.env._(
                    "%(user)s may not issue dispatch orders, so may not request "
                    "their approval either: only an Engineering Manager or a "
                    "user with a valid, unrevoked delegation from one may (SOP "
                    "D2).",
                    user=self.env.user.name,
                )
            )

    def _fs_check_approvals(self):
        """No issue while a department's approval is missing (SOP D6)."""
        departments = self._fs_approval_departments()
        if departments and self.state != "to_approve":
            raise UserError(
                self.env._(
                    "%(order)s sends staff of %(departments)s, who need an "
                    "approval first: use the Issue button to request it (SOP D6).",
                    order=self.name,
                    departments=", ".join(departments.mapped("display_name")),
                )
            )
        missing = self._fs_approvals_missing()
        if missing:
            raise UserError(
                self.env._(
                    "%(order)s still awaits the approval of %(departments)s (SOP D6).",
                    order=self.name,
                    departments=", ".join(missing.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Business: approvals
    # ------------------------------------------------------------------
    def _fs_approval_departments(self):
        """Departments whose approval the order's engineers need (SOP D6).

        Override to exempt some jobs or add departments.
        """
        self.ensure_one()
        departments = self.env["hr.department"]
        for department in self.engineer_ids.department_id:
            departments |= department._fs_approving_department()
        return departments

    def _fs_approvals_missing(self):
        """Departments needed but not approved in the current request."""
        self.ensure_one()
        approved = self.approval_ids.filtered(lambda a: a.state == "approved")
        return self._fs_approval_departments() - approved.department_id

    def _fs_request_approvals(self, previous):
        """Entering ``to_approve``: request the approvals (SOP D6)."""
        for order in self:
            order._fs_request_approval_lines(order._fs_approval_departments())

    def _fs_request_approval_lines(self, departments):
        """Start a fresh request: one pending line per department (SOP D6).

        Runs as superuser after ``_fs_check_can_request_approval`` checked
        that the current user may issue (D2); the lines are read-only to
        everyone else.
        """
        self.ensure_one()
        now = fields.Datetime.now()
        requester = self.env.user
        order = self.sudo()
        order.write({"requested_by_id": requester.id, "requested_at": now})
        stale = order.approval_ids.filtered(
            lambda a: a.department_id not in departments
        )
        stale.unlink()
        lines = order.approval_ids - stale
        values = {
            "state": "pending",
            "requested_by_id": requester.id,
            "requested_at": now,
            "decided_by_id": False,
            "decided_at": False,
            "reason": False,
        }
        lines.write(values)
        new_departments = departments - lines.department_id
        lines |= (
            self.env["fs.dispatch.approval"]
            .sudo()
            .create(
                [
                    dict(values, order_id=self.id, department_id=department.id)
                    for department in new_departments
                ]
            )
        )
        # A multi-product job: the R&D Managers coordinate it (SOP D6).
        coordinators = lines[:1]._fs_rd_managers() if len(departments) > 1 else None
        lines._fs_close_activities()
        lines._fs_notify(coordinators)
        order.message_post(
            body=self.env._(
                "Issue requested by %(user)s; awaiting the approval of "
                "%(departments)s for the staff they send (SOP D6).",
                user=requester.name,
                departments=", ".join(departments.mapped("display_name")),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _fs_withdraw_approvals(self, previous):
        """Entering draft or cancelled from ``to_approve``: the request ended
        without an issue, its undecided lines are withdrawn (SOP D6)."""
        ended = self.filtered(lambda o: previous[o.id] == "to_approve")
        pending = ended.sudo().approval_ids.filtered(lambda a: a.state == "pending")
        pending.write({"state": "withdrawn"})
        pending._fs_close_activities()

    def _fs_approval_decided(self, approval):
        """React to a decision; ``self`` is sudo, the decider was checked (D6)."""
        self.ensure_one()
        decider = approval.decided_by_id
        if approval.state == "rejected":
            self.write({"state": "draft"})
            self.message_post(
                body=self.env._(
                    "%(user)s rejected sending the staff of %(department)s: "
                    "%(reason)s. Change the order and issue it again (SOP D6).",
                    user=decider.name,
                    department=approval.department_id.display_name,
                    reason=approval.reason,
                ),
                partner_ids=self.requested_by_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            return
        self.message_post(
            body=self.env._(
                "%(user)s approved sending the staff of %(department)s (SOP D6).",
                user=decider.name,
                department=approval.department_id.display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        if not self._fs_approvals_missing():
            self._fs_issue_for_requester()

    def _fs_issue_for_requester(self):
        """Every department approved: issue in the requester's name (D2, D6).

        The approver's decision completes the requester's own issue, so the
        requester's rights are checked as of now (a revoked delegation stops
        it). If the issue fails, the approvals stay and the order waits for an
        Engineering Manager (or the requester, once allowed) to issue it.
        """
        self.ensure_one()
        requester = self.requested_by_id
        order = self.with_user(requester).with_context(
            allowed_company_ids=self.company_id.ids
        )
        try:
            with self.env.cr.savepoint():
                order.action_issue()
        except (AccessError, UserError, ValidationError) as error:
            self.sudo().message_post(
                body=self.env._(
                    "Every department approved, but %(order)s could not be "
                    "issued in the name of %(user)s: %(error)s An Engineering "
                    "Manager can issue it now.",
                    order=self.name,
                    user=requester.name,
                    error=error.args[0] if error.args else "",
                ),
                partner_ids=requester.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            return False
        return True
