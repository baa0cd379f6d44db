# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class FsEmergencyPlan(models.Model):
    """Workflow of the emergency plan: submit, approve, reject, reopen (D16).

    The buttons check who presses them, then write the state and its stamps
    as superuser; the plan's home (fs_emergency_plan.py) names the checks of
    the moves defined here (``_fs_check_complete``, ``_fs_check_can_reopen``)
    and refuses the state and the stamps to every other write.
    """

    _inherit = "fs.emergency.plan"

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
        # Stamps are not writable by users: the checks above stand in; the
        # move checks the plan is complete (``_fs_check_complete``).
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
            voided = plan.state == "approved"
            # The move checks the order is not issued (``_fs_check_can_reopen``).
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
    def _fs_check_complete(self):
        """Everything the SOP lists is in the plan before the director sees it
        (check of the move to ``submitted``)."""
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

    def _fs_check_can_reopen(self):
        """An approved plan of an issued order stays (check of the move back
        to draft): the order went with it (SOP D16)."""
        if self.state == "approved" and self.order_id.state not in (
            "draft",
            "cancelled",
        ):
            raise UserError(
                self.env._(
                    "%(plan)s was approved and %(order)s is already issued: "
                    "its plan cannot be reopened. Cancel the order and reset "
                    "it to draft first.",
                    plan=self.display_name,
                    order=self.order_id.name,
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
            raise AccessError(self._fs_director_message(verb))
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
