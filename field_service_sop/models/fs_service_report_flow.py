# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .fs_service_report_lock import (
    ACCEPTANCE_FIELDS,
    CONSENT_FIELDS,
    LOCKED_STATES,
    PHONE_FIELDS,
    PROBLEM_FIELDS,
    WORK_FIELDS,
)
from .fs_signature_image import check_drawn_signature

RATING_FIELDS = {
    "rating_attitude",
    "rating_response",
    "rating_effect",
    "rating_overall",
}
# The customer's signatures, drawn by hand (SOP S5).
SIGNATURE_FIELDS = {"signature", "consent_signature"}

TRANSITIONS = {
    "draft": {"to_sign", "signed", "phone_confirmed", "cancelled"},
    "to_sign": {"draft", "signed", "phone_confirmed", "cancelled"},
    # Back to draft only through a manager's reopen (superuser write).
    "signed": {"draft"},
    "phone_confirmed": {"draft"},
    "cancelled": {"draft"},
}


class FsServiceReport(models.Model):
    """Guards and state flow of the service report (SOP S1, S5-S8, S12).

    ``create`` and ``write`` send every change through the seal
    (``_fs_check_not_locked``), ``_check_write_rights`` (the rights matrix in
    the model's docstring, fs_service_report.py) and every state change
    through ``_check_transition``, whatever the path (button, RPC, import).
    """

    _inherit = "fs.service.report"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.onchange("order_id")
    def _onchange_order_id(self):
        if self.order_id:
            self.update(self._fs_defaults_from_order(self.order_id, {}))

    @api.model
    def _fs_defaults_from_order(self, order, vals):
        """Visit data the order already knows; never overwrites vals."""
        defaults = {
            "service_type_id": order.service_type_id.id,
            "arrival_at": order.arrived_at,
            "symptoms": order.symptoms,
        }
        return {
            key: value for key, value in defaults.items() if not vals.get(key) and value
        }

    @api.model_create_multi
    def create(self, vals_list):
        Order = self.env["fs.dispatch.order"]
        for vals in vals_list:
            order = Order.browse(vals.get("order_id"))
            if not self.env.su:
                # What will be stored, context defaults included (S2, S3); a
                # draft column's quick create sends the draft state.
                stored = self._fs_with_context_defaults(vals)
                if "state" not in vals and stored.get("state") == "draft":
                    del stored["state"]
                self._fs_check_create(order, stored)
            self._fs_check_one_live(order)
            vals.update(self._fs_defaults_from_order(order, vals))
            self._fs_check_input_values(vals)
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(order.company_id)
                    .next_by_code("fs.service.report")
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        # The lock (mixin) runs first: a sealed report refuses everything.
        if not self.env.su:
            self._fs_check_not_locked(vals)
            self._check_write_rights(vals)
            if "service_type_id" in vals:
                self._fs_check_service_type_change()
        self._fs_check_input_values(vals)
        if "state" in vals:
            for report in self:
                report._check_transition(vals["state"])
        res = super().write(vals)
        if vals.get("state") in LOCKED_STATES:
            self._fs_seal()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_to_sign(self):
        """Content complete: hand the device to the customer (SOP S12)."""
        return self.write({"state": "to_sign"})

    def action_reset_draft(self):
        return self.write({"state": "draft"})

    def action_cancel(self):
        return self.write({"state": "cancelled"})

    def action_write_problem_report(self):
        """Stamp the problem report (category, cause, method, losses; SOP S11)."""
        for report in self:
            report._check_write_rights({"problem_written_at": True}, stamp=True)
            missing = [name for name in PROBLEM_FIELDS if not report[name]]
            if missing:
                raise UserError(
                    self.env._(
                        "%(report)s: fill in the problem report's category, cause, "
                        "method and losses first (SOP S11).",
                        report=report.name,
                    )
                )
        # Rights checked just above: the stamp is the action's own.
        return self.sudo().write({"problem_written_at": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Business: rights and transitions
    # ------------------------------------------------------------------
    def _fs_check_create(self, order, vals):
        """SOP S1: a report belongs to an issued order and its engineers."""
        if not order.issued_at or order.state in ("draft", "cancelled"):
            raise UserError(
                self.env._(
                    "A service report needs an issued dispatch order (SOP S1); "
                    "%(order)s is not issued.",
                    order=order.name or self.env._("no order"),
                )
            )
        user = self.env.user
        if not user.has_group("field_service_sop.group_fs_dispatcher") and (
            user not in order.engineer_ids.user_id
        ):
            raise AccessError(
                self.env._(
                    "Only the engineers of %(order)s or a dispatcher write its "
                    "service report.",
                    order=order.name,
                )
            )
        forbidden = set(vals) & (self._fs_stamp_fields() | {"state"})
        if forbidden:
            raise UserError(
                self.env._(
                    "A service report starts as a draft; signatures and stamps are "
                    "recorded by their buttons."
                )
            )
        service_type = self.env["fs.service.type"].browse(
            vals.get("service_type_id") or order.service_type_id.id
        )
        if service_type.touches_customer_systems and any(
            vals.get(name) for name in WORK_FIELDS
        ):
            raise UserError(self._fs_consent_message(order.name))

    def _check_write_rights(self, vals, stamp=False):
        """Who writes what, and when (SOP S5, S6, S12); see the class docstring."""
        keys = {k for k in vals if not k.startswith(("message_", "activity_"))}
        if not stamp and keys & self._fs_stamp_fields():
            raise AccessError(
                self.env._("Signatures and stamps are recorded by their buttons only.")
            )
        user = self.env.user
        is_dispatcher = user.has_group("field_service_sop.group_fs_dispatcher")
        for report in self:
            if "order_id" in keys and vals["order_id"] != report.order_id.id:
                raise UserError(
                    self.env._(
                        "%(report)s stays on its order; cancel it and write a new "
                        "report on the other order.",
                        report=report.name,
                    )
                )
            if report.consent_signed_at and keys & CONSENT_FIELDS:
                raise UserError(
                    self.env._(
                        "%(report)s: the consent is signed and can no longer change.",
                        report=report.name,
                    )
                )
            if report.problem_written_at and keys & PROBLEM_FIELDS:
                raise UserError(
                    self.env._(
                        "%(report)s: the problem report is written and final.",
                        report=report.name,
                    )
                )
            if (
                report.consent_required
                and not report.consent_signed_at
                and any(vals.get(name) for name in keys & WORK_FIELDS)
            ):
                raise UserError(self._fs_consent_message(report.name))
            if is_dispatcher:
                continue
            if user not in report.order_id.engineer_ids.user_id:
                raise AccessError(
                    self.env._(
                        "You are not an engineer on %(order)s.",
                        order=report.order_id.name,
                    )
                )
            allowed = report._fs_engineer_fields()
            if keys - allowed:
                raise AccessError(
                    self.env._(
                        "%(report)s: engineers edit a draft report's content, then "
                        "only the customer's acceptance while it awaits signature, "
                        "and the problem report. Ask a dispatcher, or reset the "
                        "report to draft, to change: %(fields)s.",
                        report=report.name,
                        fields=", ".join(sorted(keys - allowed)),
                    )
                )

    @api.model
    def _fs_check_input_values(self, vals):
        """Clear messages for bad values the ORM would only reject generically.

        Ratings (SOP S7, S12) are marks 1-5 or 1-10, whatever the path (RPC,
        import): a number in range is taken as its mark. The customer's
        signatures must be drawn (SOP S5). Runs for the superuser too: the
        portal signs as superuser after its token check.
        """
        for name in RATING_FIELDS & set(vals):
            value = vals[name]
            if value is False or value is None or value == "":
                continue
            field = self._fields[name]
            marks = [key for key, _label in field._description_selection(self.env)]
            mark = str(value) if isinstance(value, str | int) else None
            if mark not in marks:
                raise ValidationError(
                    self.env._(
                        "%(field)s is a mark from 1 to %(top)s: %(value)s is out "
                        "of range. Choose a mark from 1 to %(top)s.",
                        field=field._description_string(self.env),
                        top=marks[-1],
                        value=str(value)[:20],
                    )
                )
            vals[name] = mark
        for name in SIGNATURE_FIELDS & set(vals):
            if vals[name]:
                check_drawn_signature(self.env, vals[name])

    def _fs_check_part_change(self):
        """Spare-part lines are report content (SOP S6, S7): same guards."""
        if not self.env.su:
            self._fs_check_not_locked({"part_ids": True})
            self._check_write_rights({"part_ids": True})

    def _fs_check_service_type_change(self):
        """SOP S6: the type decides whether consent comes first; once consent or
        work is recorded, switching it would put the consent after the work."""
        for report in self:
            if report.consent_signed_at or any(report[f] for f in WORK_FIELDS):
                raise UserError(
                    self.env._(
                        "%(report)s: the service type is fixed once consent or "
                        "work is recorded (SOP S6). Cancel the report and write a "
                        "new one if the type was wrong.",
                        report=report.name,
                    )
                )

    def _fs_stamp_fields(self):
        """Derived fields are never typed in either: related ones (they would
        write through to the order), computed ones without an inverse (consent
        required, deadlines, hours), and the portal token (SOP S1, S6, S8)."""
        derived = {
            name
            for name, field in self._fields.items()
            if not name.startswith(("message_", "activity_"))
            and (field.related or (field.compute and field.readonly))
        }
        return super()._fs_stamp_fields() | derived | {"access_token"}

    def _fs_engineer_fields(self):
        """Fields an engineer on the order may write in the report's state."""
        self.ensure_one()
        problem = PROBLEM_FIELDS | {"problem_written_at"}
        if self.state == "draft":
            return set(self._fields) - PHONE_FIELDS - self._fs_stamp_fields() | problem
        if self.state == "to_sign":
            return ACCEPTANCE_FIELDS | problem | {"state"}
        if self.state in LOCKED_STATES:
            return problem
        return set()

    def _fs_consent_message(self, name):
        return self.env._(
            "%(report)s: this service touches the customer's systems. Record the "
            "customer's consent first (backups confirmed with their times, downtime "
            "approved, recovery information kept, signed) before recording any "
            "work (SOP S5, S6, S13).",
            report=name,
        )

    def _fs_transitions(self):
        """State -> states it may move to. Extend with ``super()`` and a copy."""
        return {state: set(targets) for state, targets in TRANSITIONS.items()}

    def _check_transition(self, new_state):
        super()._check_transition(new_state)
        if new_state == self.state:
            return
        if new_state != "cancelled" and self.state == "draft" and not self.entered_at:
            self.sudo().entered_at = fields.Datetime.now()  # SOP S8

    def _check_can_to_sign(self):
        self._fs_check_content_complete()

    def _check_can_cancelled(self):
        self._fs_require_dispatcher(self.env._("cancel a service report"))

    def _check_can_draft(self):
        if self.state == "cancelled":
            self._fs_require_dispatcher(self.env._("restore a cancelled report"))
            self._fs_check_one_live(self.order_id, self.id)

    def _fs_require_dispatcher(self, what):
        if not self.env.su and not self.env.user.has_group(
            "field_service_sop.group_fs_dispatcher"
        ):
            raise AccessError(
                self.env._("Only a dispatcher or a manager may %(what)s.", what=what)
            )

    def _fs_check_content_complete(self):
        """SOP S7, S12: what the customer accepts must be written first."""
        missing = [
            label
            for field, label in (
                ("arrival_at", self.env._("the arrival")),
                ("departure_at", self.env._("the departure")),
                ("work_done", self.env._("the work done")),
                ("result", self.env._("the result")),
            )
            if not self[field]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "%(report)s needs %(missing)s before the customer accepts "
                    "it (SOP S7).",
                    report=self.name,
                    missing=", ".join(missing),
                )
            )
