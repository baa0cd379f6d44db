# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 11: the house keeps its shape.

One home file per SOP document holds its only ``create()``/``write()`` beside
the mixins'; every Odoo model the addon extends is extended in one file; the
state machines are configured by class attributes, not found by names built at
run time; no test module imports another.
"""

import ast
import inspect
import pathlib

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.field_service_sop.models.fs_state_mixin import AllBut, Only

from .common import FsReportCommon

PACKAGE = "odoo.addons.field_service_sop.models."
MIXINS = {
    "base",
    "fs_state_mixin",
    "fs_sla_mixin",
    "fs_system_record_mixin",
}
HOMES = {
    "fs.dispatch.order": "fs_dispatch_order",
    "fs.service.report": "fs_service_report",
    "fs.emergency.plan": "fs_emergency_plan",
    "fs.sla.timer": "fs_sla_timer",
    "fs.escalation": "fs_escalation",
}
STATE_DOCUMENTS = ("fs.dispatch.order", "fs.service.report", "fs.emergency.plan")
ADDON = pathlib.Path(__file__).resolve().parent.parent


def _addon_classes(model):
    """(file, class) of the addon's classes in the registry class's MRO."""
    return [
        (cls.__module__.removeprefix(PACKAGE), cls)
        for cls in type(model).__mro__
        if cls.__module__.startswith(PACKAGE)
    ]


@tagged("post_install", "-at_install")
class TestHouse(TransactionCase):
    def test_one_write_and_create_per_document(self):
        for model_name, home in HOMES.items():
            model = self.env[model_name]
            for method in ("create", "write"):
                files = {
                    file
                    for file, cls in _addon_classes(model)
                    if method in vars(cls) and file not in MIXINS
                }
                with self.subTest(model=model_name, method=method):
                    self.assertLessEqual(files, {home})

    def test_odoo_models_extended_in_one_file(self):
        for model_name in self.env.registry:
            if model_name.startswith("fs."):
                continue
            model = self.env[model_name]
            files = {
                file
                for file, cls in _addon_classes(model)
                if file not in MIXINS and getattr(cls, "_name", None) == model_name
            }
            with self.subTest(model=model_name):
                self.assertLessEqual(len(files), 1, files)

    def test_state_machines_are_configured(self):
        """Every named check and hook exists; every state is known."""
        for model_name in STATE_DOCUMENTS:
            model = self.env[model_name]
            states = dict(model._fields[model._fs_state_field].selection)
            with self.subTest(model=model_name):
                self.assertTrue(model._fs_transitions)
                for source, targets in model._fs_transitions.items():
                    self.assertIn(source, states)
                    self.assertLessEqual(set(targets), set(states))
                for table in (model._fs_state_checks, model._fs_enter_hooks):
                    for state, methods in table.items():
                        self.assertIn(state, states)
                        for name in methods:
                            self.assertTrue(callable(getattr(model, name, None)), name)
                self.assertLessEqual(set(model._fs_locked_states), set(states))
                self.assertLessEqual(set(model._fs_stamp_fields), set(model._fields))
                for rights in model._fs_write_rights.values():
                    for state, allowed in rights.items():
                        self.assertIn(state, {*states, "*"})
                        self.assertIsInstance(allowed, AllBut | Only)
                        self.assertLessEqual(set(allowed), set(model._fields))

    def test_no_check_found_by_a_built_name(self):
        """Checks are named in ``_fs_state_checks``: no ``_check_can_<state>``
        methods, no ``getattr`` on an f-string in the models."""
        for path in (ADDON / "models").glob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef):
                    self.assertFalse(
                        node.name.startswith("_check_can_"), f"{path.name}: {node.name}"
                    )
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", None) == "getattr"
                    and len(node.args) > 1
                ):
                    self.assertNotIsInstance(node.args[1], ast.JoinedStr, path.name)

    def test_no_test_module_imports_another(self):
        for path in pathlib.Path(__file__).parent.glob("test_*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level:
                    module = node.module or ""
                    names = [alias.name for alias in node.names]
                    with self.subTest(file=path.name):
                        self.assertFalse(module.startswith("test_"), module)
                        self.assertFalse(
                            [n for n in names if n.startswith("test_")], names
                        )


@tagged("post_install", "-at_install")
class TestStateMixinOrder(FsReportCommon):
    """The guarded write applies its steps in one order (fs_state_mixin.py)."""

    def test_checks_never_write_and_hooks_stamp_after_the_move(self):
        """SOP S8, S12: a refused move writes nothing, not even its stamps."""
        report = self._report()
        with self.assertRaises(UserError):
            report.action_to_sign()  # content missing (S7)
        self.assertFalse(report.entered_at)
        self.assertEqual(report.state, "draft")
        self._complete(report)
        report.action_to_sign()
        self.assertTrue(report.entered_at)  # the hook stamped the move (S8)

    def test_stamps_refused_before_rights(self):
        """Stamps are refused to every role, even one that may write the rest."""
        report = self._report()
        for login in ("engineer", "dispatcher"):
            with (
                self.subTest(login=login),
                self.assertRaisesRegex(AccessError, "recorded by their buttons"),
            ):
                report.with_user(self.users[login]).write({"entered_at": "2026-03-02"})

    def test_signature_check_is_named_in_the_configuration(self):
        model = self.env["fs.service.report"]
        self.assertIn("_fs_check_can_sign", model._fs_state_checks["signed"])
        source = inspect.getsource(type(model)._fs_check_can_sign)
        self.assertNotIn(".write(", source)
