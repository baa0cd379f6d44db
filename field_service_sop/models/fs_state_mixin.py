# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError, UserError

# Wildcard state key of ``_fs_write_rights``: the rights hold in every state.
ANY_STATE = "*"


class AllBut(frozenset):
    """A field set of ``_fs_write_rights``: every field of the model except
    these (and except stamps and derived fields, refused before)."""

    def allows(self, name):
        return name not in self


class Only(frozenset):
    """A field set of ``_fs_write_rights``: these fields only."""

    def allows(self, name):
        return name in self


ALL_FIELDS = AllBut()
NO_FIELDS = Only()


def _is_mail_field(name):
    """Chatter and activities follow their own rights (mail.thread)."""
    return name.startswith(("message_", "activity_"))


class FsStateMixin(models.AbstractModel):
    """SOP document with guarded states, configured like ``base_tier_validation``.

    A document (dispatch order, service report, emergency plan, and the
    complaints and follow-ups to come) inherits this mixin and describes its
    rules as class attributes; the mixin's ``create()`` and ``write()`` apply
    them to every change, whatever its path (form, button, RPC, import), in
    one visible order (see ``write``):

    1. derived fields refused (``base._fs_refuse_derived``);
    2. sealed states: nothing but ``_fs_lock_free_fields`` changes
       (``_fs_locked_states``);
    3. stamps refused: evidence only the actions write, as superuser
       (``_fs_stamp_fields``);
    4. rights per role and state (``_fs_write_rights``, roles from
       ``_fs_user_roles``), then the document's rules on values
       (``_fs_check_write_values``);
    5. the move: allowed by ``_fs_transitions`` and its named checks
       (``_fs_state_checks``), which only check and never write;
    6. the write itself, then what entering the state does
       (``_fs_enter_hooks``), then the seal (``_fs_seal``) on entering a
       sealed state.

    Steps 1 to 4 apply to every user but the superuser (``env.su``): system
    code that checked the caller's right first. Steps 5 and 6 apply to all.

    Configuration (class attributes; extend in the document's home file):

    ``_fs_state_field``
        Name of the selection field holding the state.
    ``_fs_transitions``
        ``{from_state: frozenset(to_states)}``: the moves the SOP allows.
    ``_fs_state_checks``
        ``{to_state: ("_fs_check_x", ...)}``: methods called on each record,
        before a move into ``to_state``; they raise UserError/AccessError.
    ``_fs_enter_hooks``
        ``{to_state: ("_fs_on_enter_x", ...)}``: methods called on the
        records that moved, after the write, with the previous states
        (``{record_id: state}``); they stamp and notify.
    ``_fs_locked_states`` / ``_fs_lock_free_fields``
        Sealed states, and the fields still writable in them.
    ``_fs_stamp_fields``
        Fields only the document's actions write (as superuser, after their
        own checks), never written directly nor preset on create.
    ``_fs_write_rights``
        ``{role: {state or ANY_STATE: Only(...) or AllBut(...)}}``: the
        fields each role may write in each state; a user may write what any
        of their roles on the record allows. A user with no role on the
        record writes nothing.
    """

    _name = "fs.state.mixin"
    _description = "Field Service SOP State Machine"

    _fs_state_field = "state"
    _fs_transitions = {}
    _fs_state_checks = {}
    _fs_enter_hooks = {}
    _fs_locked_states = ()
    _fs_lock_free_fields = frozenset()
    _fs_stamp_fields = frozenset()
    _fs_write_rights = {}

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                # What will be stored, context defaults included.
                self._fs_check_create_values(self._fs_with_context_defaults(vals))
        for vals in vals_list:
            # Then what the document fills in itself (number, defaults): a
            # refused create takes no number.
            self._fs_prepare_create_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            # 1. derived, 2. sealed, 3. stamps, 4. rights per state and rules.
            self._fs_refuse_derived(vals)
            self._fs_check_not_locked(vals)
            self._fs_refuse_stamps(vals)
            self._fs_check_write_rights(vals)
            self._fs_check_write_values(vals)
        state_field = self._fs_state_field
        moving = self.browse()
        if state_field in vals:
            # 5. the move and its named checks, record by record.
            for record in self:
                if record._fs_check_transition(vals[state_field]):
                    moving |= record
        previous = {record.id: record[state_field] for record in moving}
        res = super().write(vals)
        if moving:
            # 6. entering the state, then the seal.
            new_state = vals[state_field]
            for hook in self._fs_enter_hooks.get(new_state, ()):
                getattr(moving, hook)(previous)
            if new_state in self._fs_locked_states:
                moving._fs_seal()
        return res

    def unlink(self):
        if not self.env.su:
            self._fs_check_not_locked(None)
        return super().unlink()

    # ------------------------------------------------------------------
    # Steps of the guarded write
    # ------------------------------------------------------------------
    def _fs_check_create_values(self, vals):
        """A new document starts in its default state, without stamps.

        ``vals`` include the context defaults. Extend in the document's home
        file for who may create it and from what.
        """
        state_field = self._fs_state_field
        default = self._fields[state_field].default
        # The field's own default: a context default is what is checked here.
        initial = default(self) if callable(default) else default
        state = vals.get(state_field)
        stamps = [name for name in self._fs_stamp_fields if name in vals and vals[name]]
        if (state and state != initial) or stamps:
            raise UserError(self._fs_create_stamps_message())
        self._fs_refuse_derived(vals)

    @api.model
    def _fs_prepare_create_values(self, vals):
        """Complete ``vals`` after the checks of create: the number from the
        sequence, defaults from a parent document (override)."""

    def _fs_create_stamps_message(self):
        return self.env._(
            "A %(document)s starts as a draft; its state, signatures and stamps "
            "are recorded by its buttons.",
            document=self._fs_document_label(),
        )

    def _fs_check_not_locked(self, vals):
        """Refuse changing (``vals``) or deleting (``None``) sealed records."""
        if not self._fs_locked_states:
            return
        state_field = self._fs_state_field
        locked = self.filtered(
            lambda record: record[state_field] in self._fs_locked_states
        )
        if not locked:
            return
        if vals is not None:
            changed = {
                name
                for name in vals
                if name not in self._fs_lock_free_fields and not _is_mail_field(name)
            }
            if not changed:
                return
        raise AccessError(self._fs_locked_message(locked))

    def _fs_locked_message(self, locked):
        return self.env._(
            "%(records)s is sealed: nobody may change or delete it.",
            records=", ".join(locked.mapped("display_name")),
        )

    def _fs_refuse_stamps(self, vals):
        stamps = self._fs_stamp_fields.intersection(vals)
        if stamps:
            raise AccessError(self._fs_stamps_message(stamps))

    def _fs_stamps_message(self, stamps):
        return self.env._(
            "%(fields)s of a %(document)s are recorded by its own buttons and "
            "cannot be written directly.",
            fields=self._fs_field_labels(stamps),
            document=self._fs_document_label(),
        )

    def _fs_check_write_rights(self, vals):
        """Rights per role and state (``_fs_write_rights``), record by record."""
        keys = [name for name in vals if not _is_mail_field(name)]
        if not keys or not self._fs_write_rights:
            return
        state_field = self._fs_state_field
        for record in self:
            roles = record._fs_user_roles()
            state = record[state_field]
            refused = set(keys)
            for role in roles:
                rights = self._fs_write_rights.get(role, {})
                allowed = rights.get(state, rights.get(ANY_STATE, NO_FIELDS))
                refused = {name for name in refused if not allowed.allows(name)}
            if refused:
                raise AccessError(record._fs_rights_message(roles, refused))

    def _fs_user_roles(self):
        """The roles (keys of ``_fs_write_rights``) the current user holds on
        this record. Override in the document's home file."""
        self.ensure_one()
        return ()

    def _fs_rights_message(self, roles, refused):
        """Why the current user may not write ``refused`` on this record."""
        self.ensure_one()
        return self.env._(
            "%(record)s: you may not change %(fields)s in this state.",
            record=self.display_name,
            fields=self._fs_field_labels(refused),
        )

    def _fs_check_write_values(self, vals):
        """The document's rules on the values written, for every role but the
        superuser (after the rights per state). Override in the home file."""

    def _fs_check_transition(self, new_state):
        """Refuse a move the SOP does not allow; True if the record moves."""
        self.ensure_one()
        state_field = self._fs_state_field
        states = dict(self._fields[state_field]._description_selection(self.env))
        if not isinstance(new_state, str) or new_state not in states:
            # RPC and imports may send anything: name it, list what exists.
            raise UserError(
                self.env._(
                    "%(value)s is not a state of %(record)s. The states are: "
                    "%(states)s.",
                    value=repr(new_state)[:64],
                    record=self.display_name or self._fs_document_label(),
                    states=", ".join(
                        f"{label} ({key})" for key, label in states.items()
                    ),
                )
            )
        current = self[state_field]
        if new_state == current:
            return False
        if new_state not in self._fs_transitions.get(current, ()):
            raise UserError(
                self.env._(
                    "%(record)s cannot go from %(from)s to %(to)s.",
                    record=self.display_name,
                    **{"from": states[current], "to": states[new_state]},
                )
            )
        for check in self._fs_state_checks.get(new_state, ()):
            getattr(self, check)()
        return True

    def _fs_seal(self):
        """Seal records entering a locked state. Override where states lock."""

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _fs_document_label(self):
        """The document's name in the user's language (a label only)."""
        return self.env["ir.model"]._get(self._name).sudo().name

    def _fs_field_labels(self, names):
        return ", ".join(
            sorted(self._fields[f].get_description(self.env)["string"] for f in names)
        )
