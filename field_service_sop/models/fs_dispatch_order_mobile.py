# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

NEW_JOB_TODO = "field_service_sop.fs_activity_type_new_job"
# States in which an order is work for its engineers (My Jobs, SOP D10-D13).
OPEN_JOB_STATES = ("issued", "accepted", "departed", "arrived")


class FsDispatchOrder(models.Model):
    """The engineer's visit on a phone (SOP D7, D10, D12).

    D7: on issue every engineer of the order gets a to-do ("New Job") and an
    in-app notice, whatever their e-mail settings; the to-do is marked done
    when the lead engineer accepts. My Jobs lists an engineer's open orders,
    issued ones included, next job first (``job_at``); the app opens on it
    for engineers (``action_fs_open_app``). D10, D12: the contact and the
    departure checklist take one tap each (``action_fs_contacted_now``,
    ``action_fs_checklist_all_done``); departure and arrival are stamped by
    their buttons. Every tap writes through the order's guards.
    """

    _inherit = "fs.dispatch.order"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    job_at = fields.Datetime(
        string="Job Date",
        compute="_compute_job_at",
        store=True,
        help="When the job is: the confirmed appointment, else the start of the "
        "visit window, else the issue. My Jobs lists the next job first.",
    )
    job_today = fields.Boolean(
        compute="_compute_job_today",
        search="_search_job_today",
        help="Appointment today, or issued without an appointment yet and a "
        "visit window (if any) that includes today: the engineer calls the "
        "customer today (SOP D10).",
    )
    checklist_open_names = fields.Char(
        string="Still to Check",
        compute="_compute_checklist_open_names",
        help="SOP D12: the departure checklist items not ticked yet.",
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("appointment_at", "window_start", "issued_at")
    def _compute_job_at(self):
        for order in self:
            order.job_at = order.appointment_at or order.window_start or order.issued_at

    @api.depends_context("tz")
    @api.depends("appointment_at", "window_start", "window_end", "state")
    def _compute_job_today(self):
        start, end = self._fs_today_bounds()
        for order in self:
            if order.appointment_at:
                order.job_today = start <= order.appointment_at < end
            else:
                order.job_today = (
                    order.state == "issued"
                    and (not order.window_start or order.window_start < end)
                    and (not order.window_end or order.window_end >= start)
                )

    def _search_job_today(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Search Job Today with “is set” or “is not set”.")
            )
        start, end = self._fs_today_bounds()
        today = expression.OR(
            [
                [("appointment_at", ">=", start), ("appointment_at", "<", end)],
                [
                    ("appointment_at", "=", False),
                    ("state", "=", "issued"),
                    "|",
                    ("window_start", "=", False),
                    ("window_start", "<", end),
                    "|",
                    ("window_end", "=", False),
                    ("window_end", ">=", start),
                ],
            ]
        )
        if (operator == "=") == value:
            return today
        return ["!", *expression.normalize_domain(today)]

    @api.depends("checklist_line_ids.done", "checklist_line_ids.name")
    def _compute_checklist_open_names(self):
        for order in self:
            lines = order.checklist_line_ids.filtered(lambda line: not line.done)
            order.checklist_open_names = ", ".join(lines.mapped("name"))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def action_fs_open_app(self):
        """The app's first screen: My Jobs for engineers, every order for
        dispatchers and managers (who plan the others' work)."""
        if self.env.user.has_group("field_service_sop.group_fs_dispatcher"):
            xmlid = "field_service_sop.fs_dispatch_order_action"
        else:
            xmlid = "field_service_sop.fs_dispatch_order_action_my_jobs"
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def action_fs_contacted_now(self):
        """SOP D10 in one tap: the customer was just called.

        Stamps the contact time and, when no appointment is recorded yet,
        proposes the start of the visit window (if still ahead) as the
        appointment; both stay editable until the order is accepted.
        """
        now = fields.Datetime.now()
        for order in self:
            vals = {"contact_at": now}
            if (
                order.state == "issued"
                and not order.appointment_at
                and order.window_start
                and order.window_start >= now
            ):
                vals["appointment_at"] = order.window_start
            order.write(vals)  # the engineers' rights are checked there
        return True

    def action_fs_checklist_all_done(self):
        """SOP D12 in one tap: every item still open is packed.

        Each line records who ticked it and when, like a tick of its own;
        the checklist's guards (issued, not departed, engineers of the
        order or dispatchers) apply.
        """
        self.checklist_line_ids.filtered(lambda line: not line.done).write(
            {"done": True}
        )
        return True

    # ------------------------------------------------------------------
    # Business: the engineers hear of the job (SOP D7)
    # ------------------------------------------------------------------
    def _fs_give_new_job_todos(self, previous):
        """SOP D7: each engineer of the order learns of the new job in Odoo.

        A "New Job" to-do for each engineer's user, due today (in their time
        zone), written in their language, with an in-app notice if they are
        online; the chatter message of the issue may go by e-mail only,
        following each user's preference. A new issue of the same order
        replaces the to-dos of the earlier one.
        """
        # Entered-state hook of "issued": the issuer's right was checked by
        # ``_fs_check_can_issue`` (SOP D2);
        # an approver may issue in the requester's name without the right to
        # schedule activities on the order: the to-dos are the issue's own.
        for order in self.sudo():
            order.activity_unlink([NEW_JOB_TODO])
            for user in order.engineer_ids.user_id:
                local = order.with_context(lang=user.lang, tz=user.tz)
                summary = local.env._(
                    "New job %(order)s: contact the customer, then accept it (SOP D10)",
                    order=order.name,
                )
                order.activity_schedule(
                    NEW_JOB_TODO,
                    date_deadline=fields.Date.context_today(local),
                    summary=summary,
                    note=order.purpose or False,
                    user_id=user.id,
                )
                user._bus_send(
                    "simple_notification",
                    {
                        "type": "info",
                        "title": local.env._("New job"),
                        "message": summary,
                        "sticky": False,
                    },
                )

    def _fs_close_new_job_todos(self, previous):
        """The job is accepted: its "New Job" to-dos are done (SOP D7, D10)."""
        # Entered-state hook of "accepted": the move's guards checked the
        # user's right;
        # the other engineers' to-dos are closed with the lead's.
        self.sudo().activity_feedback(
            [NEW_JOB_TODO], feedback=self.env._("Order accepted.")
        )

    # ------------------------------------------------------------------
    # Business: helpers
    # ------------------------------------------------------------------
    @api.model
    def _fs_today_bounds(self):
        """Today in the user's time zone, as naive UTC bounds [start, end)."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        today = fields.Date.context_today(self)
        bounds = []
        for day in (today, today + timedelta(days=1)):
            local = tz.localize(datetime.combine(day, time.min))
            bounds.append(local.astimezone(pytz.UTC).replace(tzinfo=None))
        return tuple(bounds)
