# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError


class FsSystemRecordMixin(models.AbstractModel):
    """Records the application writes, nobody by hand.

    Seals and the seal chain's head (SOP S2, S12), SLA timers and their event
    log, escalations (SOP E1-E4): users read them; only system code, as
    superuser after its own checks, creates, changes or deletes them.
    ``_fs_system_message(operation)`` says why and what to do instead;
    ``_fs_system_mail_free`` lets users follow and discuss the record in its
    chatter (escalations).
    """

    _name = "fs.system.record.mixin"
    _description = "Field Service SOP System Record"

    _fs_system_mail_free = False

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self._fs_system_message("create"))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and (
            not self._fs_system_mail_free
            or any(not key.startswith(("message_", "activity_")) for key in vals)
        ):
            raise AccessError(self._fs_system_message("write"))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_the_system(self):
        if not self.env.su:
            raise AccessError(self._fs_system_message("unlink"))

    def _fs_system_message(self, operation):
        """Why ``operation`` (create, write, unlink) is refused (override)."""
        return self.env._(
            "%(model)s records are written by the application only.",
            model=self.env["ir.model"]._get(self._name).sudo().name,
        )
