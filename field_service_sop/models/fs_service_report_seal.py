# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac
import json

from odoo import api, fields, models
from odoo.tools import config, split_every

# Server option (odoo.conf / command line) keying the seals: never stored in
# the database, so whoever can edit the database cannot recompute a seal.
SECRET_OPTION = "fs_seal_secret"
# What a seal's hash covers, besides the previous seal's hash.
HASHED_FIELDS = ("company_id", "sequence", "report_id", "name", "sealed_at", "keyed")
# Seals read at once when a chain is walked (the cache is emptied in between).
CHAIN_BATCH = 1000


def seal_secret():
    """The configured seal key, or None (then seals are plain sha256)."""
    secret = config.get(SECRET_OPTION)
    return str(secret) if secret else None


def canonical_json(value):
    """Stable JSON text: the same values always give the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def seal_digest(values, secret):
    """HMAC-SHA256 (keyed) or sha256 of one seal chained to the previous one."""
    payload = {name: values[name] for name in HASHED_FIELDS}
    message = "\n".join(
        (values["previous_hash"] or "", canonical_json(payload), values["snapshot"])
    ).encode()
    if values["keyed"]:
        return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return hashlib.sha256(message).hexdigest()


class FsServiceReportSeal(models.Model):
    """One seal of a signed service report, a link of its company's chain.

    SOP S2, S12: the signed report is the customer's voucher. Sealing (signing
    or phone confirmation) appends a seal holding a snapshot of everything the
    signed PDF, the portal page and the e-mail show (``snapshot``, JSON); the
    documents render from it, never from live data. Each seal's hash covers
    the snapshot, its place in the chain (company, sequence) and the previous
    seal's hash, like Odoo's journal-entry inalterability hash, and is an
    HMAC-SHA256 keyed with the server option ``fs_seal_secret`` when set (the
    key is never in the database), else a plain sha256 (``keyed``).

    Append-only: nobody but the superuser creates, writes or deletes a seal;
    the application only creates them (``_fs_append``). Reopening a report
    voids its seal (the report no longer points to it) but the seal stays in
    the chain, so the chain keeps verifying. Users read the seals of the
    reports they may read.
    """

    _name = "fs.service.report.seal"
    _inherit = ["fs.system.record.mixin"]
    _description = "Service Report Seal"
    _order = "company_id, sequence"

    name = fields.Char(string="Report Number", required=True, readonly=True)
    report_id = fields.Many2one(
        "fs.service.report",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="restrict"
    )
    sequence = fields.Integer(string="Seal No.", required=True, readonly=True)
    previous_hash = fields.Char(readonly=True)
    hash = fields.Char(required=True, readonly=True, index=True)
    keyed = fields.Boolean(
        readonly=True, help="HMAC-SHA256 with the server's seal key, not plain sha256."
    )
    sealed_at = fields.Datetime(required=True, readonly=True)
    sealed_by_id = fields.Many2one("res.users", readonly=True, ondelete="set null")
    snapshot = fields.Text(required=True, readonly=True)

    _sql_constraints = [
        (
            "company_sequence_uniq",
            "UNIQUE(company_id, sequence)",
            "A seal number is used once per company: the chain cannot fork.",
        ),
        ("hash_uniq", "UNIQUE(hash)", "A seal hash is unique."),
    ]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _fs_system_message(self, operation):
        return self.env._(
            "Seals of signed service reports are written by the "
            "application only and are never changed or deleted."
        )

    # ------------------------------------------------------------------
    # Business: append
    # ------------------------------------------------------------------
    @api.model
    def _fs_append(self, report, snapshot):
        """Append the seal of ``report`` (JSON text ``snapshot``) to its
        company's chain and return it. Call after the sealing was allowed.

        The company's chain head row is updated first: it stays locked until
        the transaction ends, and a transaction that sealed in the same company
        meanwhile makes this one fail with a serialization error (Odoo retries
        the request), so two seals never share a predecessor.
        """
        company = report.company_id
        sequence, previous = self.env["fs.service.report.seal.head"]._fs_advance(
            company
        )
        secret = seal_secret()
        values = {
            "name": report.name,
            "report_id": report.id,
            "company_id": company.id,
            "sequence": sequence,
            "previous_hash": previous or False,
            "keyed": bool(secret),
            "sealed_at": fields.Datetime.now(),
            "sealed_by_id": self.env.uid,
            "snapshot": snapshot,
        }
        values["hash"] = seal_digest(self._fs_hashed_values(values), secret)
        seal = self.sudo().create(values)
        self.env["fs.service.report.seal.head"]._fs_move(company, sequence, seal.hash)
        return seal

    @api.model
    def _fs_hashed_values(self, values):
        """The hashed values in their canonical (JSON) form."""
        return {
            **{name: values[name] for name in HASHED_FIELDS},
            "sealed_at": fields.Datetime.to_string(values["sealed_at"]),
            "previous_hash": values["previous_hash"] or "",
            "snapshot": values["snapshot"],
        }

    # ------------------------------------------------------------------
    # Business: verification
    # ------------------------------------------------------------------
    def _fs_hash_ok(self, secret=None):
        """True if the seal's hash matches its content, None if it is keyed
        and this server has no key to check it with."""
        self.ensure_one()
        if self.keyed and not secret:
            return None
        values = self._fs_hashed_values(
            {
                **{name: self[name] for name in HASHED_FIELDS},
                "company_id": self.company_id.id,
                "report_id": self.report_id.id,
                "previous_hash": self.previous_hash,
                "snapshot": self.snapshot or "",
            }
        )
        return hmac.compare_digest(seal_digest(values, secret), self.hash or "")

    @api.model
    def _fs_check_chain(self, company):
        """Walk the seal chain of ``company`` from its first seal to its head.

        Returns a dict: ``count``, ``problems`` (messages, first broken link
        first), ``suspect`` (the seals at a broken link) and ``unverifiable``
        (keyed seals this server has no key for).
        """
        _ = self.env._
        secret = seal_secret()
        Seal = self.sudo()
        ids = Seal.search([("company_id", "=", company.id)], order="sequence").ids
        result = {
            "count": len(ids),
            "problems": [],
            "suspect": self.browse(),
            "unverifiable": self.browse(),
        }
        # The previous seal, as plain values: the cache is emptied per batch.
        previous = {"seal": self.browse(), "sequence": 0, "hash": "", "name": "-"}
        keyed_before = False
        for batch in split_every(CHAIN_BATCH, ids):
            for seal in Seal.browse(batch):
                self._fs_check_link(seal, previous, keyed_before, secret, result)
                keyed_before = keyed_before or seal.keyed
                previous = {
                    "seal": seal,
                    "sequence": seal.sequence,
                    "hash": seal.hash or "",
                    "name": seal.name,
                }
            Seal.invalidate_model()
        head = self.env["fs.service.report.seal.head"]._fs_get(company)
        if (head.sequence or 0, head.hash or "") != (
            previous["sequence"],
            previous["hash"],
        ):
            result["problems"].append(
                _(
                    "the chain's head (seal No. %(head)s) does not match its last "
                    "seal No. %(seq)s (%(report)s): seals were removed or replaced",
                    head=head.sequence or 0,
                    seq=previous["sequence"],
                    report=previous["name"],
                )
            )
            result["suspect"] |= previous["seal"]
        return result

    @api.model
    def _fs_check_link(self, seal, previous, keyed_before, secret, result):
        """Check one seal and its link to the previous one (see
        ``_fs_check_chain``); add what is wrong to ``result``."""
        _ = self.env._
        link = {"seq": seal.sequence, "report": seal.name}
        ok = seal._fs_hash_ok(secret)
        if ok is None:
            result["unverifiable"] |= seal
        elif not ok:
            result["problems"].append(
                _(
                    "seal No. %(seq)s (%(report)s) was altered: its hash does "
                    "not match its content",
                    **link,
                )
            )
            result["suspect"] |= seal
        if seal.sequence != previous["sequence"] + 1:
            result["problems"].append(
                _("seals are missing before seal No. %(seq)s (%(report)s)", **link)
            )
            result["suspect"] |= previous["seal"] | seal
        elif (seal.previous_hash or "") != previous["hash"]:
            result["problems"].append(
                _(
                    "seal No. %(seq)s (%(report)s) does not follow seal No. "
                    "%(prev_seq)s (%(prev)s): one of them was altered or "
                    "replaced",
                    prev_seq=previous["sequence"],
                    prev=previous["name"],
                    **link,
                )
            )
            result["suspect"] |= previous["seal"] | seal
        if keyed_before and not seal.keyed and secret:
            result["problems"].append(
                _(
                    "seal No. %(seq)s (%(report)s) is not keyed although "
                    "earlier seals are: it was recomputed without the key",
                    **link,
                )
            )
            result["suspect"] |= seal

    def _fs_public_status(self):
        """``valid``, ``void`` (the report was reopened after this seal),
        ``invalid`` (altered or cut from its chain) or ``unverifiable``.

        Checks the seal and its two neighbours only: a public page must not
        walk a whole chain on every request.
        """
        self.ensure_one()
        seal = self.sudo()
        secret = seal_secret()
        ok = seal._fs_hash_ok(secret)
        if ok is None:
            return "unverifiable"
        neighbours = seal.search(
            [
                ("company_id", "=", seal.company_id.id),
                ("sequence", "in", [seal.sequence - 1, seal.sequence + 1]),
            ]
        )
        previous = neighbours.filtered(lambda s: s.sequence == seal.sequence - 1)
        following = neighbours - previous
        if following:
            follows = following.previous_hash == seal.hash
        else:
            head = self.env["fs.service.report.seal.head"]._fs_get(seal.company_id)
            follows = (head.sequence, head.hash) == (seal.sequence, seal.hash)
        linked = bool(previous or seal.sequence == 1) and (
            (previous.hash or "") == (seal.previous_hash or "")
        )
        downgraded = secret and previous.keyed and not seal.keyed
        if not ok or not linked or not follows or downgraded:
            return "invalid"
        if seal.report_id.seal_id != seal:
            return "void"
        return "valid"
