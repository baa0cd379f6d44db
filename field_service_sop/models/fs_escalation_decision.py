# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The four decisions on an SLA escalation and who may take them (SOP E4)."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .fs_escalation import (
    ACTIVITY_TYPE,
    CLOSED_TIMER_STATES,
    DIRECTOR_GROUP,
    LAST_LEVEL,
)


class FsEscalationDecision(models.Model):
    _inherit = "fs.escalation"

    # ------------------------------------------------------------------
    # Actions: the decisions (SOP E4)
    # ------------------------------------------------------------------
    def action_acknowledge(self, action_plan):
        """Take charge: the action plan says what will be done, by whom, when."""
        escalations = self._fs_check_decider()
        plan = (action_plan or "").strip()
        if not plan:
            raise ValidationError(
                self.env._(
                    "Write the action plan: what will be done, by whom and by "
                    "when, to acknowledge the escalation (SOP E4)."
                )
            )
        escalations._fs_check_state(("open",))
        escalations._fs_decide("acknowledged", {"action_plan": plan})
        escalations.timer_id._fs_log("acknowledge", note=plan, user=self.env.user)
        return True

    def action_reassign(self, user_id, note=None):
        """Give the clock's responsibility to someone else (the clock goes on)."""
        escalations = self._fs_check_decider()
        escalations._fs_check_state(("open", "acknowledged"), live=True)
        user = self.env["res.users"].browse(
            user_id.id if isinstance(user_id, models.BaseModel) else user_id
        )
        if not user or not user.exists():
            raise ValidationError(
                self.env._("Choose the person who takes over the SLA clock.")
            )
        user = user.sudo()
        for escalation in escalations:
            timer = escalation.timer_id
            if user.share or not user.active:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an active internal user: choose a "
                        "colleague to take over %(clock)s.",
                        user=user.name,
                        clock=timer.display_name,
                    )
                )
            if timer.company_id and timer.company_id not in user.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work for %(company)s: choose a "
                        "colleague of that company to take over %(clock)s.",
                        user=user.name,
                        company=timer.company_id.name,
                        clock=timer.display_name,
                    )
                )
            if user == timer.user_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s is already responsible for %(clock)s: choose "
                        "someone else, or acknowledge with an action plan.",
                        user=user.name,
                        clock=timer.display_name,
                    )
                )
        note = (note or "").strip() or False
        for escalation in escalations:
            timer = escalation.timer_id
            employee = user.employee_ids.filtered(
                lambda emp, company=timer.company_id: not company
                or emp.company_id == company
            )[:1]
            previous = timer.user_id
            timer.write({"user_id": user.id, "employee_id": employee.id})
            timer._fs_log(
                "reassign",
                note=self.env._(
                    "From %(old)s to %(new)s. %(note)s",
                    old=previous.name or "-",
                    new=user.name,
                    note=note or "",
                ).strip(),
                user=self.env.user,
            )
        escalations._fs_decide(
            "reassigned", {"reassign_user_id": user.id, "decision_note": note}
        )
        return True

    def action_extend(self, new_deadline, reason):
        """Grant more time: the clock runs again until the new deadline."""
        escalations = self._fs_check_decider()
        escalations._fs_check_state(("open", "acknowledged"), live=True)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(
                self.env._(
                    "Give the reason for extending the deadline: it is kept on "
                    "the SLA clock (SOP E4)."
                )
            )
        new_deadline = self._fs_parse_deadline(new_deadline)
        now = fields.Datetime.now()
        if not new_deadline or new_deadline <= now:
            raise ValidationError(
                self.env._(
                    "The new deadline must be in the future (now: %(now)s).",
                    now=fields.Datetime.to_string(now),
                )
            )
        for escalation in escalations:
            timer = escalation.timer_id
            warning_at = escalation._fs_extension_warning_at(timer, now, new_deadline)
            timer.write(
                {
                    "deadline": new_deadline,
                    "warning_at": warning_at,
                    "state": "running",
                    "next_check_at": warning_at,
                    "extended": True,
                    "extension_reason": reason,
                }
            )
            timer._fs_log(
                "extend",
                note=self.env._(
                    "Until %(deadline)s: %(reason)s",
                    deadline=fields.Datetime.to_string(new_deadline),
                    reason=reason,
                ),
                user=self.env.user,
            )
        escalations._fs_decide(
            "extended", {"new_deadline": new_deadline, "decision_note": reason}
        )
        return True

    def action_escalate(self, note=None):
        """Bring more resources now: raise the next level at once (SOP E4)."""
        escalations = self._fs_check_decider()
        escalations._fs_check_state(("open", "acknowledged"), live=True)
        for escalation in escalations:
            max_level = min(escalation.policy_id.max_level or LAST_LEVEL, LAST_LEVEL)
            if escalation.level >= max_level:
                raise UserError(
                    self.env._(
                        "%(escalation)s is already at the last level of its "
                        "policy: acknowledge with an action plan, reassign or "
                        "extend instead.",
                        escalation=escalation.display_name,
                    )
                )
        note = (note or "").strip() or False
        escalations._fs_create_escalations(
            [(esc.timer_id, esc.level + 1) for esc in escalations]
        )
        for escalation in escalations:
            timer = escalation.timer_id
            level = escalation.level + 1
            if timer.level < level:
                timer.write({"level": level})
            timer._fs_log(
                "escalate",
                note=self.env._(
                    "Escalated to level %(level)s by decision. %(note)s",
                    level=level,
                    note=note or "",
                ).strip(),
                user=self.env.user,
            )
        escalations._fs_decide("escalated", {"decision_note": note})
        return True

    def action_open_decide(self):
        """Open the decision wizard (the buttons pass the decision)."""
        self.ensure_one()
        self._fs_check_decider()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sop.fs_escalation_decide_action"
        )
        action["context"] = {
            "default_escalation_id": self.id,
            "default_decision": self.env.context.get("fs_decision", "acknowledge"),
        }
        return action

    # ------------------------------------------------------------------
    # Business: who decides, and recording the decision
    # ------------------------------------------------------------------
    def _fs_is_decider(self, user):
        """Whether ``user`` may decide this escalation (see the class doc)."""
        self.ensure_one()
        if user._is_superuser() or user == self.user_id:
            return True
        if user in self.sudo().chain_user_ids:
            return True
        company = self.company_id or self.env.company
        if user.has_group(DIRECTOR_GROUP) and company in user.company_ids:
            return True
        # The chain may have changed since the escalation was raised.
        chain = self._fs_chain_users(self.timer_id)
        return user in self.env["res.users"].union(*chain[self.level :])

    def _fs_check_decider(self):
        """Refuse a decision by anyone but the deciders (SOP E4).

        Returns the escalations as superuser: a decider need not read the
        clock or the policy (a department manager may have no SLA role), the
        decision methods act as the system once the user is checked.
        ``self.env.user`` stays the deciding user for the log.
        """
        user = self.env.user
        if self.env.su:
            return self
        for escalation in self:
            if not escalation._fs_is_decider(user):
                raise AccessError(
                    self.env._(
                        "Only %(user)s, a superior of theirs or the Service "
                        "Director decides %(escalation)s (SOP E4). Ask them to "
                        "decide, or escalate from their level.",
                        user=escalation.user_id.name or "-",
                        escalation=escalation.display_name,
                    )
                )
        return self.sudo()

    def _fs_check_state(self, states, live=False):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for escalation in self:
            if escalation.state not in states:
                raise UserError(
                    self.env._(
                        "%(escalation)s is already %(state)s by %(user)s: a new "
                        "escalation level decides from here.",
                        escalation=escalation.display_name,
                        state=labels.get(escalation.state, escalation.state),
                        user=escalation.decided_by_id.name or "-",
                    )
                )
            higher = escalation.timer_id.escalation_ids.filtered(
                lambda e, level=escalation.level: e.level > level
            )
            if higher:
                # SOP E4: once the clock climbed, the higher level decides; a
                # lower one may not override it.
                raise UserError(
                    self.env._(
                        "%(escalation)s was escalated further (level %(level)s): "
                        "the decision belongs to that level now.",
                        escalation=escalation.display_name,
                        level=max(higher.mapped("level")),
                    )
                )
            if live and escalation.timer_id.state in CLOSED_TIMER_STATES:
                raise UserError(
                    self.env._(
                        "The SLA clock of %(escalation)s is already closed: "
                        "nothing left to reassign, extend or escalate.",
                        escalation=escalation.display_name,
                    )
                )

    def _fs_decide(self, state, vals):
        """Record the decision (after the checks) and close the activities."""
        values = dict(
            vals,
            state=state,
            decided_by_id=self.env.user.id,
            decided_at=fields.Datetime.now(),
        )
        self.sudo().write(values)
        self.sudo().activity_feedback(
            [ACTIVITY_TYPE],
            feedback=self.env._(
                "Decided: %(state)s",
                state=dict(self._fields["state"]._description_selection(self.env)).get(
                    state
                ),
            ),
        )

    @api.model
    def _fs_parse_deadline(self, value):
        """``value`` as a datetime (False when empty); a clear refusal of what
        is no date and time (RPC may send anything)."""
        try:
            return fields.Datetime.to_datetime(value) or False
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._(
                    "%(value)s is not a date and time: give the new deadline as "
                    "YYYY-MM-DD HH:MM:SS (UTC).",
                    value=repr(value)[:64],
                )
            ) from error

    @api.model
    def _fs_extension_warning_at(self, timer, now, deadline):
        """The warning point of an extended deadline (the deadline at worst).

        Same share of the remaining working time as the policy's warning
        percentage (SOP E3), measured on the policy's calendar.
        """
        percent = timer.policy_id.warning_percent
        if not percent or percent >= 100:
            return deadline
        calendar = timer.policy_id.calendar_id
        Timer = self.env["fs.sla.timer"]
        minutes = Timer._fs_work_batch([(calendar, now, deadline)])[0]
        warning_at = Timer._fs_plan_batch([(calendar, now, minutes * percent / 100.0)])[
            0
        ]
        if warning_at and now < warning_at < deadline:
            return warning_at
        return deadline
