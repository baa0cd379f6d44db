# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import ROLE_GROUPS, FsSopCommon

CHAIN = ["engineer", "dispatcher", "manager", "director"]


@tagged("post_install", "-at_install")
class TestSopRoles(FsSopCommon):
    def test_role_chain_is_cumulative(self):
        """Engineer -> Dispatcher -> Engineering Manager -> Service Director."""
        for position, role in enumerate(CHAIN):
            user = self.users[role]
            for other_position, other in enumerate(CHAIN):
                self.assertEqual(
                    user.has_group(ROLE_GROUPS[other]),
                    other_position <= position,
                    f"{role} / {other}",
                )

    @users("fs_unit_product_owner", "fs_unit_test_manager", "fs_unit_rd_manager")
    def test_functional_approvers_are_outside_the_chain(self):
        """Product Owner, Test Manager, R&D Manager approve by function (D6)."""
        user = self.env.user
        self.assertTrue(user.has_group(ROLE_GROUPS["engineer"]), user.login)
        self.assertFalse(user.has_group(ROLE_GROUPS["dispatcher"]), user.login)
        self.assertFalse(user.has_group(ROLE_GROUPS["manager"]), user.login)
        self.assertFalse(self.users["director"].has_group(ROLE_GROUPS["product_owner"]))

    def test_admin_is_service_director(self):
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(ROLE_GROUPS["director"])
        )


@tagged("post_install", "-at_install")
class TestServiceTypeAccess(FsSopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Type = cls.env["fs.service.type"]
        cls.type_a = Type.create(
            {"name": "Data Recovery", "code": "recovery", "company_id": cls.company.id}
        )
        cls.type_b = Type.create(
            {"name": "Rack Audit", "code": "rack", "company_id": cls.company_b.id}
        )
        cls.fault = cls.env.ref("field_service_sop.fs_service_type_fault")

    def test_sop_service_types_are_installed(self):
        """SOP S7 lists seven service types; fault repair needs consent (S6)."""
        codes = set(
            self.env["fs.service.type"]
            .search([("company_id", "=", False)])
            .mapped("code")
        )
        self.assertLessEqual(
            {
                "fault",
                "health_check",
                "installation",
                "commissioning",
                "maintenance",
                "training",
                "other",
            },
            codes,
        )
        self.assertTrue(self.fault.touches_customer_systems)

    def test_engineer_reads_but_cannot_change(self):
        Type = self.env["fs.service.type"].with_user(self.users["engineer"])
        self.assertIn(self.type_a, Type.search([]))
        with self.assertRaises(AccessError):
            Type.create({"name": "Mine", "code": "mine"})
        with self.assertRaises(AccessError):
            self.type_a.with_user(self.users["engineer"]).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.type_a.with_user(self.users["dispatcher"]).unlink()

    @users("fs_unit_manager")
    def test_manager_maintains_types(self):
        Type = self.env["fs.service.type"]
        new = Type.create({"name": "Network Survey", "code": "survey"})
        new.write({"touches_customer_systems": True})
        self.assertTrue(new.touches_customer_systems)
        new.unlink()
        self.assertFalse(new.exists())

    @users("fs_unit_plain")
    def test_plain_employee_has_no_access(self):
        with self.assertRaises(AccessError):
            self.env["fs.service.type"].search([])

    @users("fs_unit_manager")
    def test_multi_company_rule(self):
        """A user sees shared types and those of their companies only."""
        visible = self.env["fs.service.type"].search([])
        self.assertIn(self.type_a, visible)
        self.assertIn(self.fault, visible)
        self.assertNotIn(self.type_b, visible)
        with self.assertRaises(AccessError):
            self.type_b.with_env(self.env).write({"name": "Taken"})

    def test_code_unique_per_company(self):
        from psycopg2 import IntegrityError

        from odoo.tools import mute_logger

        self.env["fs.service.type"].create(
            {
                "name": "Same code elsewhere",
                "code": "recovery",
                "company_id": self.company_b.id,
            }
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self.env["fs.service.type"].create(
                    {
                        "name": "Duplicate",
                        "code": "recovery",
                        "company_id": self.company.id,
                    }
                )
