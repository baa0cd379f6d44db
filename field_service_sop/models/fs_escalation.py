# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA escalation record: fields, write guards and the chain of deciders.

The decisions live in ``fs_escalation_decision.py``, raising escalations in
batches and telling the assignees in ``fs_escalation_notify.py``.
"""

from odoo import api, fields, models

DIRECTOR_GROUP = "field_service_sop.group_fs_director"
ACTIVITY_TYPE = "field_service_sop.mail_activity_fs_sla_escalation"
LAST_LEVEL = 3
CLOSED_TIMER_STATES = ("met", "cancelled")


class FsEscalation(models.Model):
    """One level of escalation of a breached SLA clock, for one person to decide.

    SOP E3: about to breach or breached, the supervisor is told at once and
    decides. SOP E4: unresolved in time, the clock climbs the chain engineer →
    supervisor (level 1, the employee's manager) → department/engineering
    manager (level 2) → Service Director (level 3), one record per level,
    unique per (timer, level). The person at that level acknowledges with an
    action plan, reassigns, extends the deadline with a reason, or escalates
    further.

    Rights:

    - read: the assigned user, the users above him in the timer's chain
      (``chain_user_ids``), dispatchers, managers and directors of the company
      (record rules);
    - decide (``action_acknowledge``, ``action_reassign``, ``action_extend``,
      ``action_escalate``): the assigned user, a user higher in the chain, a
      Service Director of the company, or the superuser
      (``_fs_check_decider``);
    - create, write, unlink: nobody but the system (superuser); the decision
      methods write through ``sudo()`` after their own check, so an RPC
      ``write`` cannot skip a decision's rules.
    """

    _name = "fs.escalation"
    _description = "SLA Escalation"
    _inherit = ["fs.system.record.mixin", "mail.thread", "mail.activity.mixin"]
    # Users follow and discuss an escalation; its decisions change it.
    _fs_system_mail_free = True
    _order = "create_date desc, id desc"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    timer_id = fields.Many2one(
        "fs.sla.timer",
        string="SLA Clock",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    level = fields.Integer(
        required=True,
        readonly=True,
        help="1: supervisor, 2: department or engineering manager, "
        "3: Service Director (SOP E4).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        readonly=True,
        index=True,
        help="The person who decides at this level (SOP E4).",
    )
    chain_user_ids = fields.Many2many(
        "res.users",
        "fs_escalation_chain_user_rel",
        "escalation_id",
        "user_id",
        string="Superiors",
        readonly=True,
        help="Users above the assigned one when the escalation was raised: "
        "they may read and decide it too.",
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("acknowledged", "Acknowledged"),
            ("reassigned", "Reassigned"),
            ("extended", "Extended"),
            ("escalated", "Escalated"),
        ],
        default="open",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    res_model = fields.Char(
        related="timer_id.res_model", string="Document Model", store=True
    )
    res_id = fields.Many2oneReference(
        related="timer_id.res_id",
        string="Document ID",
        model_field="res_model",
        store=True,
    )
    policy_id = fields.Many2one(
        related="timer_id.policy_id", string="Policy", store=True, index=True
    )
    company_id = fields.Many2one(
        related="timer_id.company_id", string="Company", store=True, index=True
    )
    deadline = fields.Datetime(related="timer_id.deadline", string="Deadline")
    timer_state = fields.Selection(related="timer_id.state", string="Clock State")
    responsible_id = fields.Many2one(related="timer_id.user_id", string="Responsible")
    action_plan = fields.Text(readonly=True, tracking=True)
    decision_note = fields.Text(readonly=True)
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    decided_at = fields.Datetime(string="Decided On", readonly=True)
    reassign_user_id = fields.Many2one(
        "res.users", string="Reassigned To", readonly=True
    )
    new_deadline = fields.Datetime(string="Extended Until", readonly=True)
    can_decide = fields.Boolean(
        compute="_compute_can_decide",
        help="The current user may decide this escalation.",
    )

    _sql_constraints = [
        (
            "timer_level_uniq",
            "unique(timer_id, level)",
            "An SLA clock escalates once per level (SOP E4).",
        )
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("timer_id", "level", "policy_id")
    @api.model
    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        """Whoever may read an escalation may discuss it in its chatter; but
        editing or deleting the decision's activities of someone else needs
        write access (which nobody has: decisions go through the methods)."""
        if operation == "create":
            return "read"
        return super()._get_mail_message_access(
            res_ids, operation, model_name=model_name
        )

    @api.depends_context("lang")
    def _compute_display_name(self):
        # Whoever reads the escalation may read the name of its clock, even
        # without a role that reads SLA clocks (a department manager).
        for escalation in self:
            escalation.display_name = self.env._(
                "%(clock)s - level %(level)s",
                clock=escalation.sudo().timer_id.name or "",
                level=escalation.level,
            )

    @api.depends_context("uid")
    @api.depends("user_id", "chain_user_ids", "state")
    def _compute_can_decide(self):
        for escalation in self:
            escalation.can_decide = escalation.state in (
                "open",
                "acknowledged",
            ) and escalation._fs_is_decider(self.env.user)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _fs_system_message(self, operation):
        if operation == "create":
            return self.env._(
                "Escalations are raised by the SLA clock (SOP E4), or by the "
                "person at the level below choosing to escalate; they cannot "
                "be created by hand."
            )
        if operation == "unlink":
            return self.env._(
                "An escalation is the record of who was told and what they "
                "decided (SOP E4): nobody may delete it."
            )
        return self.env._(
            "An escalation changes only through its decisions: "
            "acknowledge, reassign, extend or escalate (SOP E4). Use the "
            "Decide button."
        )

    # ------------------------------------------------------------------
    # Business: the chain of deciders (SOP E4)
    # ------------------------------------------------------------------
    @api.model
    def _fs_escalation_user(self, timer, level):
        """The res.users deciding at ``level`` for ``timer`` (SOP E4).

        Level 1: the responsible employee's manager (``parent_id``); level 2:
        the manager of his department, else his manager's manager; level 3:
        the company's Service Director. An empty level, or one that names the
        person of the level below (or the responsible himself), moves up to
        the next person, so nobody decides on himself and nobody is skipped
        silently; in the end the Service Director decides. Override to change
        the chain.
        """
        chain = self._fs_chain_users(timer)
        return chain[min(max(level, 1), LAST_LEVEL) - 1]

    @api.model
    def _fs_chain_users(self, timer, directors=None):
        """The three deciding users of ``timer``'s chain, levels 1 to 3."""
        employee = timer.sudo().employee_id
        responsible = timer.sudo().user_id or employee.user_id
        parent = employee.parent_id
        candidates = [
            parent.user_id,
            employee.department_id.manager_id.user_id,
            parent.parent_id.user_id,
        ]
        if directors is None:
            directors = {}
        company = timer.sudo().company_id or employee.company_id or self.env.company
        if company not in directors:
            directors[company] = self._fs_director(company)
        director = directors[company]
        chain = []
        seen = responsible
        for candidate in candidates:
            candidate = candidate.filtered("active")
            if candidate and candidate not in seen:
                chain.append(candidate)
                seen |= candidate
            if len(chain) == LAST_LEVEL - 1:
                break
        # No Service Director in the company: the highest person found
        # decides the last level rather than nobody.
        chain.append(director or (chain[-1] if chain else director))
        director = chain[-1]
        # Fewer than two distinct people below the director: the missing
        # levels go to the director too (never to nobody).
        while len(chain) < LAST_LEVEL:
            chain.insert(len(chain) - 1, director)
        return chain

    @api.model
    def _fs_director(self, company):
        """The company's Service Director: its first active director user."""
        group = self.env.ref(DIRECTOR_GROUP)
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", group.id),
                    ("share", "=", False),
                    ("company_ids", "in", company.id),
                ],
                order="id",
            )
        )
        return users.filtered(lambda user: user.company_id == company)[:1] or users[:1]
