# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FsEscalationDecide(models.TransientModel):
    """Decide an SLA escalation: acknowledge, reassign, extend or escalate.

    SOP E4: the person at the escalation's level (or a superior) decides. The
    wizard only collects and checks the inputs; the escalation's ``action_*``
    methods apply the decision and check who decides, so the same rules hold
    over RPC.
    """

    _name = "fs.escalation.decide"
    _description = "Decide an SLA Escalation"

    escalation_id = fields.Many2one(
        "fs.escalation", string="Escalation", required=True, ondelete="cascade"
    )
    level = fields.Integer(related="escalation_id.level", compute_sudo=False)
    timer_id = fields.Many2one(related="escalation_id.timer_id", compute_sudo=False)
    deadline = fields.Datetime(related="escalation_id.deadline", compute_sudo=False)
    responsible_id = fields.Many2one(
        related="escalation_id.responsible_id", compute_sudo=False
    )
    company_id = fields.Many2one(related="escalation_id.company_id", compute_sudo=False)
    decision = fields.Selection(
        [
            ("acknowledge", "Acknowledge with an action plan"),
            ("reassign", "Reassign"),
            ("extend", "Extend the deadline"),
            ("escalate", "Escalate to the next level"),
        ],
        required=True,
        default="acknowledge",
    )
    action_plan = fields.Text(help="What will be done, by whom and by when (SOP E4).")
    user_id = fields.Many2one(
        "res.users",
        string="New Responsible",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    new_deadline = fields.Datetime()
    reason = fields.Text(help="Why the deadline moves; kept on the SLA clock.")
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "escalation_id" in fields_list
            and not values.get("escalation_id")
            and context.get("active_model") == "fs.escalation"
        ):
            values["escalation_id"] = context.get("active_id")
        return values

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._fs_check_deadline_value(vals)
        wizards = super().create(vals_list)
        # SOP E4: only who may decide the escalation opens its decision (and
        # sees its clock): the record rules and the decider check, up front.
        wizards.escalation_id.check_access("read")
        wizards.escalation_id._fs_check_decider()
        return wizards

    def write(self, vals):
        self._fs_check_deadline_value(vals)
        return super().write(vals)

    @api.model
    def _fs_check_deadline_value(self, vals):
        """A clear refusal of a deadline that is no date (not the ORM's)."""
        if vals.get("new_deadline"):
            self.env["fs.escalation"]._fs_parse_deadline(vals["new_deadline"])

    def _fs_check_inputs(self):
        self.ensure_one()
        missing = {
            "acknowledge": not (self.action_plan or "").strip()
            and self.env._("Write the action plan to acknowledge the escalation."),
            "reassign": not self.user_id
            and self.env._("Choose the person who takes over the SLA clock."),
            "extend": not (self.new_deadline and (self.reason or "").strip())
            and self.env._(
                "Give the new deadline and the reason to extend the deadline."
            ),
        }.get(self.decision)
        if missing:
            raise ValidationError(missing)
        if self.decision == "extend" and self.new_deadline <= fields.Datetime.now():
            raise ValidationError(self.env._("The new deadline must be in the future."))

    def action_confirm(self):
        self._fs_check_inputs()
        escalation = self.escalation_id
        if self.decision == "acknowledge":
            escalation.action_acknowledge(self.action_plan)
        elif self.decision == "reassign":
            escalation.action_reassign(self.user_id.id, self.note)
        elif self.decision == "extend":
            escalation.action_extend(self.new_deadline, self.reason)
        else:
            escalation.action_escalate(self.note)
        return {"type": "ir.actions.act_window_close"}
