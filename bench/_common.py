# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Set-up shared by the benchmarks (run in ``odoo-bin shell``).

Orders are built by the addon's one issued-order builder,
``odoo.addons.field_service_sop.tests.common.build_issued_order``, the one
the module's tests and the top-level tests use. ``bench.sh`` pipes a
benchmark to the shell (no ``__file__``): it puts this folder on ``sys.path``
from ``get_module_path("field_service_sop")`` and imports ``_common``.
"""

import logging

# odoo.tests logs an error when imported outside test mode; importing the
# builder from the test package is meant here: mute that one message.
_tests_logger = logging.getLogger("odoo.tests.common")
_tests_logger.disabled = True
try:
    from odoo.addons.field_service_sop.tests.common import (  # noqa: F401
        build_issued_order,
        drawn_signature,  # for the benchmarks that sign
    )
finally:
    _tests_logger.disabled = False


def issued_orders(env, partners, engineer, service_type, purpose="Bench", **vals):
    """One issued order per partner of ``partners`` (any iterable, a partner
    may repeat), of ``engineer`` alone, issued by the env's user (SOP D2).

    ``purpose`` may hold ``{index}``; ``vals`` (``content``, ``arrived_at``...)
    go to ``build_issued_order``.
    """
    vals.setdefault("content", "Bench")
    orders = env["fs.dispatch.order"]
    for index, partner in enumerate(partners):
        orders |= build_issued_order(
            env,
            None,
            None,
            partner,
            engineer,
            service_type_id=service_type.id,
            purpose=purpose.format(index=index),
            **vals,
        )
    return orders
