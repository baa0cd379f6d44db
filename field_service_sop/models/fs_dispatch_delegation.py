# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

REVOCATION_FIELDS = {"revoked", "revoked_at", "revoked_by_id", "revoke_reason"}


class FsDispatchDelegation(models.Model):
    """An Engineering Manager's written authorisation to issue dispatch orders.

    SOP D2: only the Engineering Manager, or someone they authorised, issues
    dispatch orders; the authorisation is explicit, dated and revocable. A
    delegation is never deleted: revoking it keeps it, with who and when, so the
    orders issued under it stay explained.

    Rights: Engineering Managers create and revoke delegations (their own, or
    any as Service Director); delegates read the delegations given to them.
    """

    _name = "fs.dispatch.delegation"
    _description = "Dispatch Order Delegation"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _rec_name = "delegate_id"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Delegating Manager",
        required=True,
        default=lambda self: self.env.user,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("field_service_sop.group_fs_manager").ids)
        ],
        tracking=True,
    )
    delegate_id = fields.Many2one(
        "res.users",
        string="Delegate",
        required=True,
        index=True,
        tracking=True,
        help="The user (e.g. a project assistant) allowed to issue dispatch orders.",
    )
    date_from = fields.Date(
        string="Valid From",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_to = fields.Date(string="Valid Until", required=True, tracking=True)
    note = fields.Text(string="Scope")
    revoked = fields.Boolean(readonly=True, tracking=True)
    revoked_at = fields.Datetime(readonly=True)
    revoked_by_id = fields.Many2one("res.users", readonly=True)
    revoke_reason = fields.Text(readonly=True)
    state = fields.Selection(
        [
            ("scheduled", "Scheduled"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        compute="_compute_state",
        help="Computed from the dates and the revocation, for today.",
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.depends("date_from", "date_to", "revoked")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for delegation in self:
            if delegation.revoked:
                delegation.state = "revoked"
            elif delegation.date_from and delegation.date_from > today:
                delegation.state = "scheduled"
            elif delegation.date_to and delegation.date_to < today:
                delegation.state = "expired"
            else:
                delegation.state = "active"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for delegation in self:
            if delegation.date_to < delegation.date_from:
                raise ValidationError(
                    self.env._(
                        "The delegation to %(delegate)s ends (%(end)s) before it "
                        "starts (%(start)s): correct the dates.",
                        delegate=delegation.delegate_id.name,
                        end=delegation.date_to,
                        start=delegation.date_from,
                    )
                )

    @api.constrains("manager_id", "delegate_id")
    def _check_people(self):
        manager_group = self.env.ref("field_service_sop.group_fs_manager")
        for delegation in self:
            if manager_group not in delegation.manager_id.groups_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an Engineering Manager and cannot "
                        "delegate the issuing of dispatch orders (SOP D2).",
                        user=delegation.manager_id.name,
                    )
                )
            if not delegation.delegate_id.has_group(
                "field_service_sop.group_fs_dispatcher"
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a Dispatcher / Project Assistant: give "
                        "them that role before delegating the issuing of dispatch "
                        "orders to them (SOP D2).",
                        user=delegation.delegate_id.name,
                    )
                )
            if delegation.delegate_id == delegation.manager_id:
                raise ValidationError(
                    self.env._("A manager cannot delegate to themselves.")
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get(f) for vals in vals_list for f in REVOCATION_FIELDS
        ):
            raise UserError(
                self.env._("Revoke a delegation with its Revoke button (SOP D2).")
            )
        records = super().create(vals_list)
        records._check_manager_rights()
        return records

    def write(self, vals):
        self.check_access("write")  # access rights first, then the SOP rules
        if not self.env.su and REVOCATION_FIELDS & set(vals):
            raise UserError(
                self.env._("Revoke a delegation with its Revoke button (SOP D2).")
            )
        frozen = {"delegate_id", "manager_id", "company_id", "date_from"} & set(vals)
        if frozen and not self.env.su:
            used = (
                self.env["fs.dispatch.order"]
                .sudo()
                .search_count([("delegation_id", "in", self.ids)], limit=1)
            )
            if used:
                raise UserError(
                    self.env._(
                        "This delegation was used to issue dispatch orders and is "
                        "their record (SOP D2): revoke it or shorten it, and create "
                        "a new one for other people or dates."
                    )
                )
        if self.filtered("revoked") and not self.env.su:
            raise UserError(
                self.env._(
                    "A revoked delegation is kept as history and cannot be "
                    "changed: create a new one."
                )
            )
        res = super().write(vals)
        self._check_manager_rights()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Delegations are kept as history (SOP D2): revoke it instead of "
                "deleting it."
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_revoke(self, reason=None):
        """Revoke now; only the delegating manager or a Service Director may."""
        self._check_manager_rights()
        for delegation in self.filtered(lambda d: not d.revoked):
            delegation.sudo().write(
                {
                    "revoked": True,
                    "revoked_at": fields.Datetime.now(),
                    "revoked_by_id": self.env.user.id,
                    "revoke_reason": reason or False,
                }
            )
        return True

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _check_manager_rights(self):
        """Managers act on their own delegations; directors on all of them."""
        if self.env.su or self.env.user.has_group(
            "field_service_sop.group_fs_director"
        ):
            return
        foreign = self.filtered(lambda d: d.manager_id != self.env.user)
        if foreign:
            raise UserError(
                self.env._(
                    "Only %(manager)s or a Service Director may change the "
                    "delegation to %(delegate)s.",
                    manager=foreign[0].manager_id.name,
                    delegate=foreign[0].delegate_id.name,
                )
            )

    @api.model
    def _find_valid(self, user, company, on_date=None):
        """The delegation that lets ``user`` issue in ``company`` on ``on_date``."""
        on_date = on_date or fields.Date.context_today(self)
        return (
            self.sudo()
            .search(
                [
                    ("delegate_id", "=", user.id),
                    ("company_id", "=", company.id),
                    ("revoked", "=", False),
                    ("date_from", "<=", on_date),
                    ("date_to", ">=", on_date),
                ],
                limit=1,
            )
            .sudo(False)
        )
