# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FsServiceReportPart(models.Model):
    """Spare part line of a service report (SOP S7, 现场技术服务单 备件情况).

    New part (number, serial) and the old part it replaced, used or unused.
    Lines are part of the report's content: they follow its rights, need the
    customer's consent first when the service touches customer systems (S6),
    and are sealed with the report once it is signed (fingerprinted).
    """

    _name = "fs.service.report.part"
    _description = "Service Report Spare Part"
    _order = "report_id, sequence, id"
    _check_company_auto = True

    report_id = fields.Many2one(
        "fs.service.report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", check_company=True)
    description = fields.Char(required=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    new_part_number = fields.Char()
    new_serial = fields.Char()
    old_part_number = fields.Char()
    old_serial = fields.Char()
    usage = fields.Selection(
        [("used", "Used"), ("unused", "Unused")], default="used", required=True
    )

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id and not self.description:
            self.description = self.product_id.display_name

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "%(part)s: the quantity must be more than zero (%(qty)s "
                        "given). Remove the line if no part was used.",
                        part=line.description,
                        qty=line.quantity,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        reports = self.env["fs.service.report"].browse(
            {vals.get("report_id") for vals in vals_list}
        )
        reports._fs_check_part_change()
        return super().create(vals_list)

    def write(self, vals):
        reports = self.report_id
        if "report_id" in vals:
            reports |= reports.browse(vals["report_id"])
        reports._fs_check_part_change()
        return super().write(vals)

    def unlink(self):
        self.report_id._fs_check_part_change()
        return super().unlink()

    def _fs_fingerprint_fields(self):
        """Line fields covered by the report's fingerprint."""
        return [
            "product_id",
            "description",
            "quantity",
            "new_part_number",
            "new_serial",
            "old_part_number",
            "old_serial",
            "usage",
        ]
