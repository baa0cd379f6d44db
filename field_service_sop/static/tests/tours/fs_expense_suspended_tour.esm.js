/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

/* The engineering manager opens the suspended reimbursements from the Field
 * Service SOP app (SOP R1), groups them by reason, opens the suspended travel
 * expense and reads why it waits, on the row and on the expense itself. */
registry.category("web_tour.tours").add("fs_expense_suspended_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Field Service SOP app",
            trigger: ".o_app[data-menu-xmlid='field_service_sop.fs_menu_root']",
            run: "click",
        },
        {
            content: "Wait for the app to open",
            trigger: ".o_main_navbar .o_menu_brand:contains('Field Service SOP')",
        },
        {
            content: "Open Suspended Reimbursements (SOP R1)",
            trigger:
                ".o_main_navbar [data-menu-xmlid='field_service_sop.fs_expense_suspension_menu']",
            run: "click",
        },
        {
            content: "The suspended reimbursements are listed",
            trigger: ".o_list_view .o_data_row:contains('Tour taxi')",
        },
        {
            content: "Open the search options",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Group by reason",
            trigger: ".o_group_by_menu .o_menu_item:contains('Reason')",
            run: "click",
        },
        {
            content: "Close the search options",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Open the reason group: no dispatch order cited",
            trigger: ".o_group_header:contains('No dispatch order cited')",
            run: "click",
        },
        {
            content: "Open the suspended taxi",
            trigger: ".o_data_row:contains('Tour taxi') td.o_data_cell:first",
            run: "click",
        },
        {
            content: "The row says why the reimbursement waits (SOP R1)",
            trigger:
                ".o_form_view .o_field_widget[name='reason']:contains('No dispatch order cited')",
        },
        {
            content: "Open the expense itself",
            trigger: ".o_form_view .o_field_widget[name='expense_id'] a",
            run: "click",
        },
        {
            content: "The expense shows the suspension and its reason",
            trigger:
                ".o_form_view div[name='fs_suspended_alert']:contains('No dispatch order cited')",
        },
    ],
});
