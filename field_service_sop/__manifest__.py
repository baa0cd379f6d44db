# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Field Service SOP",
    "summary": "Enforce the field-service SOP: dispatch orders, signed service "
    "reports, reimbursement gating and SLA escalation",
    "version": "18.0.1.0.0",
    "category": "Services/Field Service",
    "license": "AGPL-3",
    "author": "field_service_sop authors",
    "website": "https://github.com/field-service-sop/field_service_sop",
    "development_status": "Alpha",
    "maintainers": ["field-service-sop"],
    "depends": [
        "base_setup",
        "mail",
        "portal",
        "hr",
        "hr_expense",
        "helpdesk_mgmt",
    ],
    "data": [
        "security/groups.xml",
        "security/ir.model.access.csv",
        "security/ir_rules.xml",
        "data/fs_service_type_data.xml",
        "data/ir_sequence_data.xml",
        "report/fs_sop_standards_report.xml",
        "views/fs_service_type_views.xml",
        "views/fs_dispatch_delegation_views.xml",
        "views/fs_dispatch_order_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/fs_dispatch_order_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "field_service_sop/static/tests/tours/*.esm.js",
        ],
    },
    "application": True,
    "installable": True,
}
