# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Fields that only the workflow methods write (SOP D16): a raw write of them,
# from a form or RPC, would approve a plan without the Service Director.
WORKFLOW_FIELDS = {
    "state",
    "submitted_at",
    "submitted_by_id",
    "approved_at",
    "approved_by_id",
    "rejected_at",
    "rejected_by_id",
}
# What the Service Director may write on a submitted plan: the reason for
# rejecting it, entered before pressing Reject.
DIRECTOR_REVIEW_FIELDS = {"rejection_reason"}


class FsEmergencyPlan(models.Model):
    """Workflow of the emergency plan: submit, approve, reject, reopen (D16).

    Workflow fields are written only by these methods; ``create`` and
    ``write`` refuse them, and freeze a plan's content once it leaves draft
    (see the rights in the model's docstring, fs_emergency_plan.py).
    """

    _inherit = "fs.emergency.plan"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                # What will be stored, context defaults included.
                stored = self._fs_with_context_defaults(vals)
                if stored.get("state", "draft") != "draft" or any(
                    stored.get(f) for f in WORKFLOW_FIELDS - {"state"}
                ):
                    raise UserError(
                        self.env._(
                            "An emergency plan starts as a draft; submit it for the "
                            "Service Director's approval with its Submit button "
                            "(SOP D16)."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.check_access("write")  # access rights first, then the SOP rules
            self._check_write_allowed(vals)
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
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        """Send the plan to the Service Director (SOP D16)."""
        self._check_planner()
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._(
                        "%(plan)s is not a draft: only a draft plan can be submitted.",
                        plan=plan.display_name,
                    )
                )
            plan._check_complete()
        # Workflow fields are not writable by users: the checks above stand in.
        self.sudo().write(
            {
                "state": "submitted",
                "submitted_at": fields.Datetime.now(),
                "submitted_by_id": self.env.user.id,
                "rejection_reason": False,
            }
        )
        for plan in self:
            directors = plan._fs_directors()
            plan.message_post(
                body=self.env._(
                    "Emergency plan submitted for approval by the Service Director."
                ),
                partner_ids=directors.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_approve(self):
        """The Service Director signs the plan (SOP D16)."""
        self._check_director(self.env._("approve"))
        self._check_state("submitted", self.env._("approved"))
        now = fields.Datetime.now()
        self.sudo().write(
            {
                "state": "approved",
                "approved_at": now,
                "approved_by_id": self.env.user.id,
                "rejected_at": False,
                "rejected_by_id": False,
            }
        )
        for plan in self:
            plan.order_id.message_post(
                body=self.env._(
                    "Emergency plan approved by %(director)s: the order may be "
                    "issued (SOP D16).",
                    director=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_reject(self, reason=None):
        """The Service Director refuses the plan, with a reason (SOP D16)."""
        self._check_director(self.env._("reject"))
        self._check_state("submitted", self.env._("rejected"))
        for plan in self:
            plan_reason = reason or plan.rejection_reason
            if not plan_reason:
                raise UserError(
                    self.env._(
                        "%(plan)s: enter the rejection reason first, so the "
                        "planner knows what to change.",
                        plan=plan.display_name,
                    )
                )
            plan.sudo().write(
                {
                    "state": "rejected",
                    "rejected_at": fields.Datetime.now(),
                    "rejected_by_id": self.env.user.id,
                    "rejection_reason": plan_reason,
                }
            )
        return True

    def action_reset_draft(self):
        """Reopen the plan for changes; an approval given is void (SOP D16)."""
        self._check_planner()
        for plan in self:
            if plan.state == "draft":
                continue
            if plan.state == "approved" and plan.order_id.state not in (
                "draft",
                "cancelled",
            ):
                raise UserError(
                    self.env._(
                        "%(plan)s was approved and %(order)s is already issued: "
                        "its plan cannot be reopened. Cancel the order and reset "
                        "it to draft first.",
                        plan=plan.display_name,
                        order=plan.order_id.name,
                    )
                )
            voided = plan.state == "approved"
            plan.sudo().write(
                {
                    "state": "draft",
                    "approved_at": False,
                    "approved_by_id": False,
                    "submitted_at": False,
                    "submitted_by_id": False,
                }
            )
            if voided:
                body = self.env._(
                    "Emergency plan reopened by %(user)s: the approval is void and "
                    "the plan must be approved again (SOP D16).",
                    user=self.env.user.name,
                )
                plan.message_post(body=body, subtype_xmlid="mail.mt_note")
                plan.order_id.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _check_write_allowed(self, vals):
        """Workflow fields move by buttons; content only while draft (D16)."""
        workflow = WORKFLOW_FIELDS & set(vals)
        if workflow:
            raise UserError(
                self.env._(
                    "Submit, approve, reject or reopen an emergency plan with its "
                    "buttons (SOP D16); %(fields)s cannot be written directly.",
                    fields=", ".join(
                        sorted(
                            self._fields[f].get_description(self.env)["string"]
                            for f in workflow
                        )
                    ),
                )
            )
        if "order_id" in vals and any(p.order_id.id != vals["order_id"] for p in self):
            raise UserError(
                self.env._(
                    "An emergency plan belongs to its order: write a new plan for "
                    "the other order."
                )
            )
        # Chatter bookkeeping (attachments, activities) is not plan content.
        content = {f for f in vals if not f.startswith(("message_", "activity_"))}
        if not content:
            return
        for plan in self.filtered(lambda p: p.state != "draft"):
            if plan.state == "submitted" and content <= DIRECTOR_REVIEW_FIELDS:
                plan._check_director(self.env._("review"))
                continue
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(plan)s is %(state)s and cannot be changed: reopen it with "
                    "Reset to Draft (an approval is then void and must be given "
                    "again, SOP D16).",
                    plan=plan.display_name,
                    state=states[plan.state],
                )
            )

    def _check_complete(self):
        """Everything the SOP lists is in the plan before the director sees it."""
        self.ensure_one()
        missing = [
            label
            for present, label in (
                (self.expected_duration_hours > 0, self.env._("the expected duration")),
                (self.staff_ids, self.env._("the staff")),
                (self.lead_id, self.env._("the emergency lead")),
                (self.tools, self.env._("the tools")),
                (self.items, self.env._("the maintenance items")),
                (self.estimated_cost > 0, self.env._("the estimated cost")),
                (self.travel_minutes > 0, self.env._("the travel time")),
                (
                    self.customer_consent_at and self.customer_consent_by,
                    self.env._("the customer's consent (when, and who agreed)"),
                ),
            )
            if not present
        ]
        if missing:
            raise UserError(
                self.env._(
                    "%(plan)s cannot be submitted without %(missing)s (SOP D16).",
                    plan=self.display_name,
                    missing=", ".join(missing),
                )
            )

    def _check_planner(self):
        """Dispatchers and managers write and reopen plans (SOP D16)."""
        if not (
            self.env.su
            or self.env.user.has_group("field_service_sop.group_fs_dispatcher")
        ):
            raise AccessError(
                self.env._(
                    "Only dispatchers and managers submit or reopen emergency plans."
                )
            )
        self.check_access("write")

    def _check_director(self, verb):
        """Only a Service Director decides on an emergency plan (SOP D16)."""
        if not (
            self.env.su
            or self.env.user.has_group("field_service_sop.group_fs_director")
        ):
            raise AccessError(
                self.env._(
                    "Only a Service Director may %(verb)s an emergency plan (SOP "
                    "D16); %(user)s is not one.",
                    verb=verb,
                    user=self.env.user.name,
                )
            )
        self.check_access("write")

    def _check_state(self, expected, target_label):
        for plan in self:
            if plan.state != expected:
                raise UserError(
                    self.env._(
                        "%(plan)s cannot be %(target)s: it is not submitted.",
                        plan=plan.display_name,
                        target=target_label,
                    )
                )

    def _fs_directors(self):
        """Service Directors who may approve this plan (its company's)."""
        self.ensure_one()
        group = self.env.ref("field_service_sop.group_fs_director")
        return group.users.filtered(
            lambda u: not u.share and self.company_id in u.company_ids
        )
