# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class FsEngineerAssessment(models.Model):
    """A penalty record on an engineer, with the service report as evidence.

    SOP S4: a missing signature past the grace period, a missing rating, or a
    signature an Engineering Manager marks as forged feeds the engineer's
    assessment. One record per report and reason (idempotent scheduled
    action); a forged signature counts once per signature, identified by the
    report's sealed fingerprint (``evidence_fingerprint``), so a report
    reopened, signed again and again forged is counted twice. Both keys are
    partial unique indexes in the database (see ``init``).

    Rights: nobody creates, changes or deletes an assessment by hand; the
    scheduled action creates them (superuser), and an Engineering Manager
    creates the forged-signature one through the report's
    ``action_mark_forged``. Managers read all of their companies'
    assessments, an engineer reads only his own.
    """

    _name = "fs.engineer.assessment"
    _description = "Engineer Assessment"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    employee_id = fields.Many2one(
        "hr.employee",
        string="Engineer",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True)
    report_id = fields.Many2one(
        "fs.service.report",
        string="Service Report",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The evidence (SOP S4).",
    )
    order_id = fields.Many2one(
        related="report_id.order_id", string="Dispatch Order", store=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    reason = fields.Selection(
        [
            ("missing_signature", "Missing Signature"),
            ("missing_rating", "Missing Rating"),
            ("forged_signature", "Forged Signature"),
        ],
        required=True,
        readonly=True,
    )
    note = fields.Text(readonly=True)
    evidence_fingerprint = fields.Char(
        readonly=True,
        help="SOP S4: the sealed fingerprint of the signature marked forged.",
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    created_by_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        readonly=True,
        help="The manager who marked the signature forged; empty when the "
        "scheduled check recorded it.",
    )

    def init(self):
        # SOP S4: two scheduled workers never count a report twice; a forged
        # signature counts once per signature (sealed fingerprint).
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE fs_engineer_assessment "
            "DROP CONSTRAINT IF EXISTS fs_engineer_assessment_report_reason_uniq"
        )
        cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS "
            "fs_engineer_assessment_report_reason_uidx "
            "ON fs_engineer_assessment (report_id, reason) "
            "WHERE reason != 'forged_signature'"
        )
        cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS fs_engineer_assessment_forged_uidx "
            "ON fs_engineer_assessment (report_id, evidence_fingerprint) "
            "WHERE reason = 'forged_signature'"
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.depends("employee_id", "reason", "report_id")
    def _compute_display_name(self):
        reasons = dict(self._fields["reason"]._description_selection(self.env))
        for assessment in self:
            assessment.display_name = (
                f"{assessment.employee_id.name} - {reasons.get(assessment.reason)}"
                f" ({assessment.report_id.name})"
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Assessments are recorded by the scheduled check, or by an "
                    "Engineering Manager marking a signature as forged on the "
                    "service report (SOP S4); they cannot be created by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and any(
            not key.startswith(("message_", "activity_")) for key in vals
        ):
            raise AccessError(
                self.env._("An assessment is evidence: nobody may change it.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.su:
            raise AccessError(
                self.env._("An assessment is evidence: nobody may delete it.")
            )
