# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# What the new order takes over from the one it replaces.
COPIED_FIELDS = (
    "company_id",
    "ticket_id",
    "contract_ref",
    "partner_id",
    "site_contact_id",
    "site_address",
    "site_phone",
    "service_type_id",
    "purpose",
    "content",
    "attention_points",
    "priority",
    "window_start",
    "window_end",
    "symptoms",
)


class FsDispatchTransfer(models.TransientModel):
    """Transfer an order to another team or engineer (转单, SOP D14).

    The order cannot be finished by its team (e.g. a hardware fault for the
    hardware team): a new draft order, linked to the old one, goes to the new
    engineers and is issued as usual (SOP D2); the old one ends as transferred.
    """

    _name = "fs.dispatch.transfer"
    _description = "Transfer a Dispatch Order"

    order_id = fields.Many2one("fs.dispatch.order", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_id.company_id", compute_sudo=False)
    reason = fields.Text(required=True)
    engineer_ids = fields.Many2many("hr.employee", string="New Engineers")
    lead_engineer_id = fields.Many2one(
        "hr.employee", string="New Lead Engineer", domain="[('id', 'in', engineer_ids)]"
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.order_id.check_access("write")
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
        if not self.env.user.has_group("field_service_sop.group_fs_dispatcher"):
            raise AccessError(
                self.env._("Only dispatchers and managers transfer orders.")
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for the transfer (SOP D14)."))
        if not self.engineer_ids:
            raise UserError(
                self.env._(
                    "Choose the engineers who take over %(order)s.", order=order.name
                )
            )
        if "transferred" not in order._fs_transitions.get(order.state, ()):
            raise UserError(
                self.env._(
                    "%(order)s cannot be transferred in its state.", order=order.name
                )
            )
        values = {field: order[field] for field in COPIED_FIELDS}
        values = order._convert_to_write(values)
        values.update(
            {
                "engineer_ids": [fields.Command.set(self.engineer_ids.ids)],
                "lead_engineer_id": (self.lead_engineer_id or self.engineer_ids[:1]).id,
            }
        )
        new_order = self.env["fs.dispatch.order"].create(values)
        # The links are the transfer's own record, written only here, after the
        # dispatcher's right was checked above (SOP D14).
        new_order.sudo().write({"transferred_from_id": order.id})
        order.sudo().write(
            {"transfer_reason": self.reason, "transferred_to_id": new_order.id}
        )
        order.write({"state": "transferred"})
        order.message_post(
            body=self.env._(
                "Transferred to %(new)s (SOP D14). Reason: %(reason)s",
                new=new_order.name,
                reason=self.reason,
            )
        )
        new_order.message_post(
            body=self.env._(
                "Transferred from %(old)s. Reason: %(reason)s",
                old=order.name,
                reason=self.reason,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "fs.dispatch.order",
            "res_id": new_order.id,
            "view_mode": "form",
        }
