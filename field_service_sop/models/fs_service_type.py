# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FsServiceType(models.Model):
    """Kind of field service: fault repair, health check, installation ... (SOP S7).

    Dispatch orders, service reports and SLA policies are classified by it. A type
    that touches customer systems requires the customer's consent before work
    (backups confirmed, downtime approved, recovery data kept: SOP S5, S6).

    Rights: everyone in Field Service SOP reads; Engineering Managers and above
    create, change and archive. Shared across companies when no company is set.
    """

    _name = "fs.service.type"
    _description = "Field Service Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short technical code, unique per company, used by reports and "
        "integrations.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        index=True,
        help="Leave empty to share the type between all companies.",
    )
    touches_customer_systems = fields.Boolean(
        help="SOP S6: the customer confirms backups, approves downtime and keeps "
        "recovery information, and signs, before any work is recorded.",
    )
    description = fields.Text(translate=True)
    color = fields.Integer()
    planned_hours = fields.Float(
        string="Usual Duration",
        default=2.0,
        help="How long a visit of this type usually takes on site: the expected "
        "duration a new dispatch order starts from, which sets its end on the "
        "planning views.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A service type with this code already exists in this company: "
            "choose another code.",
        ),
    ]

    @api.constrains("planned_hours")
    def _check_planned_hours(self):
        for service_type in self:
            if service_type.planned_hours < 0:
                raise ValidationError(
                    self.env._(
                        "%(type)s: the usual duration cannot be negative (got "
                        "%(hours)s h). Enter the hours a visit of this type "
                        "usually takes on site.",
                        type=service_type.name,
                        hours=service_type.planned_hours,
                    )
                )
