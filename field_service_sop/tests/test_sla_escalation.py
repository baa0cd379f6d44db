# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import NOW, FsEscalationCommon


@tagged("post_install", "-at_install")
class TestEscalationChain(FsEscalationCommon):
    def test_e4_each_level_assignee(self):
        """SOP E4: engineer → supervisor → department manager → director."""
        timer = self._timer()
        Escalation = self.env["fs.escalation"]
        self.assertEqual(Escalation._fs_escalation_user(timer, 1), self.supervisor)
        self.assertEqual(Escalation._fs_escalation_user(timer, 2), self.manager)
        self.assertEqual(Escalation._fs_escalation_user(timer, 3), self.director)

    def test_e4_duplicate_or_empty_levels_move_up(self):
        """SOP E4: a level naming the person below goes to the next person;
        nobody is ever left without a decider (the director at worst)."""
        Escalation = self.env["fs.escalation"]
        # The supervisor manages the department himself: level 2 is his own
        # manager (the parent's parent).
        self.department.manager_id = self.supervisor_emp
        timer = self._timer()
        self.assertEqual(Escalation._fs_escalation_user(timer, 1), self.supervisor)
        self.assertEqual(Escalation._fs_escalation_user(timer, 2), self.manager)
        # No manager above the engineer at all: the director decides.
        lonely = self.env["hr.employee"].create(
            {"name": "Lonely Eng", "company_id": self.company.id}
        )
        timer_2 = self._timer(order=self._order(), employee=lonely, user_id=False)
        for level in (1, 2, 3):
            self.assertEqual(
                Escalation._fs_escalation_user(timer_2, level), self.director
            )
        # No supervisor, but a department manager: he is level 1.
        lonely.department_id = self.department
        self.department.manager_id = self.manager_emp
        self.assertEqual(Escalation._fs_escalation_user(timer_2, 1), self.manager)
        self.assertEqual(Escalation._fs_escalation_user(timer_2, 2), self.director)

    @freeze_time(NOW)
    def test_e4_create_escalations_batch_and_unique(self):
        """SOP E3/E4: one record per (timer, level), an activity for the
        assigned user, a note on the document, an e-mail queued; a second
        call with the same pairs does nothing."""
        timer = self._timer()
        mails_before = self.env["mail.mail"].search_count([])
        escalations = (
            self.env["fs.escalation"]
            .sudo()
            ._fs_create_escalations([(timer, 1), (timer, 2), (timer, 3), (timer, 1)])
        )
        self.assertEqual(escalations.mapped("level"), [1, 2, 3])
        self.assertEqual(
            escalations.mapped("user_id"),
            self.supervisor | self.manager | self.director,
        )
        self.assertEqual(escalations.mapped("state"), ["open"] * 3)
        self.assertEqual(escalations[0].res_model, "fs.dispatch.order")
        self.assertEqual(escalations[0].res_id, self.order.id)
        self.assertEqual(escalations[0].policy_id, self.policy)
        self.assertEqual(escalations[0].company_id, self.company)
        self.assertEqual(escalations[0].chain_user_ids, self.manager | self.director)
        activity_type = self.env.ref(
            "field_service_sop.mail_activity_fs_sla_escalation"
        )
        for escalation in escalations:
            activity = escalation.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, escalation.user_id)
            self.assertEqual(activity.activity_type_id, activity_type)
        mails = self.env["mail.mail"].search([], order="id desc", limit=3)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 3)
        self.assertTrue(all(mail.state == "outgoing" for mail in mails))
        self.assertEqual(
            mails.recipient_ids,
            (self.supervisor | self.manager | self.director).partner_id,
        )
        notes = self.order.message_ids.filtered(
            lambda message: "escalated to level" in (message.body or "")
        )
        self.assertEqual(len(notes), 1, "one note per document and batch")
        again = (
            self.env["fs.escalation"]
            .sudo()
            ._fs_create_escalations([(timer, 1), (timer, 2)])
        )
        self.assertFalse(again)
        self.assertEqual(
            self.env["fs.escalation"]
            .sudo()
            .search_count([("timer_id", "=", timer.id)]),
            3,
        )
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 3)

    def test_e4_read_rules(self):
        """SOP E4: the assigned person, his superiors and the dispatchers of
        the company read an escalation; another engineer does not."""
        escalation = self._escalate(self._timer())
        Escalation = self.env["fs.escalation"]
        domain = [("id", "=", escalation.id)]
        for user in (
            self.supervisor,
            self.manager,
            self.director,
            self.users["dispatcher"],
        ):
            self.assertEqual(Escalation.with_user(user).search(domain), escalation)
        for user in (self.engineer, self.second_user, self.other_supervisor):
            self.assertFalse(Escalation.with_user(user).search(domain))
        # The form opens for a decider without any SLA role (the supervisor)
        # and shows the decision buttons only to deciders.
        form = Form(escalation.with_user(self.supervisor))
        self.assertTrue(form.can_decide)
        self.assertEqual(form.user_id, self.supervisor)
        form = Form(escalation.with_user(self.users["dispatcher"]))
        self.assertFalse(form.can_decide)


@tagged("post_install", "-at_install")
class TestEscalationDecisions(FsEscalationCommon):
    def _events(self, timer, event):
        return timer.event_ids.filtered(lambda ev: ev.event == event)

    @freeze_time(NOW)
    def test_e4_acknowledge_by_assignee_needs_plan(self):
        """SOP E4: the supervisor acknowledges with an action plan."""
        timer = self._timer()
        escalation = self._escalate(timer).with_user(self.supervisor)
        for plan in (None, "", "   "):
            with self.assertRaisesRegex(ValidationError, "action plan"):
                escalation.action_acknowledge(plan)
        self.assertEqual(escalation.state, "open")
        escalation.action_acknowledge("Send Li with a spare disk by 14:00")
        self.assertEqual(escalation.state, "acknowledged")
        self.assertEqual(escalation.action_plan, "Send Li with a spare disk by 14:00")
        self.assertEqual(escalation.decided_by_id, self.supervisor)
        self.assertEqual(escalation.decided_at, NOW)
        self.assertFalse(escalation.sudo().activity_ids, "activity done")
        event = self._events(timer, "acknowledge")
        self.assertEqual(event.user_id, self.supervisor)
        self.assertEqual(event.note, "Send Li with a spare disk by 14:00")
        # Acknowledged once: not again.
        with self.assertRaises(UserError):
            escalation.action_acknowledge("again")

    @freeze_time(NOW)
    def test_e4_reassign_by_superior(self):
        """SOP E4: the department manager (a superior) reassigns the clock."""
        timer = self._timer()
        escalation = self._escalate(timer).with_user(self.manager)
        with self.assertRaisesRegex(ValidationError, "already responsible"):
            escalation.action_reassign(self.engineer.id, "same")
        with self.assertRaisesRegex(ValidationError, "does not work for"):
            escalation.action_reassign(
                new_test_user(
                    self.env,
                    login="fs_esc_elsewhere",
                    groups="base.group_user",
                    company_id=self.company_b.id,
                    company_ids=[self.company_b.id],
                ).id
            )
        escalation.action_reassign(self.second_user.id, "Lead is sick")
        self.assertEqual(escalation.state, "reassigned")
        self.assertEqual(escalation.reassign_user_id, self.second_user)
        self.assertEqual(escalation.decided_by_id, self.manager)
        self.assertEqual(timer.user_id, self.second_user)
        self.assertEqual(timer.employee_id, self.second)
        event = self._events(timer, "reassign")
        self.assertEqual(event.user_id, self.manager)
        self.assertIn("Lead is sick", event.note)

    @freeze_time(NOW)
    def test_e4_extend_needs_reason_and_future_deadline(self):
        """SOP E4: extending needs a reason and a deadline in the future; the
        clock runs again and the reason is kept on it."""
        timer = self._timer()
        escalation = self._escalate(timer).with_user(self.supervisor)
        new_deadline = NOW + timedelta(hours=4)
        with self.assertRaisesRegex(ValidationError, "reason"):
            escalation.action_extend(new_deadline, " ")
        with self.assertRaisesRegex(ValidationError, "future"):
            escalation.action_extend(NOW - timedelta(minutes=1), "Part arrives")
        with self.assertRaisesRegex(ValidationError, "future"):
            escalation.action_extend(False, "Part arrives")
        self.assertEqual(timer.state, "breached")
        escalation.action_extend(new_deadline, "Spare part arrives at 13:00")
        self.assertEqual(escalation.state, "extended")
        self.assertEqual(escalation.new_deadline, new_deadline)
        self.assertEqual(timer.deadline, new_deadline)
        self.assertEqual(timer.state, "running")
        self.assertTrue(timer.extended)
        self.assertEqual(timer.extension_reason, "Spare part arrives at 13:00")
        self.assertTrue(NOW < timer.next_check_at <= new_deadline)
        self.assertEqual(timer.next_check_at, timer.warning_at)
        event = self._events(timer, "extend")
        self.assertEqual(event.user_id, self.supervisor)
        self.assertIn("Spare part arrives", event.note)

    @freeze_time(NOW)
    def test_e4_escalate_creates_next_level_now(self):
        """SOP E4: escalating raises the next level at once, up to the last."""
        timer = self._timer()
        level_1 = self._escalate(timer).with_user(self.supervisor)
        level_1.action_escalate("Need a second engineer")
        self.assertEqual(level_1.state, "escalated")
        level_2 = timer.escalation_ids.filtered(lambda esc: esc.level == 2)
        self.assertEqual(level_2.user_id, self.manager)
        self.assertEqual(level_2.state, "open")
        self.assertEqual(timer.level, 2)
        self.assertEqual(self._events(timer, "escalate").level, 2)
        # The director, a superior, escalates the manager's level.
        level_2.with_user(self.director).action_escalate()
        level_3 = timer.escalation_ids.filtered(lambda esc: esc.level == 3)
        self.assertEqual(level_3.user_id, self.director)
        self.assertEqual(timer.level, 3)
        with self.assertRaisesRegex(UserError, "last level"):
            level_3.with_user(self.director).action_escalate()
        self.assertEqual(level_3.state, "open")

    @freeze_time(NOW)
    def test_e4_superiors_decide_lower_levels(self):
        """SOP E4: decisions belong to that person or their superiors."""
        timer = self._timer()
        escalation = self._escalate(timer)
        escalation.with_user(self.director).action_acknowledge("Director takes it")
        self.assertEqual(escalation.decided_by_id, self.director)
        self.assertTrue(escalation.with_user(self.manager).can_decide)
        escalation.with_user(self.manager).action_extend(
            NOW + timedelta(hours=2), "Customer agreed"
        )
        self.assertEqual(escalation.state, "extended")
        self.assertEqual(escalation.decided_by_id, self.manager)

    @freeze_time(NOW)
    def test_e4_wrong_users_refused(self):
        """SOP E4: another engineer, the responsible engineer himself and a
        supervisor of another chain may decide nothing."""
        timer = self._timer()
        escalation = self._escalate(timer)
        decisions = {
            "acknowledge": lambda esc: esc.action_acknowledge("plan"),
            "reassign": lambda esc: esc.action_reassign(self.second_user.id, "x"),
            "extend": lambda esc: esc.action_extend(NOW + timedelta(hours=1), "x"),
            "escalate": lambda esc: esc.action_escalate("x"),
        }
        for user in (self.second_user, self.engineer, self.other_supervisor):
            for name, decide in decisions.items():
                with self.subTest(user=user.login, decision=name):
                    with self.assertRaises(AccessError):
                        decide(escalation.with_user(user))
        self.assertEqual(escalation.state, "open")
        self.assertEqual(timer.state, "breached")
        self.assertEqual(timer.user_id, self.engineer)
        self.assertEqual(len(timer.escalation_ids), 1)
        # A supervisor is not a superior of the levels above him.
        level_2 = self._escalate(timer, level=2)
        with self.assertRaises(AccessError):
            level_2.with_user(self.supervisor).action_acknowledge("plan")

    def test_e4_rpc_writes_refused(self):
        """SOP E4: nobody but the system creates, writes or deletes
        escalations, not even their deciders or a director."""
        timer = self._timer()
        escalation = self._escalate(timer)
        Escalation = self.env["fs.escalation"]
        for user in (self.supervisor, self.manager, self.director):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    escalation.with_user(user).write({"state": "acknowledged"})
                with self.assertRaises(AccessError):
                    escalation.with_user(user).write({"user_id": user.id})
                with self.assertRaises(AccessError):
                    escalation.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    Escalation.with_user(user).create(
                        {"timer_id": timer.id, "level": 2, "user_id": user.id}
                    )
        # Even with write rights on the table, the model refuses it.
        with self.assertRaises(AccessError):
            escalation.with_user(self.env.ref("base.user_admin")).write(
                {"action_plan": "forged"}
            )
        self.assertEqual(escalation.state, "open")
        self.assertEqual(escalation.user_id, self.supervisor)
        # The deciders may discuss it in the chatter.
        escalation.with_user(self.supervisor).message_post(body="On it")


@tagged("post_install", "-at_install")
class TestEscalationWizard(FsEscalationCommon):
    def _wizard(self, escalation, user, decision):
        return Form(
            self.env["fs.escalation.decide"]
            .with_user(user)
            .with_context(
                active_model="fs.escalation",
                active_id=escalation.id,
                default_decision=decision,
            )
        )

    @freeze_time(NOW)
    def test_e4_wizard_drives_each_decision(self):
        """SOP E4: the Decide wizard applies each decision."""
        timer = self._timer()
        escalation = self._escalate(timer)
        action = (
            escalation.with_user(self.supervisor)
            .with_context(fs_decision="extend")
            .action_open_decide()
        )
        self.assertEqual(action["res_model"], "fs.escalation.decide")
        self.assertEqual(action["context"]["default_decision"], "extend")
        with self.assertRaises(AccessError):
            escalation.with_user(self.second_user).action_open_decide()

        form = self._wizard(escalation, self.supervisor, "acknowledge")
        form.action_plan = "Dispatch a second engineer"
        form.save().action_confirm()
        self.assertEqual(escalation.state, "acknowledged")

        form = self._wizard(escalation, self.supervisor, "reassign")
        form.user_id = self.second_user
        form.note = "Closer to the site"
        form.save().action_confirm()
        self.assertEqual(escalation.state, "reassigned")
        self.assertEqual(timer.user_id, self.second_user)

        # The reassigned clock has a new chain (Otto, then the director).
        escalation_2 = self._escalate(timer, level=2)
        form = self._wizard(escalation_2, self.director, "extend")
        form.new_deadline = NOW + timedelta(days=1)
        form.reason = "Customer closed today"
        form.save().action_confirm()
        self.assertEqual(escalation_2.state, "extended")
        self.assertEqual(timer.deadline, NOW + timedelta(days=1))

        timer_2 = self._timer(order=self._order())
        escalation_3 = self._escalate(timer_2)
        form = self._wizard(escalation_3, self.supervisor, "escalate")
        form.note = "Beyond my team"
        form.save().action_confirm()
        self.assertEqual(escalation_3.state, "escalated")
        self.assertEqual(sorted(timer_2.escalation_ids.mapped("level")), [1, 2])

    @freeze_time(NOW)
    def test_e4_wizard_validates_inputs(self):
        """SOP E4: the wizard asks for the plan, the person, the deadline and
        reason of each decision; the wrong user is refused."""
        escalation = self._escalate(self._timer())
        Wizard = self.env["fs.escalation.decide"].with_user(self.supervisor)
        cases = [
            ({"decision": "acknowledge", "action_plan": " "}, "action plan"),
            ({"decision": "reassign"}, "takes over"),
            ({"decision": "extend", "reason": "x"}, "new deadline"),
            (
                {"decision": "extend", "new_deadline": NOW + timedelta(hours=1)},
                "reason",
            ),
            (
                {
                    "decision": "extend",
                    "reason": "x",
                    "new_deadline": NOW - timedelta(hours=1),
                },
                "future",
            ),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                wizard = Wizard.create(dict(values, escalation_id=escalation.id))
                with self.assertRaisesRegex(ValidationError, message):
                    wizard.action_confirm()
        self.assertEqual(escalation.state, "open")
        # Refused when the wizard is opened: a non-decider neither decides
        # nor sees the escalation's clock through the wizard.
        with self.assertRaises(AccessError):
            self.env["fs.escalation.decide"].with_user(self.other_supervisor).create(
                {
                    "escalation_id": escalation.id,
                    "decision": "acknowledge",
                    "action_plan": "mine now",
                }
            )
        self.assertEqual(escalation.state, "open")


@tagged("post_install", "-at_install")
class TestEscalationBatch(FsEscalationCommon):
    def _count_queries(self, size):
        timers = self.env["fs.sla.timer"]
        for _index in range(size):
            timers |= self._timer(order=self._order())
        timers = timers.browse(timers.ids)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        escalations = (
            self.env["fs.escalation"]
            .sudo()
            ._fs_create_escalations([(timer, 1) for timer in timers])
        )
        self.assertEqual(len(escalations), size)
        return self.cr.sql_log_count - before

    @freeze_time(NOW)
    def test_e4_create_escalations_constant_queries(self):
        """SOP E4 (scale): raising escalations costs the same number of
        queries for 3 clocks as for 15 (one search, one create, batched
        activities, e-mails and document notes)."""
        self._count_queries(2)  # warm the caches (xml ids, model ids, defaults)
        small = self._count_queries(3)
        large = self._count_queries(15)
        self.assertEqual(small, large)
        self.assertGreater(small, 5)

    @freeze_time(NOW)
    def test_e4_sweep_raises_escalations_once(self):
        """SOP E4: the SLA sweep raises the level due through
        ``_fs_create_escalations``; a second sweep at the same instant adds
        nothing."""
        timer = self._timer(level=0)
        Timer = self.env["fs.sla.timer"]
        Timer._cron_fs_sla_sweep()
        escalation = timer.escalation_ids
        self.assertEqual(escalation.level, 1)
        self.assertEqual(escalation.user_id, self.supervisor)
        self.assertEqual(timer.level, 1)
        Timer._cron_fs_sla_sweep()
        self.assertEqual(timer.escalation_ids, escalation)
