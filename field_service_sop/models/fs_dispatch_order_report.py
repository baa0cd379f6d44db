# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .fs_service_report import LOCKED_STATES

# What the signed report prints from its order (report/fs_service_report_report.xml).
SIGNED_SITE_FIELDS = {"site_address", "site_phone", "site_contact_id"}


class FsDispatchOrder(models.Model):
    """The service reports of an order (SOP S1) and in its history (D9).

    A smart button opens the order's reports; "Create Service Report" writes
    the visit's report (the report's ``create`` checks the order is issued and
    the user is one of its engineers or a dispatcher). The customer history
    page lists the customer's earlier reports, under the reader's rights.
    """

    _inherit = "fs.dispatch.order"

    service_report_ids = fields.One2many(
        "fs.service.report", "order_id", string="Service Reports", readonly=True
    )
    service_report_count = fields.Integer(compute="_compute_service_report_count")
    previous_report_ids = fields.Many2many(
        "fs.service.report",
        string="Previous Service Reports",
        compute="_compute_customer_history",
        help="SOP D9: the customer's service reports from other visits.",
    )

    def _fs_check_site_signed(self, vals):
        """SOP S2: the customer signed the site printed on the report; it is
        not rewritten through the order (a manager reopens the report).

        A rule on the values of the order's write (fs_dispatch_order.py).
        """
        if not SIGNED_SITE_FIELDS & set(vals):
            return
        # Read as superuser: a guard must see the reports whatever the rules.
        signed = self.sudo().service_report_ids.filtered(
            lambda r: r.state in LOCKED_STATES
        )
        if signed:
            raise UserError(
                self.env._(
                    "%(order)s: the site (address, phone, contact) is printed on "
                    "the service report %(report)s the customer signed (SOP S2) "
                    "and can no longer change. If it is wrong, an Engineering "
                    "Manager reopens the report first.",
                    order=signed[0].order_id.name,
                    report=signed[0].name,
                )
            )

    @api.depends("service_report_ids")
    def _compute_service_report_count(self):
        for order in self:
            order.service_report_count = len(order.service_report_ids)

    @api.depends_context("uid", "allowed_company_ids")
    @api.depends("partner_id")
    def _compute_customer_history(self):
        res = super()._compute_customer_history()
        reports = self._fs_customer_history("fs.service.report")
        for order in self:
            order.previous_report_ids = reports[order].filtered(
                lambda r, o=order: r.order_id != o._origin
            )
        return res

    def action_view_service_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sop.fs_service_report_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        if len(self.service_report_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.service_report_ids.id)
        return action

    def action_create_service_report(self):
        """Write the visit's report (SOP S1); rights checked by its create."""
        self.ensure_one()
        report = self.env["fs.service.report"].create({"order_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "fs.service.report",
            "res_id": report.id,
            "views": [(False, "form")],
        }

    def _fs_customer_tz(self):
        """Time zone of the order's customer documents: the printed dispatch
        order and the e-mails to the customer (issue 12.3)."""
        self.ensure_one()
        return self.partner_id._fs_customer_tz(self.company_id)
