# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class FsStateMixin(models.AbstractModel):
    """SOP state machine shared by dispatch orders and service reports.

    A document lists its allowed moves in ``_fs_transitions`` and may define
    ``_check_can_<state>`` for what a move requires. ``write()`` calls
    ``_check_transition`` for every change of ``state``, so buttons, RPC and
    imports go through the same checks.
    """

    _name = "fs.state.mixin"
    _description = "Field Service SOP State Machine"

    def _fs_transitions(self):
        """State -> set of states it may move to. Extend with ``super()``."""
        return {}

    def _check_transition(self, new_state):
        """Refuse a state move that the SOP does not allow, whatever its path."""
        self.ensure_one()
        states = dict(self._fields["state"]._description_selection(self.env))
        if not isinstance(new_state, str) or new_state not in states:
            # RPC and imports may send anything: name it, list what exists.
            raise UserError(
                self.env._(
                    "%(value)s is not a state of %(record)s. The states are: "
                    "%(states)s.",
                    value=repr(new_state)[:64],
                    record=self.name or self._description,
                    states=", ".join(
                        f"{label} ({key})" for key, label in states.items()
                    ),
                )
            )
        if new_state == self.state:
            return
        if new_state not in self._fs_transitions().get(self.state, ()):
            raise UserError(
                self.env._(
                    "%(record)s cannot go from %(from)s to %(to)s.",
                    record=self.name,
                    **{"from": states[self.state], "to": states[new_state]},
                )
            )
        checker = getattr(self, f"_check_can_{new_state}", None)
        if checker:
            checker()
