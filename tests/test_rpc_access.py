# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Access rules hold over the external API, not only in the web client."""

import pytest

from .conftest import RpcError


def test_rights_over_json_rpc(odoo, demo_db):
    with odoo.server(demo_db) as rpc:
        engineer = rpc.as_user("fs_engineer", "fs_engineer")
        manager = rpc.as_user("fs_manager", "fs_manager")
        director = rpc.as_user("fs_director", "fs_director")

        # Everyone in the SOP reads the service types (SOP S7) ...
        assert (
            engineer("fs.service.type", "search_count", [("code", "=", "fault")]) == 1
        )
        # ... only managers change them.
        with pytest.raises(RpcError) as denied:
            engineer("fs.service.type", "create", {"name": "Mine", "code": "mine"})
        assert denied.value.name == "odoo.exceptions.AccessError"
        new_id = manager(
            "fs.service.type", "create", {"name": "Site Survey", "code": "survey"}
        )
        manager("fs.service.type", "unlink", [new_id])

        # SOP numbers are company settings: no SOP role writes them over RPC.
        for user in (engineer, manager, director):
            with pytest.raises(RpcError) as denied:
                user("res.company", "write", [1], {"fs_report_entry_hours": 1})
            assert denied.value.name == "odoo.exceptions.AccessError"
        # A bad value is refused with the setting's name, even for the admin.
        admin = rpc.as_user("admin", "admin")
        with pytest.raises(RpcError) as refused:
            admin("res.company", "write", [1], {"fs_report_entry_hours": 0})
        assert refused.value.name == "odoo.exceptions.ValidationError"
        assert "Report Entry Deadline" in refused.value.message
        company = admin("res.company", "read", [1], fields=["fs_report_entry_hours"])[0]
        assert company["fs_report_entry_hours"] == 48


def test_employee_cannot_unlock_gated_expense_over_json_rpc(odoo, demo_db):
    """Issue 10.1 (SOP R1): the flag that gates a travel expense is derived from
    its product; the employee writing it over JSON-RPC is refused, the expense
    stays suspended, and no journal entry is booked for it."""
    with odoo.server(demo_db) as rpc:
        engineer = rpc.as_user("fs_engineer", "fs_engineer")
        admin = rpc.as_user("admin", "admin")
        expense_id = admin.xmlid("field_service_sop.fs_expense_no_order_demo")
        assert expense_id
        before = admin(
            "hr.expense",
            "read",
            [expense_id],
            fields=["fs_requires_dispatch_order", "fs_suspended"],
        )[0]
        assert before["fs_requires_dispatch_order"] and before["fs_suspended"]
        for vals in (
            {"fs_requires_dispatch_order": False},
            {"fs_suspended": False},
            {"fs_requires_dispatch_order": False, "name": "Trip (edited)"},
        ):
            with pytest.raises(RpcError) as denied:
                engineer("hr.expense", "write", [expense_id], vals)
            assert denied.value.name == "odoo.exceptions.AccessError"
        after = admin(
            "hr.expense",
            "read",
            [expense_id],
            fields=["fs_requires_dispatch_order", "fs_suspended", "name"],
        )[0]
        assert after["fs_requires_dispatch_order"] and after["fs_suspended"]
        # Nothing half-written: the name in the refused call was not kept.
        assert after["name"] != "Trip (edited)"
        # Even the administrator (not the superuser) cannot rewrite it.
        with pytest.raises(RpcError) as denied:
            admin(
                "hr.expense",
                "write",
                [expense_id],
                {"fs_requires_dispatch_order": False},
            )
        assert denied.value.name == "odoo.exceptions.AccessError"
        assert (
            admin(
                "account.move",
                "search_count",
                [("expense_sheet_id.expense_line_ids", "in", [expense_id])],
            )
            == 0
        )


def test_dispatcher_cannot_rewrite_order_facts_over_json_rpc(odoo, demo_db):
    """Issue 10.2 (SOP D1, D5, D12, D13): derived facts and the number of a
    dispatch order are not writable over RPC, by the dispatcher or the director."""
    with odoo.server(demo_db) as rpc:
        admin = rpc.as_user("admin", "admin")
        order_id = admin("fs.dispatch.order", "search", [("state", "!=", "draft")])[0]
        fields_ = ["name", "verbal_pending", "is_late", "late_minutes"]
        before = admin("fs.dispatch.order", "read", [order_id], fields=fields_)[0]
        for login in ("fs_dispatcher", "fs_director"):
            user = rpc.as_user(login, login)
            for vals in (
                {"verbal_pending": not before["verbal_pending"]},
                {"is_late": not before["is_late"]},
                {"late_minutes": 999},
                {"planned_departure_at": "2026-01-01 08:00:00"},
                {"name": "PG1999-00042"},
            ):
                with pytest.raises(RpcError) as denied:
                    user("fs.dispatch.order", "write", [order_id], vals)
                assert denied.value.name == "odoo.exceptions.AccessError", vals
            with pytest.raises(RpcError) as denied:
                user("fs.dispatch.order", "create", {"name": "PG1999-00042"})
            assert denied.value.name == "odoo.exceptions.AccessError"
        after = admin("fs.dispatch.order", "read", [order_id], fields=fields_)[0]
        assert after == before
        assert not admin("fs.dispatch.order", "search", [("name", "=", "PG1999-00042")])
