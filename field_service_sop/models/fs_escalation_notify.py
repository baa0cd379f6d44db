# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Raising SLA escalations in batches and telling the assignees (SOP E3, E4)."""

from markupsafe import Markup, escape

from odoo import api, fields, models

from .fs_escalation import ACTIVITY_TYPE, LAST_LEVEL


class FsEscalationNotify(models.Model):
    _inherit = "fs.escalation"

    # ------------------------------------------------------------------
    # Business: raising escalations (batched)
    # ------------------------------------------------------------------
    @api.model
    def _fs_create_escalations(self, pairs):
        """Raise the escalations ``pairs`` = [(timer, level), ...] at once.

        Called by the SLA sweep (superuser) and by ``action_escalate`` after its
        decider check. Idempotent: pairs that exist already are skipped (the
        timers are locked first, and the unique constraint backs it). For the
        new ones: one create, one activity each for the assigned user, a note
        on each document and a queued e-mail (never sent inline).
        """
        pairs = [(timer, level) for timer, level in pairs if timer and level > 0]
        if not pairs:
            return self.browse()
        Timer = self.env["fs.sla.timer"]
        timers = Timer.browse({timer.id for timer, _level in pairs})
        # Serialize with a concurrent sweep or decision on the same clocks.
        self.env.cr.execute(
            "SELECT id FROM fs_sla_timer WHERE id IN %s FOR UPDATE",
            [tuple(timers.ids)],
        )
        existing = self.sudo().search_fetch(
            [
                ("timer_id", "in", timers.ids),
                ("level", "in", list({level for _timer, level in pairs})),
            ],
            ["timer_id", "level"],
        )
        done = {(esc.timer_id.id, esc.level) for esc in existing}
        directors = {}
        vals_list = []
        for timer, level in pairs:
            key = (timer.id, level)
            if key in done:
                continue
            done.add(key)
            chain = self._fs_chain_users(timer, directors)
            user = chain[min(level, LAST_LEVEL) - 1]
            superiors = self.env["res.users"].union(*chain[min(level, LAST_LEVEL) :])
            vals_list.append(
                {
                    "timer_id": timer.id,
                    "level": level,
                    "user_id": user.id,
                    "chain_user_ids": [fields.Command.set((superiors - user).ids)],
                }
            )
        if not vals_list:
            return self.browse()
        # tracking_disable: no "created" note, no follower (the system user)
        # and no auto-subscription per new record; the assignees follow through
        # their activities below.
        escalations = (
            self.sudo()
            .with_context(tracking_disable=True)
            .create(vals_list)
            .with_env(self.sudo().env)
        )
        escalations._fs_notify_assignees()
        return escalations

    def _fs_notify_text(self, lang):
        """What ``self`` tells, in ``lang`` (SOP E4)."""
        self.ensure_one()
        escalation = self.with_context(lang=lang)
        return escalation.env._(
            "SLA breached: %(clock)s escalated to level %(level)s, "
            "%(user)s decides (SOP E4).",
            clock=escalation.timer_id.name,
            level=escalation.level,
            user=escalation.user_id.name or "-",
        )

    def _fs_notify_assignees(self):
        """Activity + note on the document + queued e-mail, all batched.

        Constant queries per batch, whatever the number of escalations: one
        create per kind of record. Per escalation, one activity for the
        assigned user; per document, one note; per assigned user, one queued
        e-mail listing his new escalations (a Service Director gets one
        e-mail per sweep, not one per clock). The values ``mail.message``
        would look up per record (sender, reply-to alias) are given.
        The activity and the e-mail are in the assigned user's language; the
        note on the document in the language of the clock's responsible, else
        the company's (``fs.sla.timer._fs_lang``): the scheduled action that
        raises escalations runs in no language.
        """
        if not self:
            return
        # The clocks' names in this language, in one batch: each activity
        # names its escalation (``res_name``) one record at a time.
        self.timer_id.mapped("name")
        activity_type = self.env.ref(ACTIVITY_TYPE, raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        activities, bodies = [], {}
        per_user = {}  # (user, company) -> [(escalation, text), ...]
        for escalation in self:
            timer = escalation.timer_id
            if timer.res_model and timer.res_id:
                note = escalation._fs_notify_text(timer._fs_lang())
                bodies.setdefault(timer.res_model, {}).setdefault(
                    timer.res_id, []
                ).append(escape(note))
            if not escalation.user_id:
                continue
            lang = timer._fs_lang(escalation.user_id)
            text = escalation._fs_notify_text(lang)
            if activity_type:
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": escalation.id,
                        "activity_type_id": activity_type.id,
                        "automated": True,
                        "user_id": escalation.user_id.id,
                        "summary": self.with_context(lang=lang).env._(
                            "Decide on the SLA escalation"
                        ),
                        "note": escape(text),
                        "date_deadline": today,
                    }
                )
            key = (escalation.user_id, escalation.company_id or self.env.company)
            per_user.setdefault(key, []).append((escalation, text))
        if activities:
            # quick_update: no inline assignment e-mail per activity, the
            # digest below is enough. no_subscribe: the assignee is told by
            # the activity and the e-mail, and reads the escalation through
            # the record rules: no follower record per escalation.
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True, fs_escalation_no_subscribe=True
            ).create(activities)
        if per_user:
            # Queued: the mail queue sends them, never inline (SOP E3).
            self.env["mail.mail"].sudo().create(
                [
                    self._fs_digest_values(user, company, items)
                    for (user, company), items in per_user.items()
                ]
            )
        for model, model_bodies in bodies.items():
            documents = self.env[model].sudo().browse(list(model_bodies))
            if hasattr(documents, "_message_log_batch"):
                documents._message_log_batch(
                    {
                        res_id: Markup("<br/>").join(texts)
                        for res_id, texts in model_bodies.items()
                    }
                )

    @api.model
    def _fs_digest_values(self, user, company, items):
        """Values of the queued e-mail telling ``user`` about his new
        escalations ``items`` = [(escalation, text), ...], in his language."""
        # Given, so mail.message does not look up a sender and a reply-to
        # alias per e-mail.
        sender = company.email_formatted or self.env.user.email_formatted
        lang = items[0][0].timer_id._fs_lang(user)
        env = self.with_context(lang=lang).env
        values = {
            "body_html": Markup("").join(
                Markup("<p>%s</p>") % text for _escalation, text in items
            ),
            "recipient_ids": [fields.Command.link(user.partner_id.id)],
            "email_from": sender,
            "reply_to": sender,
            "auto_delete": True,
        }
        if len(items) == 1:
            escalation = items[0][0].with_env(env)
            values.update(
                subject=env._(
                    "SLA escalation: %(clock)s",
                    clock=escalation.timer_id.name,
                ),
                model=self._name,
                res_id=escalation.id,
                record_name=escalation.display_name,
            )
        else:
            values["subject"] = env._(
                "SLA escalations: %(count)s clocks for you to decide",
                count=len(items),
            )
        return values

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # New escalations: their activities do not subscribe the assignees
        # one follower record per escalation (see _fs_notify_assignees).
        if self.env.context.get("fs_escalation_no_subscribe"):
            return True
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )
