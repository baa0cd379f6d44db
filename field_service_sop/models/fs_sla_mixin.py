# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

STATUS_ORDER = ("met", "running", "warning", "breached")


# Context marker of the system's own writes (see ``_fs_sla_sync``).
_NO_SYNC = object()


class FsSlaMixin(models.AbstractModel):
    """SLA clocks on a document (SOP E1-E4, D5, D11, D15, S8, S11).

    Like ``tier.validation``: inherit it next to the document model and the
    active ``fs.sla.policy`` records of that model start, pause, resume,
    stop and cancel their ``fs.sla.timer`` whenever documents are created or
    written. Everything is batched per policy: one SQL evaluation per
    domain over the whole recordset, one create for all new timers, one
    create for all events.

    Override ``_fs_sla_values`` to say who is responsible for a document.
    """

    _name = "fs.sla.mixin"
    _description = "SLA Clocks Mixin"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    fs_sla_timer_ids = fields.One2many(
        "fs.sla.timer", compute="_compute_fs_sla_timers", string="SLA Timers"
    )
    fs_sla_timer_count = fields.Integer(compute="_compute_fs_sla_timers")
    fs_sla_status = fields.Selection(
        [
            ("running", "On Time"),
            ("warning", "About to Breach"),
            ("breached", "Breached"),
            ("met", "Met"),
        ],
        string="SLA Status",
        compute="_compute_fs_sla_timers",
        search="_search_fs_sla_status",
        help="The worst state of the document's SLA timers.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_fs_sla_timers(self):
        Timer = self.env["fs.sla.timer"]
        timers = Timer
        # Helpdesk users outside the field service see no clocks, no error.
        if Timer.has_access("read"):
            timers = Timer.search(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)]
            )
        by_doc = timers.grouped("res_id")
        for record in self:
            mine = by_doc.get(record.id, timers.browse())
            record.fs_sla_timer_ids = mine
            record.fs_sla_timer_count = len(mine)
            states = {"running" if s == "paused" else s for s in mine.mapped("state")}
            status = False
            for state in STATUS_ORDER:
                if state in states:
                    status = state
            record.fs_sla_status = status

    def _search_fs_sla_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return [("id", "=", 0)]
        values = [value] if isinstance(value, str | bool) else list(value)
        Timer = self.env["fs.sla.timer"]
        if not Timer.has_access("read"):
            return [("id", "=", 0)]
        ids = set()
        for status in values:
            if not status:
                continue
            states = ("running", "paused") if status == "running" else (status,)
            worse = STATUS_ORDER[STATUS_ORDER.index(status) + 1 :]
            docs = set(
                Timer.search(
                    [("res_model", "=", self._name), ("state", "in", states)]
                ).mapped("res_id")
            )
            if worse:
                bad = Timer.search(
                    [("res_model", "=", self._name), ("state", "in", worse)]
                ).mapped("res_id")
                docs -= set(bad)
            ids |= docs
        positive = operator in ("=", "in")
        return [("id", "in" if positive else "not in", list(ids))]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._fs_sla_sync()
        return records

    def write(self, vals):
        res = super().write(vals)
        self._fs_sla_sync()
        return res

    def unlink(self):
        # The clocks go with their document (the ORM checked the user may
        # delete it); the system removes them.
        timers = (
            self.env["fs.sla.timer"]
            ._fs_system()
            .search([("res_model", "=", self._name), ("res_id", "in", self.ids)])
        )
        res = super().unlink()
        timers.unlink()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_fs_sla_timers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SLA Timers"),
            "res_model": "fs.sla.timer",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    def _fs_sla_values(self):
        """Who and what a timer of each record reports on.

        :return: {record id: {"user_id", "employee_id", "team_id",
            "partner_id"}} (ids or False).
        """
        return {
            record.id: {
                "user_id": False,
                "employee_id": False,
                "team_id": False,
                "partner_id": False,
            }
            for record in self
        }

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_sla_instant(self, field, default):
        self.ensure_one()
        return (field and self[field.name]) or default

    def _fs_sla_sync(self):
        """Start, pause, resume, stop and cancel this recordset's timers."""
        # The marker is a Python object: no RPC or HTTP context can carry it,
        # so nobody skips the clock from outside (SOP E1-E5).
        if not self or self.env.context.get("fs_sla_no_sync") is _NO_SYNC:
            return
        policy_ids = self.env["fs.sla.policy"]._fs_policy_ids_for(self._name)
        if not policy_ids:
            return
        # The user has just created or written these documents (their access
        # was checked by the ORM); the timers are written by the system.
        records = self.sudo().with_context(fs_sla_no_sync=_NO_SYNC).exists()
        Timer = self.env["fs.sla.timer"]._fs_system()
        policies = self.env["fs.sla.policy"].sudo().browse(policy_ids)
        now = fields.Datetime.now()
        timers = Timer.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", records.ids),
                ("policy_id", "in", policy_ids),
            ]
        )
        values = records._fs_sla_values()
        Timer._fs_sync_reassign(timers, values)
        existing = {(t.policy_id.id, t.res_id): t for t in timers}
        to_start = []
        for policy in policies:
            docs = records._fs_sla_applicable(policy, values)
            docs = docs.filtered(lambda r, p=policy: (p.id, r.id) not in existing)
            started = docs._fs_sla_match(policy._fs_domain("start_domain"))
            to_start += [(policy, doc) for doc in started]
        if to_start:
            for timer in Timer._fs_start(to_start, values, now):
                existing[(timer.policy_id.id, timer.res_id)] = timer
        records._fs_sla_move(policies, existing, now)

    def _fs_sla_match(self, domain):
        """Documents of ``self`` matching ``domain``, evaluated in SQL.

        The same evaluation as the policy's save-time check, so a domain a
        manager could save never breaks document writes later (an in-memory
        ``filtered_domain`` would compare differently). One query per domain
        and batch; an empty domain costs none.
        """
        if not domain or not self:
            return self
        return self.with_context(active_test=False).search(
            [("id", "in", self.ids), *domain]
        )

    def _fs_sla_applicable(self, policy, values):
        """Documents of ``self`` the policy applies to (company, domain,
        stationed customers)."""
        docs = self
        if policy.company_id and "company_id" in self._fields:
            docs = docs.filtered(lambda r: r.company_id == policy.company_id)
        docs = docs._fs_sla_match(policy._fs_domain("applies_domain"))
        if policy.stationed_only:
            Partner = self.env["res.partner"]

            def stationed(doc):
                partner = Partner.browse(values[doc.id]["partner_id"])
                return (
                    partner.fs_stationed or partner.commercial_partner_id.fs_stationed
                )

            docs = docs.filtered(stationed)
        return docs

    def _fs_sla_move(self, policies, existing, now):
        """Cancel, stop, pause or resume the live timers in ``existing``."""
        Timer = self.env["fs.sla.timer"]._fs_system()
        to_stop, to_pause, to_resume, to_cancel = [], Timer, Timer, Timer
        for policy in policies:
            live = self.filtered(
                lambda r, p=policy: (p.id, r.id) in existing
                and existing[(p.id, r.id)].state
                in ("running", "warning", "paused", "breached")
            )
            if not live:
                continue
            if policy.cancel_domain:
                cancelled = live._fs_sla_match(policy._fs_domain("cancel_domain"))
                for doc in cancelled:
                    to_cancel |= existing[(policy.id, doc.id)]
                live -= cancelled
            # An empty stop domain never stops the clock (only cancel does).
            stop_domain = policy._fs_domain("stop_domain")
            stopped = live._fs_sla_match(stop_domain) if stop_domain else self.browse()
            to_stop += [(existing[(policy.id, doc.id)], doc) for doc in stopped]
            live -= stopped
            if not policy.pause_domain:
                continue
            paused = live._fs_sla_match(policy._fs_domain("pause_domain"))
            for doc in live:
                timer = existing[(policy.id, doc.id)]
                if doc in paused and timer.state in ("running", "warning"):
                    to_pause |= timer
                elif doc not in paused and timer.state == "paused":
                    to_resume |= timer
        if to_cancel:
            to_cancel.write({"state": "cancelled", "next_check_at": False})
            to_cancel._fs_log("cancel", at=now)
        if to_stop:
            Timer._fs_stop(to_stop, now)
        if to_pause:
            to_pause._fs_pause(now)
        if to_resume:
            to_resume._fs_resume(now)
