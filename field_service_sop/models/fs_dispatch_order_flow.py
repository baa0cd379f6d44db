# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError

# Allowed state moves (SOP D1, D7, D10, D12, D13). Every write of ``state``,
# from a button, RPC or an import, goes through ``_check_transition``; features
# extend them in ``_fs_transitions``.
TRANSITIONS = {
    "draft": {"issued", "cancelled"},
    "issued": {"accepted", "cancelled", "transferred"},
    "accepted": {"departed", "cancelled", "transferred"},
    "departed": {"arrived", "cancelled", "transferred"},
    "arrived": {"done", "transferred"},
    "done": set(),
    "transferred": set(),
    "cancelled": {"draft"},
}
# What an engineer on the order may record (SOP D10-D13); everything else on an
# order is the dispatcher's.
ENGINEER_FIELDS = {
    "state",
    "site_address",
    "site_phone",
    "contact_at",
    "appointment_at",
    "symptoms",
    "customer_preparation",
    "departed_at",
    "arrived_at",
}


# Stamps and links only the order's own moves write (see _fs_protected_fields).
PROTECTED_FIELDS = {
    "issued_at",
    "issued_by_id",
    "delegation_id",
    "accepted_at",
    "transfer_reason",
    "transferred_to_id",
    "transferred_from_id",
}


class FsDispatchOrder(models.Model):
    """The dispatch order's state machine and its guards (SOP D2, D3, D10-D14).

    ``write()`` (in fs_dispatch_order.py) sends every change through
    ``_check_write_rights`` and every state change through ``_check_transition``,
    whatever the path (button, RPC, import). Features extend the hooks here:
    ``_fs_transitions``, ``_fs_engineer_fields``, ``_fs_issue_requirements``,
    ``_check_can_<state>`` and ``_fs_after_issue``.
    """

    _inherit = "fs.dispatch.order"

    # ------------------------------------------------------------------
    # Business: guards
    # ------------------------------------------------------------------
    def _fs_protected_fields(self):
        """Fields only the order's own moves set (stamps, links): never written
        directly, nor preset on create, by anyone but the system (SOP D2, D14)."""
        return set(PROTECTED_FIELDS)

    def _fs_check_protected(self, fields_written):
        protected = self._fs_protected_fields() & set(fields_written)
        if protected:
            raise AccessError(
                self.env._(
                    "%(fields)s of a dispatch order are set by its own buttons "
                    "(issue, accept, transfer, confirm ...) and cannot be written "
                    "directly.",
                    fields=self._fs_field_labels(protected),
                )
            )

    def _fs_field_labels(self, names):
        return ", ".join(
            sorted(self._fields[f].get_description(self.env)["string"] for f in names)
        )

    def _check_write_rights(self, vals):
        """Engineers write only their visit data; dispatchers the rest (SOP D2)."""
        self._fs_check_protected(vals)
        # The customer too: service reports, plans and approvals name it.
        team = {
            "engineer_ids",
            "lead_engineer_id",
            "company_id",
            "partner_id",
        } & set(vals)
        locked = self.filtered(lambda o: o.state not in ("draft", "cancelled"))
        if team and locked:
            # Approvals (D6), emergency plans (D16) and the delegation (D2)
            # were given for this team in this company.
            raise UserError(
                self.env._(
                    "%(order)s is issued for its team: cancel it and reset it to "
                    "draft to change %(fields)s, then issue it again.",
                    order=locked[0].name,
                    fields=self._fs_field_labels(team),
                )
            )
        user = self.env.user
        if user.has_group("field_service_sop.group_fs_dispatcher"):
            return
        forbidden = set(vals) - self._fs_engineer_fields()
        if forbidden:
            labels = self._fs_field_labels(forbidden)
            raise AccessError(
                self.env._(
                    "Engineers record only their visit data on a dispatch order; "
                    "ask the dispatcher to change: %(fields)s.",
                    fields=labels,
                )
            )
        for order in self:
            if user not in order.engineer_ids.user_id:
                raise AccessError(
                    self.env._(
                        "You are not an engineer on %(order)s.", order=order.name
                    )
                )
            if (
                vals.get("state") == "accepted"
                and order.lead_engineer_id.user_id != user
            ):
                raise AccessError(
                    self.env._(
                        "Only the lead engineer %(lead)s accepts %(order)s (SOP D10).",
                        lead=order.lead_engineer_id.name,
                        order=order.name,
                    )
                )
            if order.state in ("arrived", "done", "transferred", "cancelled"):
                # D13: times and lateness are the record once on site.
                raise AccessError(
                    self.env._(
                        "%(order)s is closed for the engineers: ask the "
                        "dispatcher to correct it.",
                        order=order.name,
                    )
                )
            if "appointment_at" in vals and order.state != "issued":
                raise AccessError(
                    self.env._(
                        "The appointment of %(order)s is confirmed: change it with "
                        "Reschedule, which records the reason (SOP D11).",
                        order=order.name,
                    )
                )
            if vals.get("state") in (
                "draft",
                "to_approve",
                "issued",
                "done",
                "cancelled",
            ):
                raise AccessError(
                    self.env._(
                        "Engineers cannot issue, close or cancel %(order)s; ask "
                        "the dispatcher.",
                        order=order.name,
                    )
                )

    def _fs_transitions(self):
        """State -> states it may move to. Extend with ``super()`` and a copy."""
        return {state: set(targets) for state, targets in TRANSITIONS.items()}

    def _fs_engineer_fields(self):
        """Fields an engineer on the order may write (their visit data)."""
        return set(ENGINEER_FIELDS)

    def _fs_issue_requirements(self):
        """(field, label) pairs an order needs before it is issued (SOP D3)."""
        return [
            ("partner_id", self.env._("a customer")),
            ("engineer_ids", self.env._("engineers")),
            ("lead_engineer_id", self.env._("a lead engineer")),
            ("purpose", self.env._("the purpose")),
            ("content", self.env._("the service content")),
        ]

    def _fs_check_issue_content(self):
        """SOP D3: refuse an order that lacks what issuing requires."""
        missing = [
            label for field, label in self._fs_issue_requirements() if not self[field]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "%(order)s cannot be issued without %(missing)s (SOP D3).",
                    order=self.name,
                    missing=", ".join(missing),
                )
            )

    def _check_can_issued(self):
        self._fs_check_issue_content()
        allowed, delegation = self._can_issue(self.env.user)
        if not allowed:
            raise AccessError(
                self.env._(
                    "%(user)s may not issue dispatch orders: only an Engineering "
                    "Manager or a user with a valid, unrevoked delegation from "
                    "one may (SOP D2).",
                    user=self.env.user.name,
                )
            )
        self._fs_after_issue(delegation)

    def _check_can_accepted(self):
        if not (self.contact_at and self.appointment_at):
            raise UserError(
                self.env._(
                    "Log the customer contact first (when, and the confirmed "
                    "appointment) before accepting %(order)s (SOP D10).",
                    order=self.name,
                )
            )
        # Stamped by the move itself, after the lead's right was checked.
        self.sudo().accepted_at = fields.Datetime.now()

    def _check_can_transferred(self):
        if not (self.transferred_to_id and self.transfer_reason):
            raise UserError(
                self.env._(
                    "Transfer %(order)s with the Transfer button: it needs a reason "
                    "and creates the new order (SOP D14).",
                    order=self.name,
                )
            )

    def _check_can_arrived(self):
        if not self.departed_at:
            raise UserError(
                self.env._(
                    "%(order)s: record the departure first (SOP D12).", order=self.name
                )
            )

    def _can_issue(self, user):
        """(allowed, delegation): managers may; others need a delegation (D2)."""
        if user._is_superuser() or user.has_group("field_service_sop.group_fs_manager"):
            return True, self.env["fs.dispatch.delegation"]
        delegation = self.env["fs.dispatch.delegation"]._find_valid(
            user, self.company_id or self.env.company
        )
        return bool(delegation), delegation

    def _fs_after_issue(self, delegation):
        """Stamp the issue and notify the engineers (SOP D7)."""
        self.sudo().update(  # the issuer's right was checked just before (D2)
            {
                "issued_at": fields.Datetime.now(),
                "issued_by_id": self.env.user.id,
                "delegation_id": delegation.id,
            }
        )
        partners = (
            self.engineer_ids.user_id.partner_id | self.engineer_ids.work_contact_id
        )
        self.message_subscribe(partner_ids=partners.ids)
        self.message_post(
            body=self.env._(
                "Dispatch order issued: %(purpose)s", purpose=self.purpose or ""
            ),
            partner_ids=partners.ids,
            subtype_xmlid="mail.mt_comment",
        )
