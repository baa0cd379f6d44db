# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime, plaintext2html

UNSOLVED = ("partly", "not_solved")


class FsServiceReport(models.Model):
    """Checks on a service report before leaving the site (SOP S9).

    S9: a partly or not solved result must be reported to the order's
    dispatcher before leaving the site (``action_notify_dispatcher``); until
    then the report cannot go to signature, be signed or be confirmed by
    phone; a notice sent after the recorded departure is flagged
    ``dispatcher_notified_late``. The first notice's time is kept: later
    notices are posted in the chatter only. Problems found on site become linked
    helpdesk tickets (``action_create_ticket``), by the order's engineers or a
    dispatcher; the test lead confirms them (see helpdesk_ticket.py).
    The maintenance record check (S10) is in fs_service_report_record.py,
    the engineer assessment (S4) in fs_service_report_assessment.py. All
    flags are stamps (``CHECK_STAMP_FIELDS`` in fs_service_report.py): only
    these actions write them.
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
    dispatcher_notified_late = fields.Boolean(
        compute="_compute_dispatcher_notified_late",
        store=True,
        readonly=True,
        index=True,
        help="SOP S9: the dispatcher was notified after the recorded departure "
        "from the site, not before leaving.",
    )
    found_ticket_ids = fields.One2many(
        "helpdesk.ticket", "fs_found_report_id", string="Tickets Found On Site"
    )
    found_ticket_count = fields.Integer(compute="_compute_found_ticket_count")

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("notified_dispatcher_at", "departure_at")
    def _compute_dispatcher_notified_late(self):
        for report in self:
            report.dispatcher_notified_late = bool(
                report.notified_dispatcher_at
                and report.departure_at
                and report.notified_dispatcher_at > report.departure_at
            )

    @api.depends("found_ticket_ids")
    def _compute_found_ticket_count(self):
        for report in self:
            report.found_ticket_count = len(report.sudo().found_ticket_ids)

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
            first = not report.notified_dispatcher_at
            if first:
                # Rights checked above; the stamp and the dispatcher's activity
                # are the action's own. The first notice is the S9 evidence
                # ("before leaving"): later notices never re-stamp it, they
                # are only posted in the chatter.
                report.sudo().write(
                    {
                        "notified_dispatcher_at": fields.Datetime.now(),
                        "notified_dispatcher_by_id": self.env.uid,
                        "notified_dispatcher_note": text,
                    }
                )
            body = (
                self.env._(
                    "Dispatcher %(dispatcher)s notified by %(user)s (SOP S9): "
                    "%(message)s",
                    dispatcher=dispatcher.name or "-",
                    user=self.env.user.name,
                    message=text,
                )
                if first
                else self.env._(
                    "Further notice to dispatcher %(dispatcher)s by %(user)s (SOP "
                    "S9; first notified on %(date)s): %(message)s",
                    dispatcher=dispatcher.name or "-",
                    user=self.env.user.name,
                    date=format_datetime(self.env, report.notified_dispatcher_at),
                    message=text,
                )
            )
            report.sudo().message_post(
                body=body,
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

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
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
