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
