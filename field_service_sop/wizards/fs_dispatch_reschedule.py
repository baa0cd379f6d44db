# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime


class FsDispatchReschedule(models.TransientModel):
    """Re-agree the visit time with the customer (SOP D11).

    The agreed arrival cannot be kept: the engineer calls the customer (at the
    latest the company's notice minutes before the agreed time), apologises and
    re-agrees. The reason is required; a customer who refuses escalates to the
    lead engineer's supervisor (an activity).
    """

    _name = "fs.dispatch.reschedule"
    _description = "Reschedule a Dispatch Order Visit"

    order_id = fields.Many2one("fs.dispatch.order", required=True, ondelete="cascade")
    old_appointment_at = fields.Datetime(
        related="order_id.appointment_at", compute_sudo=False
    )
    new_appointment_at = fields.Datetime(string="New Appointment")
    contacted_at = fields.Datetime(
        string="Customer Called At", required=True, default=fields.Datetime.now
    )
    reason = fields.Text(required=True)
    customer_agreed = fields.Boolean(default=True)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.order_id.check_access("read")  # no peeking at others' orders
        return wizards

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "fs.dispatch.order":
            values.setdefault("order_id", self.env.context.get("active_id"))
        return values

    def action_apply(self):
        self.ensure_one()
        order = self.order_id
        user = self.env.user
        if not (
            user.has_group("field_service_sop.group_fs_dispatcher")
            or user in order.engineer_ids.user_id
        ):
            raise AccessError(
                self.env._(
                    "Only the order's engineers or a dispatcher reschedule %(order)s.",
                    order=order.name,
                )
            )
        if order.state not in ("issued", "accepted", "departed"):
            raise UserError(
                self.env._(
                    "%(order)s can only be rescheduled before the engineer is on site.",
                    order=order.name,
                )
            )
        if not (self.reason or "").strip():
            raise UserError(
                self.env._("Give the reason the agreed time cannot be kept (SOP D11).")
            )
        if self.customer_agreed and not self.new_appointment_at:
            raise UserError(
                self.env._(
                    "Enter the new appointment the customer agreed to (SOP D11)."
                )
            )
        old = order.appointment_at
        notice = order.company_id.fs_reschedule_notice_minutes
        late_notice = bool(old and self.contacted_at > old - timedelta(minutes=notice))
        body = self.env._(
            "Visit rescheduled (SOP D11). Reason: %(reason)s. Customer called at "
            "%(called)s; agreed: %(agreed)s; new appointment: %(new)s.",
            reason=self.reason,
            called=format_datetime(self.env, self.contacted_at),
            agreed=self.env._("yes") if self.customer_agreed else self.env._("no"),
            new=format_datetime(self.env, self.new_appointment_at)
            if self.new_appointment_at
            else "-",
        )
        if late_notice:
            body += " " + self.env._(
                "The customer was called less than %(minutes)s minutes before the "
                "agreed time.",
                minutes=notice,
            )
        if self.customer_agreed:
            # Rights checked above: an engineer on the order or a dispatcher.
            order.sudo().write({"appointment_at": self.new_appointment_at})
        order.message_post(body=body)
        if not self.customer_agreed:
            supervisor = (
                order.lead_engineer_id.parent_id.user_id
                or order.lead_engineer_id.department_id.manager_id.user_id
                or order.dispatcher_id
            )
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Customer refused the new visit time (SOP D11)"),
                note=body,
                user_id=supervisor.id,
            )
        return {"type": "ir.actions.act_window_close"}
