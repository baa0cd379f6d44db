# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError

MODULE = "field_service_sop"


class Base(models.AbstractModel):
    """Derived means read-only, by construction (issue 10).

    A field this addon defines whose value is computed (``compute=`` or
    ``related=``, stored or not) and that is not declared editable
    (``readonly=False`` or an inverse) is a derived fact: only the code that
    computes it sets it, which the ORM does without ``write()``. Every
    ``create()`` and ``write()`` that names one is refused for every user but
    the superuser (data files, and system code that has checked ownership
    first), whatever the context: an employee unlocking his own gated travel
    expense by writing ``fs_requires_dispatch_order`` (SOP R1), a dispatcher
    silencing the D5 escalation by writing ``verbal_pending``.

    It lives on ``base`` so that it covers the addon's models and the fields it
    adds to Odoo's models alike, and a field added later cannot slip through.
    """

    _inherit = "base"

    @api.model
    def _fs_derived_fields(self):
        """Names of this model's derived fields defined by this addon only."""
        cache = self.pool.__dict__.setdefault("_fs_derived_fields_cache", {})
        names = cache.get(self._name)
        if names is None:
            names = cache[self._name] = frozenset(
                name
                for name, field in self._fields.items()
                if field.compute
                and field.readonly
                and field._modules
                and set(field._modules) == {MODULE}
            )
        return names

    @api.model
    def _fs_refuse_derived(self, field_names):
        derived = self._fs_derived_fields().intersection(field_names)
        if derived:
            labels = ", ".join(
                sorted(
                    self._fields[name].get_description(self.env)["string"]
                    for name in derived
                )
            )
            raise AccessError(
                self.env._(
                    "%(fields)s on %(model)s are computed by Field Service SOP "
                    "from other data and cannot be written. Change the data they "
                    "are computed from instead.",
                    fields=labels,
                    # A label only: the model name, readable by anyone who got here.
                    model=self.env["ir.model"]._get(self._name).sudo().name,
                )
            )

    @api.model
    def _fs_with_context_defaults(self, vals):
        """``vals`` as ``create()`` will store them, for the guards of create.

        The ORM adds a ``default_<field>`` key of the context (RPC sends any
        context) for each field ``vals`` leaves out, after the guards looked
        at ``vals``: a report created signed, an order created issued.
        Computed fields are left out: the ORM computes those whatever the
        default.
        """
        defaults = {}
        for key, value in self.env.context.items():
            name = key[8:] if key.startswith("default_") else None
            field = self._fields.get(name) if name else None
            if field and name not in vals and not field.compute:
                defaults[name] = value
        return {**defaults, **vals}

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and self._fs_derived_fields():
            for vals in vals_list:
                self._fs_refuse_derived(vals)
        return super().create(vals_list)

    def write(self, vals):
        if vals and not self.env.su and self._fs_derived_fields():
            self._fs_refuse_derived(vals)
        return super().write(vals)
