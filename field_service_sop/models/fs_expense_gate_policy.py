# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who sets the reimbursement gate's policy, and the expenses it still moves.

Shared by ``product.template``, ``product.product``, ``product.category`` and
``hr.expense`` (SOP R1, R2): which products need a dispatch order is a Field
Service manager's (or an administrator's) decision.
"""

from odoo.exceptions import AccessError

OPEN_SHEET_DOMAIN = [
    "|",
    ("sheet_id", "=", False),
    ("sheet_id.state", "not in", ("done", "cancel")),
]


def fs_may_set_gate_policy(env):
    """SOP R1: who decides which expenses need a dispatch order."""
    return (
        env.su
        or env.user.has_group("field_service_sop.group_fs_manager")
        or env.user.has_group("base.group_system")
    )


def _check_flag_rights(records, vals):
    """SOP R1: whether an expense needs a dispatch order is policy, set by a
    Field Service manager or an administrator, never by whoever approves the
    expenses it gates (untick, approve, tick again). Changes are tracked."""
    env = records.env
    if fs_may_set_gate_policy(env):
        return
    if "fs_requires_dispatch_order" in vals:
        raise AccessError(
            env._(
                "Only Field Service managers and administrators may change "
                "Requires Dispatch Order (SOP R1): it decides which expenses need "
                "a dispatch order and a signed report before they are paid."
            )
        )
