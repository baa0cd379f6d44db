# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError

from .fs_service_report_seal import SECRET_OPTION, seal_secret
from .fs_service_report_snapshot import PEOPLE, SHOWN_KEYS


class FsServiceReport(models.Model):
    """Verification of a signed service report's seal (SOP S2, S12).

    "Verify Fingerprint" walks the seal chain of the reports' companies
    (``fs.service.report.seal._fs_check_chain``) and names its first broken
    link, then compares each report's sealed snapshot with live data: a
    difference in the report's own sealed content (only SQL or the superuser
    can make one) fails the verification; a difference in what is shown from
    outside the report (the order's number, dispatcher, site; people's names)
    is reported as information, since the documents render from the seal.
    """

    _inherit = "fs.service.report"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_verify_fingerprint(self):
        """Check the seal chain of the reports' companies and compare each
        sealed snapshot with live data; record the result.

        Anyone who may read the report may verify it; the result is the
        verification's own stamp, written as superuser after that check.
        """
        _ = self.env._
        self.check_access("read")
        # Read what the database holds now, not what this transaction cached.
        self.env.invalidate_all()
        unsealed = self.filtered(lambda report: not report.sudo().seal_id)
        legacy = unsealed.filtered("fingerprint")
        if legacy:
            raise UserError(
                _(
                    "%(report)s was sealed before seal chains existed: it has no "
                    "seal to verify. An Engineering Manager may reopen it so the "
                    "customer signs it again.",
                    report=", ".join(legacy.mapped("name")),
                )
            )
        if unsealed:
            raise UserError(
                _(
                    "%(report)s is not signed: there is no fingerprint yet.",
                    report=", ".join(unsealed.mapped("name")),
                )
            )
        if self.sudo().seal_id.filtered("keyed") and not seal_secret():
            raise UserError(
                _(
                    "These reports are sealed with the server's seal key, which "
                    "this server does not have: set the option %(option)s in its "
                    "configuration to verify them.",
                    option=SECRET_OPTION,
                )
            )
        Seal = self.env["fs.service.report.seal"]
        companies = self.sudo().seal_id.company_id
        chains = {company: Seal._fs_check_chain(company) for company in companies}
        lines, altered, changed = [], [], []
        for company, chain in chains.items():
            if chain["problems"]:
                lines.append(
                    _(
                        "Seal chain of %(company)s is BROKEN: first broken link: "
                        "%(link)s.",
                        company=company.name,
                        link=chain["problems"][0],
                    )
                )
            elif chain["unverifiable"]:
                lines.append(
                    _(
                        "Seal chain of %(company)s: %(count)s keyed seals cannot "
                        "be checked: this server has no seal key (%(option)s).",
                        company=company.name,
                        count=len(chain["unverifiable"]),
                        option=SECRET_OPTION,
                    )
                )
            else:
                lines.append(
                    _(
                        "Seal chain of %(company)s is intact (%(count)s seals).",
                        company=company.name,
                        count=chain["count"],
                    )
                )
        for report in self:
            seal = report.sudo().seal_id
            own, shown = report._fs_seal_diff()
            broken = (
                seal in chains[seal.company_id]["suspect"]
                or report.fingerprint != seal.hash
            )
            if broken or own:
                check = "mismatch"
                altered.append(report._fs_seal_diff_text(report.name, own or ["seal"]))
            else:
                check = "changed" if shown else "match"
            if shown:
                changed.append(report._fs_seal_diff_text(report.name, shown))
            report._fs_record_check(check, own, shown)
        if altered:
            lines.append(_("Signed content altered: %(r)s.", r="; ".join(altered)))
        if changed:
            lines.append(
                _(
                    "Live data differs from the signed values (the signed "
                    "documents keep the signed values): %(r)s.",
                    r="; ".join(changed),
                )
            )
        broken_chain = any(chain["problems"] for chain in chains.values())
        kind = "danger" if altered or broken_chain else "warning" if changed else ""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": kind or "success",
                "sticky": bool(kind),
                "message": " ".join(lines),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _fs_seal_diff(self):
        """Keys whose live value differs from the sealed one: (the report's
        own sealed content, what is shown from outside the report)."""
        self.ensure_one()
        stored = self._fs_sealed_document()
        if stored is None:
            return ["seal_snapshot"], []
        live = self._fs_seal_document()
        own, shown = [], []
        for key in sorted(set(stored) | set(live)):
            before, now = stored.get(key), live.get(key)
            if key == "service_type":
                # Only the languages sealed: a language installed later is
                # not a change.
                now = {lang: (now or {}).get(lang) for lang in before or {}}
            if before != now:
                (shown if key in SHOWN_KEYS else own).append(key)
        return own, shown

    def _fs_seal_diff_text(self, name, keys):
        """``name (label, label...)``: the changed keys, in the user's words."""
        labels = {
            "seal": self.env._("Seal"),
            "seal_snapshot": self.env._("Sealed Snapshot"),
            "company": self.env._("Company"),
            "order_number": self.env._("Order Number"),
            "dispatcher": self.env._("Dispatcher"),
            "customer": self.env._("Customer"),
            "engineer": self.env._("Lead Engineer"),
            "engineers": self.env._("Engineers"),
            "site_contact": self.env._("Site Contact"),
            "site_address": self.env._("Site Address"),
            "site_phone": self.env._("Site Phone"),
            "service_type": self.env._("Service Type"),
            "parts": self.env._("Spare Parts"),
            "signature_sha256": self.env._("Signature"),
            "consent_signature_sha256": self.env._("Consent Signature"),
        } | {
            key: self._fields[field]._description_string(self.env)
            for key, field in PEOPLE.items()
        }
        names = [
            labels.get(key)
            or (key in self._fields and self._fields[key]._description_string(self.env))
            or key
            for key in keys
        ]
        return f"{name} ({', '.join(dict.fromkeys(names))})"

    def _fs_record_check(self, check, own, shown):
        """Stamp the verification result; note a failure in the chatter."""
        self.sudo().write(
            {
                "fingerprint_check": check,
                "fingerprint_checked_at": fields.Datetime.now(),
                "fingerprint_checked_by_id": self.env.uid,
            }
        )
        if check == "mismatch":
            body = self.env._(
                "Fingerprint verification FAILED: the signed content or its seal "
                "was changed outside the application (stored fingerprint "
                "%(fp)s). %(details)s",
                fp=self.fingerprint,
                details=self._fs_seal_diff_text(self.name, own or ["seal"]),
            )
        elif check == "changed":
            body = self.env._(
                "Seal intact, but live data now differs from what the customer "
                "signed: %(details)s. The signed documents keep the signed values.",
                details=self._fs_seal_diff_text(self.name, shown),
            )
        else:
            return
        self.sudo().message_post(body=body)
