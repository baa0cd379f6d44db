# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class FsServiceReport(models.Model):
    """The maintenance record of a service report (SOP S10).

    A Project Assistant (dispatcher) checks that the install / maintenance
    ticket is linked (``action_check_record``); if not, the lead engineer gets
    an activity and the report is flagged ``record_missing`` (read by the
    reimbursement gate) until the ticket is linked; linking or unlinking it
    afterwards sets the flag again (``write`` in fs_service_report.py). The
    flags are stamps (``RECORD_STAMP_FIELDS``): only these actions write them.
    """

    _inherit = "fs.service.report"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    # SOP S10: maintenance record
    maintenance_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Maintenance Record",
        copy=False,
        # SOP S10, R1: a cited record cannot vanish and leave the report
        # passing the reimbursement gate (see helpdesk_ticket.py's guard).
        ondelete="restrict",
        check_company=True,
        help="SOP S10: the install / maintenance record in the ticket system.",
    )
    record_missing = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="SOP S10: the Project Assistant found no install / maintenance "
        "record. The engineer links the customer's ticket in Maintenance "
        "Record; the travel expenses of this visit are reimbursed once it is "
        "linked (SOP R1).",
    )
    record_checked_at = fields.Datetime(readonly=True, copy=False)
    record_checked_by_id = fields.Many2one(
        "res.users", string="Record Checked By", readonly=True, copy=False
    )
    record_activity_id = fields.Many2one(
        "mail.activity", readonly=True, copy=False, ondelete="set null"
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("maintenance_ticket_id", "partner_id")
    def _check_maintenance_ticket(self):
        """SOP S9, S10: the record is a ticket of this report's customer, and
        not a problem found on site (one click from the open issues)."""
        for report in self.filtered("maintenance_ticket_id"):
            ticket = report.maintenance_ticket_id
            # Read-only lookup: the engineer may not read tickets himself; the
            # ticket's name is shown only to who may read it.
            ticket_sudo = ticket.sudo()
            label = (
                ticket_sudo.display_name
                if ticket.with_env(self.env).has_access("read")
                else f"#{ticket.id}"
            )
            customer = report.partner_id.commercial_partner_id
            if ticket_sudo.fs_found_report_id:
                raise ValidationError(
                    self.env._(
                        "%(report)s: ticket %(ticket)s is a problem found on site "
                        "(SOP S9), not the install / maintenance record; link the "
                        "customer's maintenance record (SOP S10).",
                        report=report.name,
                        ticket=label,
                    )
                )
            if not customer or ticket_sudo.partner_id.commercial_partner_id != customer:
                raise ValidationError(
                    self.env._(
                        "%(report)s: ticket %(ticket)s is not a ticket of the "
                        "customer %(customer)s; link the maintenance record of "
                        "%(customer)s (SOP S10).",
                        report=report.name,
                        ticket=label,
                        customer=customer.name or "-",
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
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

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
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
