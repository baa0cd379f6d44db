# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class FsServiceReport(models.Model):
    """The engineer assessment fed by service reports (SOP S4).

    ``_cron_fs_check_assessments`` records missing signatures and ratings past
    the company's grace period; an Engineering Manager marks a forged
    signature (``action_mark_forged``). The flags are stamps
    (``ASSESSMENT_STAMP_FIELDS``): only these actions write them.
    """

    _inherit = "fs.service.report"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    # SOP S4: engineer assessment
    signature_forged = fields.Boolean(readonly=True, copy=False, tracking=True)
    # The manager's evidence against the lead engineer: managers only (the
    # second engineer of the order reads the report, not the assessment).
    forged_reason = fields.Text(
        readonly=True, copy=False, groups="field_service_sop.group_fs_manager"
    )
    forged_at = fields.Datetime(readonly=True, copy=False)
    forged_by_id = fields.Many2one(
        "res.users", string="Marked Forged By", readonly=True, copy=False
    )
    assessment_checked_at = fields.Datetime(
        readonly=True,
        copy=False,
        help="SOP S4: when the grace-period check looked at this report.",
    )
    assessment_grace_from = fields.Datetime(
        readonly=True,
        copy=False,
        help="SOP S4: the grace period runs from the visit, or from this later "
        "time when the report was reopened (its signature void).",
    )
    assessment_ids = fields.One2many(
        "fs.engineer.assessment", "report_id", string="Assessments"
    )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_mark_forged(self, reason):
        """SOP S4: an Engineering Manager marks the signature as forged."""
        if not self.env.user.has_group("field_service_sop.group_fs_manager"):
            raise AccessError(
                self.env._("Only an Engineering Manager marks a signature as forged.")
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Give the reason why the signature is forged: it is the "
                    "evidence in the engineer's assessment."
                )
            )
        self.check_access("read")
        for report in self:
            if report.state != "signed" or not report.signature:
                raise UserError(
                    self.env._(
                        "%(report)s has no accepted customer signature: only the "
                        "signature of a signed report can be marked forged (SOP "
                        "S4).",
                        report=report.name,
                    )
                )
            if report.signature_forged:
                raise UserError(
                    self.env._(
                        "%(report)s: this signature is already marked forged.",
                        report=report.name,
                    )
                )
            # The manager's right was checked above; stamps are su-only.
            report.sudo().write(
                {
                    "signature_forged": True,
                    "forged_reason": reason,
                    "forged_at": fields.Datetime.now(),
                    "forged_by_id": self.env.uid,
                }
            )
            report._fs_create_assessment(
                "forged_signature", reason, created_by=self.env.user
            )
        return True

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_reopen_values(self):
        """SOP S4, S5: the void signature's forged flag goes with it (the
        assessment stays); the report is looked at again, its grace period
        running from the reopening."""
        return super()._fs_reopen_values() | {
            "signature_forged": False,
            "forged_reason": False,
            "forged_at": False,
            "forged_by_id": False,
            "assessment_checked_at": False,
            "assessment_grace_from": fields.Datetime.now(),
        }

    def _fs_create_assessment(self, reason, note, created_by=None):
        """SOP S4: one assessment per report and reason on the lead engineer;
        a forged signature counts once per signature (the sealed fingerprint),
        so a second forgery after a reopen and re-sign is recorded too."""
        self.ensure_one()
        Assessment = self.env["fs.engineer.assessment"].sudo()
        evidence = self.fingerprint if reason == "forged_signature" else False
        domain = [("report_id", "=", self.id), ("reason", "=", reason)]
        if reason == "forged_signature":
            domain.append(("evidence_fingerprint", "=", evidence))
        if not self.engineer_id or Assessment.search_count(domain):
            return Assessment
        assessment = Assessment.create(
            {
                "employee_id": self.engineer_id.id,
                "report_id": self.id,
                "company_id": self.company_id.id,
                "reason": reason,
                "note": note,
                "evidence_fingerprint": evidence,
                "created_by_id": created_by.id if created_by else False,
            }
        )
        self.sudo().message_post(
            body=self.env._(
                "Engineer assessment recorded for %(engineer)s: %(reason)s (SOP S4).",
                engineer=self.engineer_id.name,
                reason=dict(
                    Assessment._fields["reason"]._description_selection(self.env)
                )[reason],
            )
        )
        return assessment

    def _fs_assessment_findings(self):
        """SOP S4: (reason, note) found on a report past its grace period."""
        self.ensure_one()
        findings = []
        if self.state != "signed":
            findings.append(
                (
                    "missing_signature",
                    self.env._(
                        "No customer signature %(hours)s h after the visit.",
                        hours=self.company_id.fs_signature_grace_hours,
                    ),
                )
            )
        if not all(
            (
                self.rating_attitude,
                self.rating_response,
                self.rating_effect,
                self.rating_overall,
            )
        ):
            findings.append(
                ("missing_rating", self.env._("The customer's rating is missing."))
            )
        return findings

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_fs_check_assessments(self, batch_size=200):
        """SOP S4: reports past the signature grace period, in locked batches.

        Each report is looked at once (``assessment_checked_at``, reset by a
        reopen); the unique (report, reason) key keeps a rerun from counting
        twice.
        """
        self.flush_model()
        self.env["res.company"].flush_model(["fs_signature_grace_hours"])
        self.env["fs.dispatch.order"].flush_model(["arrived_at"])
        # The visit's end, else its start, else the order's arrival, else the
        # report's creation: blanking the times never hides a report (S4, S8);
        # a reopened report's grace period restarts from the reopening.
        where = SQL(
            """r.state != 'cancelled'
               AND r.assessment_checked_at IS NULL
               AND GREATEST(
                       COALESCE(r.departure_at, r.arrival_at, o.arrived_at,
                                r.create_date),
                       r.assessment_grace_from)
                   + make_interval(hours => c.fs_signature_grace_hours) < %s""",
            fields.Datetime.now(),
        )
        rows = self.env.execute_query(
            SQL(
                """SELECT r.id FROM fs_service_report r
                   JOIN res_company c ON c.id = r.company_id
                   JOIN fs_dispatch_order o ON o.id = r.order_id
                   WHERE %s ORDER BY r.id LIMIT %s
                   FOR UPDATE OF r SKIP LOCKED""",
                where,
                batch_size,
            )
        )
        reports = self.sudo().browse([row[0] for row in rows])
        for report in reports:
            # The cron runs in no language: the findings and the note on the
            # report, read by its followers, are in the company's language.
            report = report.with_context(
                lang=report.company_id.partner_id.lang or "en_US"
            )
            for reason, note in report._fs_assessment_findings():
                report._fs_create_assessment(reason, note)
        reports.write({"assessment_checked_at": fields.Datetime.now()})
        reports.flush_recordset(["assessment_checked_at"])
        remaining = self.env.execute_query(
            SQL(
                """SELECT count(*) FROM fs_service_report r
                   JOIN res_company c ON c.id = r.company_id
                   JOIN fs_dispatch_order o ON o.id = r.order_id WHERE %s""",
                where,
            )
        )[0][0]
        self.env["ir.cron"]._notify_progress(done=len(reports), remaining=remaining)
        return reports
