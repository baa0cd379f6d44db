# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class FsChecklistItem(models.Model):
    """One item of the departure checklist (SOP D12).

    Tools, spare parts, service forms, media, anti-static and cleaning cloth:
    every active item of the order's company (or shared, without company) is
    copied onto a dispatch order when it is issued, and the engineers tick it
    before leaving.

    Rights: everyone in Field Service SOP reads; Engineering Managers and above
    create, change and archive. Shared across companies when no company is set.
    """

    _name = "fs.checklist.item"
    _description = "Departure Checklist Item"
    _order = "sequence, id"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        index=True,
        help="Leave empty to share the item between all companies.",
    )
    description = fields.Text(
        translate=True, help="What exactly to check or pack for this item."
    )


class FsDispatchChecklistLine(models.Model):
    """The departure checklist of one dispatch order (SOP D12).

    Lines are copied from the active checklist items when the order is issued;
    dispatchers may add or remove lines for the job. The order cannot depart
    while a line is not ticked. The checklist is frozen once the engineers
    have left (it then records what was checked).

    Rights: engineers on the order tick and untick lines (``done`` only);
    dispatchers and managers edit everything. Nobody ticks before the order
    is issued, and nothing changes after departure.
    """

    _name = "fs.dispatch.checklist.line"
    _description = "Dispatch Order Checklist Line"
    _order = "order_id, sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    order_id = fields.Many2one(
        "fs.dispatch.order",
        string="Dispatch Order",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    item_id = fields.Many2one(
        "fs.checklist.item",
        string="Checklist Item",
        check_company=True,
        ondelete="set null",
        help="Empty for a line the dispatcher added for this job only.",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True)
    description = fields.Text()
    done = fields.Boolean(string="Checked")
    done_by_id = fields.Many2one("res.users", string="Checked By", readonly=True)
    done_at = fields.Datetime(string="Checked At", readonly=True)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # What will be stored, context defaults included.
        stored_list = [self._fs_with_context_defaults(vals) for vals in vals_list]
        if not self.env.su:
            orders = self.env["fs.dispatch.order"].browse(
                {vals.get("order_id") for vals in stored_list if vals.get("order_id")}
            )
            self._fs_check_can_edit(
                orders, tick=any(v.get("done") for v in stored_list)
            )
            for vals in stored_list:
                self._fs_check_stamps(vals)
        for vals, stored in zip(vals_list, stored_list, strict=True):
            if "done" in stored:
                vals.update(self._fs_stamp(stored["done"]))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._fs_check_stamps(vals)
            self._fs_check_write_rights(vals)
        if "done" in vals:
            vals = dict(vals, **self._fs_stamp(vals["done"]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open_checklist(self):
        if self.env.su:
            return
        given = self.filtered(lambda line: line.item_id and line.order_id.issued_at)
        if given:
            raise UserError(
                self.env._(
                    "The company's departure checklist items of %(orders)s stay on "
                    "the issued order (SOP D12): they are ticked, not deleted.",
                    orders=", ".join(given.order_id.mapped("name")),
                )
            )
        frozen = self.order_id.filtered(
            lambda o: o.state in o._fs_checklist_closed_states()
            and o.state != "cancelled"
        )
        if frozen:
            raise UserError(
                self.env._(
                    "The departure checklist of %(orders)s is kept as the record "
                    "of what was checked before leaving (SOP D12); lines cannot "
                    "be deleted after departure.",
                    orders=", ".join(frozen.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Business: guards
    # ------------------------------------------------------------------
    def _fs_check_stamps(self, vals):
        """Who ticked and when are recorded by the tick itself, never typed."""
        if {"done_by_id", "done_at"} & set(vals):
            raise AccessError(
                self.env._(
                    "Who checked an item and when are recorded by ticking it "
                    "(SOP D12); they cannot be written."
                )
            )

    def _fs_stamp(self, done):
        """Who ticked and when; cleared again when unticked."""
        return {
            "done_by_id": self.env.user.id if done else False,
            "done_at": fields.Datetime.now() if done else False,
        }

    def _fs_check_write_rights(self, vals):
        """Engineers on the order tick lines; dispatchers edit them (SOP D12)."""
        self._fs_check_can_edit(self.order_id, tick=bool(vals.get("done")))
        user = self.env.user
        if user.has_group("field_service_sop.group_fs_dispatcher"):
            return
        forbidden = set(vals) - {"done"}
        if forbidden:
            labels = ", ".join(
                sorted(
                    self._fields[f].get_description(self.env)["string"]
                    for f in forbidden
                )
            )
            raise AccessError(
                self.env._(
                    "Engineers only tick the departure checklist; ask the "
                    "dispatcher to change: %(fields)s.",
                    fields=labels,
                )
            )
        for order in self.order_id:
            if user not in order.engineer_ids.user_id:
                raise AccessError(
                    self.env._(
                        "You are not an engineer on %(order)s: only its engineers "
                        "tick its departure checklist (SOP D12).",
                        order=order.name,
                    )
                )

    @api.model
    def _fs_check_can_edit(self, orders, tick=False):
        """The checklist is edited before departure, and ticked once issued."""
        for order in orders:
            if order.state in order._fs_checklist_closed_states():
                raise UserError(
                    self.env._(
                        "The departure checklist of %(order)s is closed: it "
                        "records what was checked before leaving (SOP D12).",
                        order=order.name,
                    )
                )
            if tick and not order._fs_checklist_can_tick():
                raise UserError(
                    self.env._(
                        "%(order)s is not issued yet: tick its departure "
                        "checklist once the order is issued, before leaving "
                        "(SOP D12).",
                        order=order.name,
                    )
                )
