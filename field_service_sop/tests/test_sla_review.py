# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Adversarial review of the SLA engine and escalations (SOP E1-E4).

Each test asserts the SECURE behaviour: an RPC user must not skip, move,
forge or read SLA clocks and escalations he has no business with, and one
bad record or policy must not block the sweep or every document write.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import MONDAY, NOW, FsEscalationCommon, FsSlaCommon


def _refused(test, call):
    """Run ``call`` in a savepoint; return the exception it raised (or None)."""
    try:
        with test.env.cr.savepoint():
            call()
    except (AccessError, UserError, ValidationError, ValueError) as error:
        return error
    return None


@tagged("post_install", "-at_install")
class TestSlaReviewEngine(FsSlaCommon):
    # ------------------------------------------------------------------
    # Holes
    # ------------------------------------------------------------------
    def test_e1_context_key_cannot_skip_the_clock(self):
        """SOP E1: a user creating or moving a document over RPC with the
        engine's internal context key ``fs_sla_no_sync`` must not escape the
        clock (no timer started, no clock stopped)."""
        policy = self._policy()
        user = new_test_user(
            self.env,
            login="fs_review_helpdesk",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user,"
            "field_service_sop.group_fs_engineer",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        with freeze_time(MONDAY):
            ticket = Ticket.with_context(fs_sla_no_sync=True).create(
                {
                    "name": "Printer down",
                    "description": "Jammed",
                    "user_id": self.users["engineer"].id,
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                }
            )
        self.assertTrue(
            self._timer(ticket, policy),
            "A context key sent over RPC skipped the SLA clock of a new ticket.",
        )

    def test_e1_policy_domain_cannot_break_document_writes(self):
        """SOP E1: a policy domain accepted when saved must not make every
        ticket create/write crash afterwards (one manager's typo would stop
        the helpdesk for everybody): either the save is refused, or the
        tickets are still created."""
        manager = self.users["manager"]
        try:
            with self.env.cr.savepoint():
                self._policy(applies_domain='[("priority", ">=", 2)]').with_user(
                    manager
                )
        except ValidationError:
            return  # refused at save: secure
        self._policy(applies_domain='[("priority", ">=", 2)]')
        error = None
        try:
            with self.env.cr.savepoint():
                self._tickets()
        except Exception as exc:  # noqa: BLE001 - any crash is the hole
            error = exc
        self.assertIsNone(
            error,
            "A stored policy domain makes every ticket create crash: %s" % error,
        )

    def test_e3_sweep_not_blocked_by_orphan_timer(self):
        """SOP E3: one timer whose document vanished outside the ORM must not
        block the sweep for every other timer forever."""
        policy = self._policy(target_value=30, target_unit="minutes")
        with freeze_time(MONDAY):
            good, gone = self._tickets(count=2)
        gone_timer = self._timer(gone, policy)
        self.env.flush_all()
        # A document removed without its ORM unlink (SQL cascade, script...).
        self.env.cr.execute("DELETE FROM helpdesk_ticket WHERE id = %s", [gone.id])
        self.env.invalidate_all()
        with freeze_time(MONDAY + timedelta(hours=2)):
            error = None
            try:
                with self.env.cr.savepoint():
                    self._sweep()
            except Exception as exc:  # noqa: BLE001 - any crash is the hole
                error = exc
        self.assertIsNone(error, "The sweep crashes on an orphan timer: %s" % error)
        self.assertEqual(self._timer(good, policy).state, "breached")
        self.assertIn(
            gone_timer.exists().state or "cancelled", ("cancelled", "breached")
        )

    # ------------------------------------------------------------------
    # Refusals that hold (previously untested paths)
    # ------------------------------------------------------------------
    def test_e3_timer_import_copy_chatter_and_document_field_refused(self):
        """SOP E3-E5: an engineer cannot create or change a timer or an event
        through ``load()``, ``copy()``, the chatter or the document's
        ``fs_sla_timer_ids``."""
        policy = self._policy()
        with freeze_time(MONDAY):
            ticket = self._tickets()
        timer = self._timer(ticket, policy)
        deadline = timer.deadline
        event = timer.event_ids[:1]
        for role in ("engineer", "dispatcher", "manager"):
            user = self.users[role]
            with self.subTest(role=role):
                Timer = self.Timer.with_user(user)
                result = Timer.load(
                    ["id", "deadline", "state"],
                    [[timer.get_external_id()[timer.id] or "", "2030-01-01", "met"]],
                )
                self.assertFalse(result["ids"])
                result = Timer.load(
                    ["policy_id/.id", "res_model", "res_id", "state"],
                    [[str(policy.id), "helpdesk.ticket", str(ticket.id), "met"]],
                )
                self.assertFalse(result["ids"])
                result = (
                    self.env["fs.sla.timer.event"]
                    .with_user(user)
                    .load(["timer_id/.id", "event"], [[str(timer.id), "met"]])
                )
                self.assertFalse(result["ids"])
                self.assertTrue(
                    _refused(self, lambda u=user: timer.with_user(u).copy())
                )
                self.assertTrue(
                    _refused(self, lambda u=user: event.with_user(u).copy())
                )
                self.assertTrue(
                    _refused(
                        self,
                        lambda u=user: timer.with_user(u).message_post(
                            body="forged", message_type="comment"
                        ),
                    )
                )
                for command in (
                    Command.delete(timer.id),
                    Command.update(timer.id, {"deadline": "2030-01-01 00:00:00"}),
                    Command.create({"policy_id": policy.id, "state": "met"}),
                    Command.clear(),
                ):
                    _refused(
                        self,
                        lambda u=user, c=command: ticket.with_user(u).write(
                            {"fs_sla_timer_ids": [c]}
                        ),
                    )
        timer.invalidate_recordset()
        self.assertTrue(timer.exists())
        self.assertEqual(timer.deadline, deadline)
        self.assertEqual(timer.state, "running")
        self.assertEqual(
            self.Timer.search_count(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
            ),
            1,
        )

    def test_e3_sweep_twice_is_idempotent_and_private(self):
        """SOP E3/E4: a second sweep at the same instant does nothing, and the
        sweep is not callable over RPC (private method)."""
        from odoo.service.model import get_public_method

        policy = self._policy(target_value=30, target_unit="minutes")
        with freeze_time(MONDAY):
            ticket = self._tickets()
        timer = self._timer(ticket, policy)
        with freeze_time(MONDAY + timedelta(hours=3)):
            self._sweep()
            events = len(timer.event_ids)
            escalations = len(timer.escalation_ids)
            self.assertEqual(self._sweep(), 0)
        timer.invalidate_recordset()
        self.assertEqual(len(timer.event_ids), events)
        self.assertEqual(len(timer.escalation_ids), escalations)
        for name in (
            "_cron_fs_sla_sweep",
            "_fs_recompute",
            "_fs_write_rows",
            "_fs_log",
        ):
            with self.assertRaises(AccessError):
                get_public_method(self.Timer, name)


@tagged("post_install", "-at_install")
class TestSlaReviewEscalation(FsEscalationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})

    # ------------------------------------------------------------------
    # Holes
    # ------------------------------------------------------------------
    def test_e4_wizard_does_not_leak_foreign_escalation(self):
        """SOP E4: the decision wizard must not let a user read an escalation
        (and its clock) he may not read, e.g. another company's."""
        # A clock of the other company (the document does not matter here).
        timer = self._timer(company_id=self.other_company.id)
        escalation = self._escalate(timer)
        engineer = self.engineer
        self.assertFalse(
            self.env["fs.escalation"]
            .with_user(engineer)
            .search([("id", "=", escalation.id)])
        )
        leaked = None
        try:
            with self.env.cr.savepoint():
                wizard = (
                    self.env["fs.escalation.decide"]
                    .with_user(engineer)
                    .create({"escalation_id": escalation.id})
                )
                leaked = wizard.read(["deadline", "responsible_id", "timer_id"])[0]
        except AccessError:
            leaked = None
        self.assertFalse(
            leaked and (leaked["deadline"] or leaked["timer_id"]),
            "Another company's SLA clock read through the wizard: %s" % leaked,
        )

    def test_e4_non_decider_cannot_remove_decision_activity(self):
        """SOP E4: the 'decide' activity of an escalation tells its assignee;
        a user who only reads the escalation (a dispatcher) must not delete
        or reassign it."""
        timer = self._timer()
        escalation = self._escalate(timer)
        activity = escalation.activity_ids
        self.assertEqual(activity.user_id, self.supervisor)
        dispatcher = self.users["dispatcher"]
        self.assertTrue(escalation.with_user(dispatcher).read(["state"]))
        reassigned = _refused(
            self,
            lambda: activity.with_user(dispatcher).write({"user_id": dispatcher.id}),
        )
        deleted = _refused(self, lambda: activity.with_user(dispatcher).unlink())
        self.assertTrue(
            reassigned and deleted,
            "A dispatcher may reassign (%s) or delete (%s) the supervisor's "
            "escalation activity." % (not reassigned, not deleted),
        )

    # ------------------------------------------------------------------
    # Refusals that hold (previously untested paths)
    # ------------------------------------------------------------------
    def test_e4_escalation_import_copy_and_activity_key_refused(self):
        """SOP E4: no escalation is created or changed by ``load()``,
        ``copy()`` or a write disguised as an ``activity_``/``message_`` key,
        not even by its decider."""
        timer = self._timer()
        escalation = self._escalate(timer)
        Escalation = self.env["fs.escalation"]
        for user in (self.supervisor, self.manager, self.director):
            with self.subTest(user=user.login):
                result = Escalation.with_user(user).load(
                    ["timer_id/.id", "level", "user_id/.id"],
                    [[str(timer.id), "2", str(user.id)]],
                )
                self.assertFalse(result["ids"])
                self.assertTrue(
                    _refused(self, lambda u=user: escalation.with_user(u).copy())
                )
                self.assertTrue(
                    _refused(
                        self,
                        lambda u=user: escalation.with_user(u).write(
                            {"message_main_attachment_id": False, "state": "escalated"}
                        ),
                    )
                )
                self.assertTrue(
                    _refused(
                        self,
                        lambda u=user: escalation.with_user(u).write(
                            {"activity_ids": [Command.clear()]}
                        ),
                    )
                )
        self.assertEqual(escalation.state, "open")
        self.assertTrue(escalation.activity_ids)
        self.assertEqual(len(timer.escalation_ids), 1)

    def test_e4_foreign_company_escalation_and_timer_unreadable(self):
        """SOP E4: a director of one company neither reads nor decides the
        escalations and clocks of another company."""
        # A clock of the other company (the document does not matter here).
        timer = self._timer(company_id=self.other_company.id)
        escalation = self._escalate(timer, level=3)
        director = self.director
        self.assertNotIn(self.other_company, director.company_ids)
        self.assertFalse(
            self.env["fs.sla.timer"].with_user(director).search([("id", "=", timer.id)])
        )
        self.assertFalse(
            self.env["fs.sla.timer.event"]
            .with_user(director)
            .search([("timer_id", "=", timer.id)])
        )
        self.assertFalse(
            self.env["fs.escalation"]
            .with_user(director)
            .search([("id", "=", escalation.id)])
        )
        with self.assertRaises(AccessError):
            escalation.with_user(director).action_extend(NOW + timedelta(days=9), "x")

    def test_e4_decision_escalate_then_sweep_one_per_level(self):
        """SOP E4: a decision 'escalate' and the sweep at the same level raise
        exactly one escalation per (timer, level), and a second sweep nothing."""
        timer = self._timer(next_check_at=NOW + timedelta(minutes=1))
        level_1 = self._escalate(timer)
        with freeze_time(NOW):
            level_1.with_user(self.supervisor).action_escalate("more hands")
        self.assertEqual(timer.level, 2)
        with freeze_time(NOW + timedelta(hours=3)):
            self.env["fs.sla.timer"]._cron_fs_sla_sweep()
            self.env["fs.sla.timer"]._cron_fs_sla_sweep()
        levels = timer.escalation_ids.mapped("level")
        self.assertEqual(sorted(levels), sorted(set(levels)))
        self.assertEqual(sorted(levels), [1, 2, 3])

    def test_e4_responsible_cannot_decide_own_clock(self):
        """SOP E4: the responsible engineer never extends his own deadline,
        even as a plain internal user or through the wizard."""
        timer = self._timer()
        escalation = self._escalate(timer)
        # The wizard refuses him as soon as it is opened.
        with freeze_time(NOW), self.assertRaises(AccessError):
            self.env["fs.escalation.decide"].with_user(self.engineer).create(
                {
                    "escalation_id": escalation.id,
                    "decision": "extend",
                    "new_deadline": NOW + timedelta(days=30),
                    "reason": "I need more time",
                }
            )
        user = new_test_user(
            self.env, login="fs_review_plain", groups="base.group_user"
        )
        with freeze_time(NOW), self.assertRaises(AccessError):
            escalation.with_user(user).action_extend(NOW + timedelta(days=30), "x")
        self.assertFalse(timer.extended)
        self.assertEqual(timer.deadline, NOW - timedelta(hours=1))

    def test_e4_lower_level_cannot_override_higher(self):
        """SOP E4: once the clock climbed to level 2, the supervisor (level 1)
        no longer decides: the manager at level 2 does."""
        timer = self._timer(next_check_at=NOW + timedelta(minutes=1))
        level_1 = self._escalate(timer)
        level_2 = self._escalate(timer, level=2)
        with freeze_time(NOW), self.assertRaises(UserError):
            level_1.with_user(self.supervisor).action_extend(
                NOW + timedelta(days=1), "more time"
            )
        with freeze_time(NOW), self.assertRaises(UserError):
            level_1.with_user(self.supervisor).action_acknowledge("plan")
        self.assertFalse(timer.extended)
        with freeze_time(NOW):
            level_2.with_user(self.manager).action_extend(
                NOW + timedelta(days=1), "spare part arrives tomorrow"
            )
        self.assertTrue(timer.extended)

    def test_e4_breach_after_extension_keeps_the_level(self):
        """SOP E4: an extended clock that breaches again keeps the level it
        reached and climbs on from there (no level is raised twice)."""
        timer = self._timer(next_check_at=NOW + timedelta(minutes=1))
        level_1 = self._escalate(timer)
        with freeze_time(NOW):
            level_1.with_user(self.supervisor).action_extend(
                NOW + timedelta(hours=1), "customer on holiday"
            )
        self.assertEqual(timer.state, "running")
        with freeze_time(NOW + timedelta(hours=1, minutes=1)):
            self.env["fs.sla.timer"]._cron_fs_sla_sweep()
        self.assertEqual(timer.state, "breached")
        self.assertEqual(timer.level, 1)
        interval = timer.policy_id.escalation_interval_minutes
        with freeze_time(NOW + timedelta(hours=1, minutes=2 * interval + 1)):
            self.env["fs.sla.timer"]._cron_fs_sla_sweep()
        levels = timer.escalation_ids.mapped("level")
        self.assertEqual(sorted(levels), [1, 2])
