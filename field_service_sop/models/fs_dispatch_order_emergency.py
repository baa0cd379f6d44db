# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_datetime


class FsDispatchOrder(models.Model):
    """Emergency dispatch orders (SOP D16).

    An order marked Emergency cannot be issued before its emergency plan is
    approved by a Service Director, and the issued order sends the people the
    plan names. On departure the customer is told, by a queued e-mail from the
    template ``fs_dispatch_order_mail_template_emergency_departure``, that the
    team left and when it is expected: the ETA is the one the lead engineer
    entered on the order, or else the departure time plus the plan's travel
    time (proposed from the site's travel time of SOP D12, and the one the
    customer agreed to with the plan). The appointment is not used: an
    emergency team leaves as soon as it can, not to arrive at an agreed slot.

    Rights: dispatchers mark orders as emergencies while they are drafts;
    engineers on the order may enter the ETA; everything else as on any order
    (the rules and rights are in the order's home, fs_dispatch_order.py,
    which names the check and the departure hook defined here).
    """

    _inherit = "fs.dispatch.order"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    is_emergency = fields.Boolean(
        string="Emergency",
        tracking=True,
        copy=False,
        help="SOP D16: the order can only be issued once its emergency plan is "
        "approved by a Service Director; the customer is told the ETA on "
        "departure.",
    )
    emergency_plan_ids = fields.One2many(
        "fs.emergency.plan", "order_id", string="Emergency Plans"
    )
    emergency_plan_id = fields.Many2one(
        "fs.emergency.plan",
        compute="_compute_emergency_plan_id",
        search="_search_emergency_plan_id",
        help="At most one plan per order (unique on the plan).",
    )
    emergency_plan_state = fields.Selection(
        related="emergency_plan_id.state", string="Emergency Plan Status"
    )
    emergency_eta = fields.Datetime(
        string="Expected Arrival",
        copy=False,
        tracking=True,
        help="Told to the customer on departure (SOP D16). Left empty, it is "
        "the departure time plus the plan's travel time.",
    )
    emergency_informed_at = fields.Datetime(
        string="Customer Informed At", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("emergency_plan_ids")
    def _compute_emergency_plan_id(self):
        for order in self:
            order.emergency_plan_id = order.emergency_plan_ids[:1]

    def _search_emergency_plan_id(self, operator, value):
        return [("emergency_plan_ids", operator, value)]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("emergency_eta", "departed_at")
    def _check_emergency_eta(self):
        for order in self:
            if (
                order.emergency_eta
                and order.departed_at
                and order.emergency_eta < order.departed_at
            ):
                raise ValidationError(
                    self.env._(
                        "%(order)s: the expected arrival is before the departure. "
                        "Correct the ETA.",
                        order=order.name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_emergency_plan(self):
        """Open the order's emergency plan, or a new one for it."""
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Emergency Plan"),
            "res_model": "fs.emergency.plan",
            "view_mode": "form",
            "context": {"default_order_id": self.id},
        }
        if self.emergency_plan_id:
            action["res_id"] = self.emergency_plan_id.id
        return action

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_check_emergency_plan(self):
        """No emergency order without a director-approved plan (SOP D16)."""
        if self.is_emergency:
            plan = self.emergency_plan_id
            if plan.state != "approved":
                raise UserError(
                    self.env._(
                        "%(order)s is an emergency order: its emergency plan must "
                        "be approved by a Service Director before it is issued "
                        "(SOP D16). Write the plan and submit it for approval.",
                        order=self.name,
                    )
                )
            outsiders = self.engineer_ids - plan.staff_ids
            if self.lead_engineer_id != plan.lead_id or outsiders:
                raise UserError(
                    self.env._(
                        "%(order)s must send the people of its approved emergency "
                        "plan (SOP D16): lead %(lead)s, staff %(staff)s. Correct "
                        "the order's engineers, or reopen the plan and have it "
                        "approved again.",
                        order=self.name,
                        lead=plan.lead_id.name,
                        staff=", ".join(plan.staff_ids.mapped("name")),
                    )
                )

    def _fs_emergency_eta(self):
        """When the team is expected on site; override to plug a route planner."""
        self.ensure_one()
        departed = self.departed_at or fields.Datetime.now()
        if self.emergency_eta and self.emergency_eta >= departed:
            return self.emergency_eta
        minutes = self.emergency_plan_id.travel_minutes or self._fs_travel_minutes()
        return departed + timedelta(minutes=minutes)

    def _fs_inform_emergency_departure(self, previous):
        """Entering ``departed``: tell the customer of an emergency order that
        the team left and its ETA (SOP D16).

        The departure passed every guard of the write, as this user. The
        e-mail is queued (never sent inside the departure's transaction) and
        the chatter records who was told what; a customer without e-mail
        address is left to the lead engineer's phone call, and the chatter says
        so.
        """
        departing = self.filtered("is_emergency")
        if not departing:
            return
        template = self.env.ref(
            "field_service_sop.fs_dispatch_order_mail_template_emergency_departure",
            raise_if_not_found=False,
        )
        now = fields.Datetime.now()
        for order in departing:
            eta = order._fs_emergency_eta()
            # Stamps of a move this user was just allowed to make.
            order.sudo().write(
                {
                    "departed_at": order.departed_at or now,
                    "emergency_eta": eta,
                    "emergency_informed_at": now,
                }
            )
            recipient = order.site_contact_id or order.partner_id
            # Issue 12.3: the time the customer was given, in its zone.
            tz = order._fs_customer_tz()
            eta_text = "%s (%s)" % (
                format_datetime(self.env, eta, tz=tz, dt_format="short"),
                tz,
            )
            if template and recipient.email:
                template.send_mail(order.id)
                body = self.env._(
                    "Customer informed of the departure by e-mail to %(recipient)s: "
                    "expected arrival %(eta)s (SOP D16).",
                    recipient=recipient.display_name,
                    eta=eta_text,
                )
            elif not template:
                body = self.env._(
                    "The e-mail template for emergency departures was deleted: the "
                    "lead engineer phones the customer to say the team left, "
                    "expected arrival %(eta)s (SOP D16).",
                    eta=eta_text,
                )
            else:
                body = self.env._(
                    "%(recipient)s has no e-mail address: the lead engineer phones "
                    "the customer to say the team left, expected arrival %(eta)s "
                    "(SOP D16).",
                    recipient=recipient.display_name or self.env._("The customer"),
                    eta=eta_text,
                )
            order.message_post(body=body, subtype_xmlid="mail.mt_note")
