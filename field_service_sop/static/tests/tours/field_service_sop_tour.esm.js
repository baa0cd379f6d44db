/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

/* Opens the app from the home menu on the dispatch orders, checks the SOP
 * service types (S7), then
 * changes one SOP deadline (S8, report entry) in Settings and saves it. The
 * Python side asserts the saved value. */
registry.category("web_tour.tours").add("field_service_sop_menu_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Field Service SOP app",
            trigger: ".o_app[data-menu-xmlid='field_service_sop.fs_menu_root']",
            run: "click",
        },
        {
            content: "The app opens on the dispatch orders, by state (SOP D1)",
            trigger: ".o_kanban_view .o_column_title:contains('Draft')",
        },
        {
            content: "Open the Configuration menu",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='field_service_sop.fs_menu_configuration']",
            run: "click",
        },
        {
            content: "Open the service types",
            trigger:
                ".dropdown-item[data-menu-xmlid='field_service_sop.fs_service_type_menu']",
            run: "click",
        },
        {
            content: "The SOP service types are there (SOP S7)",
            trigger: ".o_list_view .o_data_row:contains('Fault Repair')",
        },
        {
            content: "Open the Configuration menu again",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='field_service_sop.fs_menu_configuration']",
            run: "click",
        },
        {
            content: "Open the SOP settings",
            trigger:
                ".dropdown-item[data-menu-xmlid='field_service_sop.fs_menu_settings']",
            run: "click",
        },
        {
            content: "Set the report entry deadline (SOP S8) to 36 hours",
            trigger:
                ".app_settings_block[data-key='field_service_sop'] #fs_report_entry_hours_setting input",
            run: "edit 36",
        },
        {
            content: "Save the settings (the web client reloads the page)",
            trigger: ".o_form_button_save",
            run() {
                document.body.classList.add("o_fs_tour_before_save");
                this.anchor.click();
            },
        },
        {
            content: "After the reload the form shows the saved deadline",
            trigger:
                "body:not(.o_fs_tour_before_save) #fs_report_entry_hours_setting input:value(36)",
        },
    ],
});
