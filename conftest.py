# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""pytest rules shared by the module tests (pytest-odoo) and the top-level tests.

- Collect like Odoo's own loader (odoo/tests/loader.py): only test classes
  defined in the module being collected (an imported base class such as
  ``WebSuite`` is not run again), only the test methods a class defines itself
  (unless it sets ``allow_inherited_tests_method``), and only tests tagged
  ``standard`` (Odoo's default selection).
- A skipped test is a failure here: a browser test skips itself when Chromium or
  websocket-client is missing, and that must not pass as green (STYLE.md, traps).
"""

import logging

import pytest


class _DropTestFrameworkImportError(logging.Filter):
    """pytest-odoo imports test modules outside Odoo's test mode; Odoo then logs
    a scary but harmless 'Importing test framework' error at import time."""

    def filter(self, record):
        return not record.getMessage().startswith("Importing test framework")


logging.getLogger("odoo.tests.common").addFilter(_DropTestFrameworkImportError())


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        cls = getattr(item, "cls", None)
        module = getattr(item, "module", None)
        if cls is not None and module is not None:
            tags = getattr(cls, "test_tags", None)
            inherited = item.originalname not in vars(cls) and not getattr(
                cls, "allow_inherited_tests_method", False
            )
            if (
                cls.__module__ != module.__name__
                or inherited
                or (tags is not None and "standard" not in tags)
            ):
                drop.append(item)
                continue
        keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"ERROR: {len(skipped)} test(s) skipped; skipped tests count as "
            "failures here (is chromium or websocket-client missing?):",
            red=True,
        )
        for report in skipped:
            reporter.write_line(f"  {report.nodeid}: {report.longrepr[-1]}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
