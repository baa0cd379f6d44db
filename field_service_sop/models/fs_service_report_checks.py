# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, plaintext2html

UNSOLVED = ("partly", "not_solved")
# Written only by the actions below (evidence), never directly.
CHECK_STAMP_FIELDS = {
    "notified_dispatcher_at",
    "notified_dispatcher_by_id",
    "notified_dispatcher_note",
    "record_missing",
    "record_checked_at",
    "record_checked_by_id",
    "record_activity_id",
    "signature_forged",
    "forged_reason",
    "forged_at",
    "forged_by_id",
    "assessment_checked_at",
    # Relations written by their own actions, never through the report.
    "assessment_ids",
    "found_ticket_ids",
}


class FsServiceReport(models.Model):
    """Checks on a service report after the visit (SOP S4, S9, S10).

    S9: a partly or not solved result must be reported to the order's
    dispatcher before leaving the site (``action_notify_dispatcher``); until
    then the report cannot go to signature, be signed or be confirmed by
    phone. Problems found on site become linked helpdesk tickets
    (``action_create_ticket``), by the order's engineers or a dispatcher.
    S10: a Project Assistant (dispatcher) checks that the install /
    maintenance ticket is linked (``action_check_record``); if not, the lead
    engineer gets an activity and the report is flagged ``record_missing``
    (read by the reimbursement gate) until the ticket is linked.
    S4: ``_cron_fs_check_assessments`` records missing signatures and ratings
    past the company's grace period; an Engineering Manager marks a forged
    signature (``action_mark_forged``). All flags are stamps: only these
    actions write them.
    """

    _inherit = "fs.service.report"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    # SOP S9: unresolved problems
    dispatcher_notice = fields.Text(
        string="Message to Dispatcher",
        copy=False,
        help="SOP S9: why the problem is not solved and what happens next; "
        "sent with 'Notify Dispatcher'.",
    )
    notified_dispatcher_at = fields.Datetime(readonly=True, copy=False)
    notified_dispatcher_by_id = fields.Many2one(
        "res.users", string="Notified By", readonly=True, copy=False
    )
    notified_dispatcher_note = fields.Text(
        string="Notification Sent", readonly=True, copy=False
    )
    found_ticket_ids = fields.One2many(
        "helpdesk.ticket", "fs_found_report_id", string="Tickets Found On Site"
    )
    found_ticket_count = fields.Integer(compute="_compute_found_ticket_count")
    # SOP S10: maintenance record
    maintenance_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Maintenance Record",
        copy=False,
        ondelete="set null",
        check_company=True,
        help="SOP S10: the install / maintenance record in the ticket system.",
    )
    record_missing = fields.Boolean(readonly=True, copy=False, index=True)
    record_checked_at = fields.Datetime(readonly=True, copy=False)
    record_checked_by_id = fields.Many2one(
        "res.users", string="Record Checked By", readonly=True, copy=False
    )
    record_activity_id = fields.Many2one(
        "mail.activity", readonly=True, copy=False, ondelete="set null"
    )
    # SOP S4: engineer assessment
    signature_forged = fields.Boolean(readonly=True, copy=False, tracking=True)
    forged_reason = fields.Text(readonly=True, copy=False)
    forged_at = fields.Datetime(readonly=True, copy=False)
    forged_by_id = fields.Many2one(
        "res.users", string="Marked Forged By", readonly=True, copy=False
    )
    assessment_checked_at = fields.Datetime(
        readonly=True,
        copy=False,
        help="SOP S4: when the grace-period check looked at this report.",
    )
    assessment_ids = fields.One2many(
        "fs.engineer.assessment", "report_id", string="Assessments"
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("found_ticket_ids")
    def _compute_found_ticket_count(self):
        for report in self:
            report.found_ticket_count = len(report.sudo().found_ticket_ids)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("maintenance_ticket_id", "partner_id")
    def _check_maintenance_ticket(self):
        for report in self:
            # Read-only lookup: the engineer may not read tickets himself.
            ticket = report.maintenance_ticket_id.sudo()
            customer = report.partner_id.commercial_partner_id
            if ticket.partner_id and (
                ticket.partner_id.commercial_partner_id != customer
            ):
                raise ValidationError(
                    self.env._(
                        "%(report)s: ticket %(ticket)s belongs to another customer; "
                        "link the maintenance record of %(customer)s (SOP S10).",
                        report=report.name,
                        ticket=ticket.display_name,
                        customer=customer.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        res = super().write(vals)
        if "maintenance_ticket_id" in vals:
            # SOP S10: linking the record clears the flag; unlinking it after
            # a check raises it again.
            checked = self.filtered("record_checked_at")
            checked.filtered("maintenance_ticket_id")._fs_record_found()
            (checked - checked.filtered("maintenance_ticket_id"))._fs_record_lost()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_notify_dispatcher(self, message=None):
        """SOP S9: tell the dispatcher, before leaving, why it is not solved."""
        message = (message or "").strip()
        for report in self:
            report._fs_check_order_member(self.env._("notify the dispatcher"))
            text = message or (report.dispatcher_notice or "").strip()
            if not text:
                raise UserError(
                    self.env._(
                        "%(report)s: write the message to the dispatcher (reasons "
                        "and next step) first (SOP S9).",
                        report=report.name,
                    )
                )
            if report.state not in ("draft", "to_sign"):
                raise UserError(
                    self.env._(
                        "%(report)s: the dispatcher is notified before the report "
                        "is signed (SOP S9).",
                        report=report.name,
                    )
                )
            if report.result not in UNSOLVED:
                raise UserError(
                    self.env._(
                        "%(report)s: set the result to partly or not solved first; "
                        "a solved problem needs no notification (SOP S9).",
                        report=report.name,
                    )
                )
            dispatcher = report.dispatcher_id
            # Rights checked above; the stamp and the dispatcher's activity
            # are the action's own.
            report.sudo().write(
                {
                    "notified_dispatcher_at": fields.Datetime.now(),
                    "notified_dispatcher_by_id": self.env.uid,
                    "notified_dispatcher_note": text,
                }
            )
            report.sudo().message_post(
                body=self.env._(
                    "Dispatcher %(dispatcher)s notified by %(user)s (SOP S9): "
                    "%(message)s",
                    dispatcher=dispatcher.name or "-",
                    user=self.env.user.name,
                    message=text,
                ),
                partner_ids=dispatcher.partner_id.ids,
                author_id=self.env.user.partner_id.id,
            )
            if dispatcher:
                report.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=dispatcher.id,
                    summary=self.env._("Unresolved: %(report)s", report=report.name),
                    note=text,
                )
        return True

    def action_create_ticket(self):
        """SOP S9: problems and requirements found on site, one click, linked."""
        self.ensure_one()
        self._fs_check_order_member(self.env._("create a ticket from the report"))
        if self.state == "cancelled":
            raise UserError(self.env._("%(report)s is cancelled.", report=self.name))
        issues = (self.open_issues or "").strip()
        if not issues:
            raise UserError(
                self.env._(
                    "%(report)s: write the open issues and next step first; they "
                    "become the ticket's description (SOP S9).",
                    report=self.name,
                )
            )
        # Engineers need no helpdesk rights to hand a problem on: membership
        # of the order was checked above.
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "Found on site: %(report)s (%(order)s)",
                        report=self.name,
                        order=self.order_id.name,
                    ),
                    "description": plaintext2html(issues),
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "fs_found_report_id": self.id,
                }
            )
        )
        self.sudo().message_post(
            body=self.env._(
                "Ticket %(ticket)s created from the open issues by %(user)s (SOP S9).",
                ticket=ticket.display_name,
                user=self.env.user.name,
            )
        )
        if not ticket.with_env(self.env).has_access("read"):
            return True
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
        }

    def action_view_found_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tickets Found On Site"),
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("fs_found_report_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_check_record(self):
        """SOP S10: the Project Assistant checks the maintenance record."""
        self._fs_require_dispatcher(self.env._("check the maintenance record"))
        self.check_access("read")
        now = fields.Datetime.now()
        for report in self:
            if report.state == "cancelled":
                raise UserError(
                    self.env._("%(report)s is cancelled.", report=report.name)
                )
            # Rights checked above: the flag is the check's own stamp.
            report.sudo().write(
                {"record_checked_at": now, "record_checked_by_id": self.env.uid}
            )
            if report.maintenance_ticket_id:
                report._fs_record_found()
            else:
                report._fs_record_lost()
        return True

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
            if not report.signature or report.signature_forged:
                raise UserError(
                    self.env._(
                        "%(report)s has no signature to mark, or it is already "
                        "marked forged.",
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
    def _fs_stamp_fields(self):
        return super()._fs_stamp_fields() | CHECK_STAMP_FIELDS

    def _fs_engineer_fields(self):
        fields_ = super()._fs_engineer_fields()
        if self.state in ("draft", "to_sign"):
            fields_ |= {"dispatcher_notice", "maintenance_ticket_id"}
        elif self.state != "cancelled":
            fields_ |= {"maintenance_ticket_id"}  # SOP S10: added after signing
        return fields_

    def _fs_lock_free_fields(self):
        """SOP S10: the maintenance record may be linked after signing."""
        return super()._fs_lock_free_fields() | {"maintenance_ticket_id"}

    def _fs_check_order_member(self, what):
        """The order's engineers or a dispatcher (who may write the report)."""
        self.ensure_one()
        self.check_access("read")
        user = self.env.user
        if not (
            self.env.su
            or user.has_group("field_service_sop.group_fs_dispatcher")
            or user in self.order_id.engineer_ids.user_id
        ):
            raise AccessError(
                self.env._(
                    "Only the engineers of %(order)s or a dispatcher may %(what)s.",
                    order=self.order_id.name,
                    what=what,
                )
            )

    def _fs_check_dispatcher_notified(self):
        """SOP S9: an unresolved result is reported before leaving the site."""
        if self.result in UNSOLVED and not self.notified_dispatcher_at:
            raise UserError(
                self.env._(
                    "%(report)s is not fully solved: notify the dispatcher (reasons "
                    "and next step) before the customer signs (SOP S9).",
                    report=self.name,
                )
            )

    def _check_can_to_sign(self):
        self._fs_check_dispatcher_notified()
        return super()._check_can_to_sign()

    def _check_can_signed(self):
        self._fs_check_dispatcher_notified()
        return super()._check_can_signed()

    def _check_can_phone_confirmed(self):
        self._fs_check_dispatcher_notified()
        return super()._check_can_phone_confirmed()

    def _fs_record_lost(self):
        """SOP S10: flag the report and ask the lead engineer for the record."""
        for report in self:
            values = {"record_missing": True}
            user = report.engineer_id.user_id or report.dispatcher_id
            if user and not report.record_activity_id:
                values["record_activity_id"] = (
                    report.sudo()
                    .activity_schedule(
                        "mail.mail_activity_data_todo",
                        user_id=user.id,
                        summary=self.env._(
                            "Add the maintenance record of %(report)s",
                            report=report.name,
                        ),
                        note=self.env._(
                            "The install / maintenance ticket is missing; link it "
                            "on the report. Reimbursement waits until then (SOP "
                            "S10, R1)."
                        ),
                    )
                    .id
                )
            report.sudo().write(values)

    def _fs_record_found(self):
        """SOP S10: the record is linked: clear the flag, close the activity."""
        for report in self:
            activity = report.sudo().record_activity_id
            report.sudo().write({"record_missing": False, "record_activity_id": False})
            if activity:
                activity.action_feedback(
                    feedback=self.env._("Maintenance record linked.")
                )

    def _fs_create_assessment(self, reason, note, created_by=None):
        """SOP S4: one assessment per report and reason on the lead engineer."""
        self.ensure_one()
        Assessment = self.env["fs.engineer.assessment"].sudo()
        if not self.engineer_id or Assessment.search_count(
            [("report_id", "=", self.id), ("reason", "=", reason)]
        ):
            return Assessment
        assessment = Assessment.create(
            {
                "employee_id": self.engineer_id.id,
                "report_id": self.id,
                "company_id": self.company_id.id,
                "reason": reason,
                "note": note,
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

        Each report is looked at once (``assessment_checked_at``); the unique
        (report, reason) key keeps a rerun from counting twice.
        """
        self.flush_model()
        self.env["res.company"].flush_model(["fs_signature_grace_hours"])
        where = SQL(
            """r.state != 'cancelled'
               AND r.assessment_checked_at IS NULL
               AND COALESCE(r.departure_at, r.arrival_at) IS NOT NULL
               AND COALESCE(r.departure_at, r.arrival_at)
                   + make_interval(hours => c.fs_signature_grace_hours) < %s""",
            fields.Datetime.now(),
        )
        rows = self.env.execute_query(
            SQL(
                """SELECT r.id FROM fs_service_report r
                   JOIN res_company c ON c.id = r.company_id
                   WHERE %s ORDER BY r.id LIMIT %s
                   FOR UPDATE OF r SKIP LOCKED""",
                where,
                batch_size,
            )
        )
        reports = self.sudo().browse([row[0] for row in rows])
        for report in reports:
            for reason, note in report._fs_assessment_findings():
                report._fs_create_assessment(reason, note)
        reports.write({"assessment_checked_at": fields.Datetime.now()})
        reports.flush_recordset(["assessment_checked_at"])
        remaining = self.env.execute_query(
            SQL(
                """SELECT count(*) FROM fs_service_report r
                   JOIN res_company c ON c.id = r.company_id WHERE %s""",
                where,
            )
        )[0][0]
        self.env["ir.cron"]._notify_progress(done=len(reports), remaining=remaining)
        return reports


class HelpdeskTicket(models.Model):
    """Tickets found on site link back to their service report (SOP S9)."""

    _inherit = "helpdesk.ticket"

    fs_found_report_id = fields.Many2one(
        "fs.service.report",
        string="Found On Service Report",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
    )
