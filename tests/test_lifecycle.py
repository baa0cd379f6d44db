# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Install, upgrade and uninstall field_service_sop like an administrator would."""

from .conftest import ADMIN, MODULE

SOP_SERVICE_TYPES = {
    "fault",
    "health_check",
    "installation",
    "commissioning",
    "maintenance",
    "training",
    "other",
}


def _module_state(admin):
    rows = admin(
        "ir.module.module", "search_read", [("name", "=", MODULE)], fields=["state"]
    )
    return rows[0]["state"]


def test_install_without_demo_upgrade_twice_and_uninstall(odoo, fresh_db):
    odoo.run(fresh_db, "-i", MODULE, "--without-demo=all")
    # `-u` twice: data files must reload without duplicates or errors, and
    # noupdate records (SOP service types a company edited) must survive.
    odoo.run(fresh_db, "-u", MODULE)
    odoo.run(fresh_db, "-u", MODULE)

    with odoo.server(fresh_db) as rpc:
        admin = rpc.as_user(*ADMIN)
        assert _module_state(admin) == "installed"
        assert not admin("res.users", "search", [("login", "=", "fs_engineer")]), (
            "demo users were installed on a database without demo data"
        )
        codes = {
            row["code"]
            for row in admin("fs.service.type", "search_read", [], fields=["code"])
        }
        assert codes == SOP_SERVICE_TYPES
        assert admin.xmlid(f"{MODULE}.fs_menu_root")
        # Settings carry the SOP defaults (SOP S8, D13).
        company = admin(
            "res.company",
            "read",
            [1],
            fields=["fs_report_entry_hours", "fs_late_threshold_minutes"],
        )[0]
        assert company["fs_report_entry_hours"] == 48
        assert company["fs_late_threshold_minutes"] == 15

        admin(
            "ir.module.module",
            "button_immediate_uninstall",
            admin("ir.module.module", "search", [("name", "=", MODULE)]),
        )
        assert _module_state(admin) == "uninstalled"
        leftovers = {
            "models": admin("ir.model", "search", [("model", "=like", "fs.%")]),
            "company fields": admin(
                "ir.model.fields",
                "search",
                [("model", "=", "res.company"), ("name", "=like", "fs\\_%")],
            ),
            "menus": admin(
                "ir.ui.menu", "search", [("name", "=", "Field Service SOP")]
            ),
            "crons": admin("ir.cron", "search", [("model_id.model", "=like", "fs.%")]),
            "groups": admin(
                "res.groups",
                "search",
                [("category_id.name", "=like", "Field Service SOP%")],
            ),
            "views": admin(
                "ir.ui.view", "search", [("name", "=like", "%field_service_sop%")]
            ),
            "reports": admin(
                "ir.actions.report", "search", [("report_name", "=like", f"{MODULE}.%")]
            ),
            "xml ids": admin("ir.model.data", "search", [("module", "=", MODULE)]),
        }
        assert leftovers == {key: [] for key in leftovers}
        # Odoo itself keeps working after the uninstall.
        status, body = rpc.get("/web/login")
        assert status == 200 and "password" in body


def test_installed_with_demo_one_login_per_role(odoo, demo_db):
    """`make run` promises one demo login per role; each logs in with its role."""
    roles = {
        "fs_engineer": "group_fs_engineer",
        "fs_dispatcher": "group_fs_dispatcher",
        "fs_manager": "group_fs_manager",
        "fs_director": "group_fs_director",
        "fs_product_owner": "group_fs_product_owner",
        "fs_test_manager": "group_fs_test_manager",
        "fs_rd_manager": "group_fs_rd_manager",
    }
    with odoo.server(demo_db) as rpc:
        admin = rpc.as_user(*ADMIN)
        assert _module_state(admin) == "installed"
        status, body = rpc.get("/web/login")
        assert status == 200 and "password" in body
        for login, group in roles.items():
            user = rpc.as_user(login, login)
            group_id = admin.xmlid(f"{MODULE}.{group}")
            groups = user("res.users", "read", [user.uid], fields=["groups_id"])[0]
            assert group_id in groups["groups_id"], f"{login} lacks {group}"
        # The chain: the engineer is not a dispatcher, the director is everything.
        engineer = admin("res.users", "search", [("login", "=", "fs_engineer")])
        director_groups = admin(
            "res.users",
            "read",
            admin("res.users", "search", [("login", "=", "fs_director")]),
            fields=["groups_id"],
        )[0]["groups_id"]
        for group in ("group_fs_engineer", "group_fs_dispatcher", "group_fs_manager"):
            assert admin.xmlid(f"{MODULE}.{group}") in director_groups
        dispatcher_group = admin.xmlid(f"{MODULE}.group_fs_dispatcher")
        assert not admin(
            "res.users",
            "search",
            [("id", "in", engineer), ("groups_id", "in", dispatcher_group)],
        )
