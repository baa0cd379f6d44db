# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

ROLE_GROUPS = {
    "engineer": "field_service_sop.group_fs_engineer",
    "dispatcher": "field_service_sop.group_fs_dispatcher",
    "manager": "field_service_sop.group_fs_manager",
    "director": "field_service_sop.group_fs_director",
    "product_owner": "field_service_sop.group_fs_product_owner",
    "test_manager": "field_service_sop.group_fs_test_manager",
    "rd_manager": "field_service_sop.group_fs_rd_manager",
}


class FsSopCommon(TransactionCase):
    """One user per SOP role in a company of its own, plus a second company.

    Never depends on demo data (STYLE.md, tests).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env["res.company"].create({"name": "FS Test Co"})
        cls.company_b = cls.env["res.company"].create({"name": "FS Other Co"})
        cls.users = {}
        for role, group in ROLE_GROUPS.items():
            cls.users[role] = new_test_user(
                cls.env,
                login=f"fs_unit_{role}",
                groups=f"base.group_user,{group}",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
        cls.plain_user = new_test_user(
            cls.env,
            login="fs_unit_plain",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
