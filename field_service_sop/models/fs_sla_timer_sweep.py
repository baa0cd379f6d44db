# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SLA sweep (scheduled action) and its notifications (SOP E3, E4)."""

from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

from .fs_sla_timer import SWEEP_STATES


class FsSlaTimer(models.Model):
    _inherit = "fs.sla.timer"

    # ------------------------------------------------------------------
    # Business: notifications (batched)
    # ------------------------------------------------------------------
    def _fs_lang(self, user=None):
        """The language to write to ``user`` about the timer ``self``.

        The scheduled action runs in no language (its texts would come out
        in English): each to-do and e-mail is written in its recipient's
        language. A note on the document is read by followers of any
        language; it is written in the language of the timer's responsible
        (``user`` omitted), who must act on it, else in the company's.
        """
        self.ensure_one()
        user = self.user_id if user is None else user
        return (
            user.lang
            or self.company_id.partner_id.lang
            or self.env.company.partner_id.lang
            or "en_US"
        )

    def _fs_notify_texts(self, kind, lang):
        """(summary, note) of the warning or breach of ``self`` in ``lang``."""
        self.ensure_one()
        timer = self.with_context(lang=lang)
        if kind == "warn":
            summary = timer.env._("SLA about to breach: %(name)s", name=timer.name)
        else:
            summary = timer.env._("SLA breached: %(name)s", name=timer.name)
        note = timer.env._(
            "%(summary)s (SOP E3). Deadline %(deadline)s UTC; decide on the "
            "next step now.",
            summary=summary,
            deadline=fields.Datetime.to_string(timer.deadline),
        )
        return summary, note

    def _fs_notify(self, kind, at):
        """Activity + chatter message + queued e-mail to the responsible and
        their supervisor (SOP E3), for all timers of ``self`` at once, each in
        its reader's language (see ``_fs_lang``)."""
        if not self:
            return
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        IrModel = self.env["ir.model"]
        # One activity per (document, user) and one chatter note per
        # document, even when several policies of a document fire together.
        activities, mails, bodies = {}, [], defaultdict(dict)
        sender = self.env.company.email_formatted or self.env.user.email_formatted
        for timer in self:
            texts = {}  # lang -> (summary, note)
            supervisor = timer.employee_id.parent_id.user_id
            users = (timer.user_id | supervisor).filtered("active")
            per_lang = defaultdict(lambda: self.env["res.users"])
            for user in users:
                lang = timer._fs_lang(user)
                per_lang[lang] |= user
                if lang not in texts:
                    texts[lang] = timer._fs_notify_texts(kind, lang)
                summary, note = texts[lang]
                key = (timer.res_model, timer.res_id, user.id)
                if key in activities:
                    activities[key]["note"] += Markup("<br/>") + note
                    continue
                activities[key] = {
                    "res_model_id": IrModel._get_id(timer.res_model),
                    "res_id": timer.res_id,
                    "activity_type_id": todo.id if todo else False,
                    "summary": summary,
                    "note": Markup("%s") % note,
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(timer, at),
                }
            # One e-mail per language of its recipients.
            for lang, recipients in per_lang.items():
                summary, note = texts[lang]
                mails.append(
                    {
                        "subject": summary,
                        "body_html": Markup("<p>%s</p>") % note,
                        "recipient_ids": [(6, 0, recipients.partner_id.ids)],
                        "model": timer.res_model,
                        "res_id": timer.res_id,
                        "auto_delete": True,
                        # Given, so mail.message does not look up a reply-to
                        # alias per document.
                        "email_from": sender,
                        "reply_to": sender,
                    }
                )
            lang = timer._fs_lang()
            if lang not in texts:
                texts[lang] = timer._fs_notify_texts(kind, lang)
            doc_bodies = bodies[timer.res_model]
            doc_bodies[timer.res_id] = doc_bodies.get(timer.res_id, Markup()) + (
                Markup("<p>%s</p>") % texts[lang][1]
            )
        activities = list(activities.values())
        if activities:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(activities)
        if mails:
            # Queued: the mail queue sends them, never inline (SOP E3).
            self.env["mail.mail"].sudo().create(mails)
        for model, model_bodies in bodies.items():
            self.env[model].sudo().browse(list(model_bodies))._message_log_batch(
                model_bodies
            )

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    def _fs_level_at(self, instant):
        """Escalation level due at ``instant`` for a breached timer."""
        self.ensure_one()
        return _level_at(self.policy_id, self.breached_at, instant)

    def _fs_next_level_at(self, level):
        self.ensure_one()
        return _next_level_at(self.policy_id, self.breached_at, level)

    @api.model
    def _cron_fs_sla_sweep(self, batch_size=1000):
        """Warn, breach and escalate the timers whose next check is due.

        One batch per call (the cron runner calls again while
        ``_notify_progress`` reports work remaining). Rows are locked with
        SKIP LOCKED so two workers never handle the same timer, and each
        timer gets its next check (or none), so a second sweep at the same
        instant finds nothing to do. SOP E3 (warning, breach) and E4
        (one level per interval after the breach, up to the policy's
        highest level). Constant queries per batch: the new states are
        written in one UPDATE, the events in one INSERT.
        """
        now = fields.Datetime.now()
        cr = self.env.cr
        # Pending writes of this transaction first (no query when none).
        self.flush_model(["next_check_at", "state"])
        # Uses the partial index on next_check_at (NOT NULL).
        cr.execute(
            """
            SELECT id FROM fs_sla_timer
             WHERE next_check_at <= %s AND state IN %s
             ORDER BY next_check_at
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            (now, SWEEP_STATES, batch_size),
        )
        ids = [row[0] for row in cr.fetchall()]
        if not ids:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        # The cron (or a test acting as the system) runs this; timers are
        # written by the system only.
        timers = self._fs_system().browse(ids)
        # A document deleted outside the ORM (SQL, a script) leaves its timer
        # behind: cancel it, or it would fail this batch on every run and no
        # clock would ever be warned or escalated again. One query per model.
        alive = set()
        for model, group in timers.grouped("res_model").items():
            if model in self.env:
                docs = self.env[model].sudo().browse(group.mapped("res_id"))
                alive.update((model, doc_id) for doc_id in docs.exists().ids)
        orphans = timers.filtered(lambda t: (t.res_model, t.res_id) not in alive)
        if orphans:
            orphans._fs_write_rows(
                ["state", "next_check_at"],
                [(timer.id, "cancelled", None) for timer in orphans],
            )
            orphans._fs_log("cancel", note=self.env._("Document deleted"), at=now)
            timers -= orphans
        warned, breached, events, pairs, rows = [], [], [], [], []
        for timer in timers:
            state, level = timer.state, timer.level
            deadline, warned_at = timer.deadline, timer.warned_at
            breached_at = timer.breached_at
            if state in ("running", "warning") and deadline and deadline <= now:
                # Breached at the deadline itself, even if the sweep is late.
                # After an extension the clock may breach again: it keeps the
                # level already reached (those people were involved) and climbs
                # on from there (SOP E4).
                state, breached_at = "breached", deadline
                breached.append(timer.id)
                events.append({"timer": timer, "event": "breach", "at": now})
            elif (
                state == "running"
                and not warned_at
                and timer.warning_at
                and timer.warning_at <= now
            ):
                warned.append(timer.id)
                events.append({"timer": timer, "event": "warn", "at": now})
                rows.append((timer.id, "warning", now, breached_at, level, deadline))
                continue
            if state != "breached":
                # Stale check (e.g. re-planned or extended): just move it.
                next_check = deadline
                if not warned_at and timer.warning_at and deadline:
                    next_check = min(timer.warning_at, deadline)
                rows.append(
                    (timer.id, state, warned_at, breached_at, level, next_check)
                )
                continue
            policy = timer.policy_id
            new_level = max(_level_at(policy, breached_at, now), level)
            for escalated in range(level + 1, new_level + 1):
                pairs.append((timer, escalated))
                events.append(
                    {"timer": timer, "event": "escalate", "level": escalated, "at": now}
                )
            rows.append(
                (
                    timer.id,
                    state,
                    warned_at,
                    breached_at,
                    new_level,
                    _next_level_at(policy, breached_at, new_level) or None,
                )
            )
        timers._fs_write_rows(
            ["state", "warned_at", "breached_at", "level", "next_check_at"], rows
        )
        timers.browse(warned)._fs_notify("warn", now)
        timers.browse(breached)._fs_notify("breach", now)
        self._fs_log_batch(events, at=now)
        if pairs:
            self.env["fs.escalation"].sudo()._fs_create_escalations(pairs)
        remaining = 0
        if len(ids) == batch_size:
            self.flush_model(["next_check_at", "state"])
            cr.execute(
                "SELECT count(*) FROM fs_sla_timer WHERE next_check_at <= %s "
                "AND state IN %s",
                (now, SWEEP_STATES),
            )
            remaining = cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(ids), remaining=remaining)
        return len(ids)


def _level_at(policy, breached_at, instant):
    """Escalation level due at ``instant`` for a timer breached at
    ``breached_at`` (SOP E4: one level per interval, up to the highest)."""
    interval = policy.escalation_interval_minutes or 1
    elapsed = (instant - breached_at).total_seconds() / 60.0
    return min(int(elapsed // interval), policy.max_level)


def _next_level_at(policy, breached_at, level):
    """Instant the level after ``level`` falls due, False at the highest."""
    if level >= policy.max_level:
        return False
    interval = policy.escalation_interval_minutes or 1
    return breached_at + timedelta(minutes=interval * (level + 1))
