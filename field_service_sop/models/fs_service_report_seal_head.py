# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class FsServiceReportSealHead(models.Model):
    """The head of a company's seal chain: its last seal number and hash.

    SOP S2, S12: one row per company, moved by the application only when a
    seal is appended (``fs.service.report.seal._fs_append``). Appending
    updates this row first, so concurrent sealings in one company are
    serialized by the row lock, and a transaction that started before
    another one sealed fails with a serialization error (retried by Odoo)
    instead of forking the chain. Verification compares the head with the
    last seal, so removing or replacing the last seals is detected.
    """

    _name = "fs.service.report.seal.head"
    _inherit = ["fs.system.record.mixin"]
    _description = "Service Report Seal Chain Head"
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="restrict"
    )
    sequence = fields.Integer(string="Last Seal No.", readonly=True)
    hash = fields.Char(string="Last Seal Hash", readonly=True)

    _sql_constraints = [
        ("company_uniq", "UNIQUE(company_id)", "One seal chain per company."),
    ]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _fs_system_message(self, operation):
        return self.env._("The seal chain's head is moved by the application only.")

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    @api.model
    def _fs_advance(self, company):
        """Take the next seal number of ``company``; return it with the
        previous seal's hash. Locks the company's head row until the end of
        the transaction."""
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                "INSERT INTO fs_service_report_seal_head "
                "(company_id, sequence, create_uid, create_date, write_uid, "
                "write_date) VALUES (%(company)s, 1, %(uid)s, %(now)s, %(uid)s, "
                "%(now)s) ON CONFLICT (company_id) DO UPDATE SET "
                "sequence = fs_service_report_seal_head.sequence + 1, "
                "write_uid = %(uid)s, write_date = %(now)s "
                "RETURNING sequence, hash",
                company=company.id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        self.invalidate_model(["sequence", "hash"])
        return rows[0]

    @api.model
    def _fs_move(self, company, sequence, seal_hash):
        """Point the head of ``company`` at the seal just appended."""
        self.env.execute_query(
            SQL(
                "UPDATE fs_service_report_seal_head SET hash = %s "
                "WHERE company_id = %s AND sequence = %s",
                seal_hash,
                company.id,
                sequence,
            )
        )
        self.invalidate_model(["hash"])

    @api.model
    def _fs_get(self, company):
        """The head of ``company``'s chain (empty before its first seal)."""
        return self.sudo().search([("company_id", "=", company.id)], limit=1)
