/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

/* From a helpdesk ticket to an engineer on site (SOP D4, D2, D3, D10, D12,
 * D13): create the dispatch order from the ticket, complete and issue it, log
 * the customer contact and accept, tick the departure checklist, depart and
 * arrive. The Python side checks the order in the database. */
function statusIs(label) {
    return {
        content: `The order is ${label}`,
        trigger: `.o_statusbar_status .o_arrow_button_current:contains('${label}')`,
    };
}

registry.category("web_tour.tours").add("fs_dispatch_order_tour", {
    steps: () => [
        {
            content: "Create the dispatch order from the ticket (SOP D4)",
            trigger: "button[name='action_create_dispatch_order']",
            run: "click",
        },
        {
            content: "The order takes the ticket's subject as its purpose",
            trigger:
                ".o_field_widget[name='purpose'] textarea:value(Tour: router down)",
        },
        {
            content: "Write the service content (SOP D3)",
            trigger: ".o_field_widget[name='content'] textarea",
            run: "edit Replace the router and restore the VPN",
        },
        {
            content: "Choose the engineer",
            trigger: ".o_field_widget[name='engineer_ids'] input",
            run: "edit Tour Engineer",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Engineer')",
            run: "click",
        },
        {
            content: "Make them the lead engineer",
            trigger: ".o_field_widget[name='lead_engineer_id'] input",
            run: "edit Tour Engineer",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Engineer')",
            run: "click",
        },
        {
            content: "Save the draft",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Issue it (SOP D2)",
            trigger: ".o_form_saved button[name='action_issue']",
            run: "click",
        },
        statusIs("Issued"),
        {
            content: "Open the engineer's log",
            trigger: '.o_notebook .nav-link:contains("Engineer\'s Log")',
            run: "click",
        },
        {
            content: "When the customer was called (SOP D10)",
            trigger: ".o_field_widget[name='contact_at'] input",
            run: "edit 11/23/2026 09:00:00",
        },
        {
            content: "The confirmed appointment",
            trigger: ".o_field_widget[name='appointment_at'] input",
            run: "edit 11/23/2026 14:00:00",
        },
        {
            content: "What the customer prepares",
            trigger: ".o_field_widget[name='customer_preparation'] textarea",
            run: "edit Rack key and admin password",
        },
        {
            content: "Save the log",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Accept the order (SOP D10)",
            trigger: ".o_form_saved button[name='action_accept']:visible",
            run: "click",
        },
        statusIs("Accepted"),
        {
            content: "Open the departure checklist (SOP D12)",
            trigger: ".o_notebook .nav-link:contains('Departure Checklist')",
            run: "click",
        },
        {
            content: "Tick every item",
            trigger: "div[name='checklist_line_ids'] .o_data_row",
            run() {
                for (const input of document.querySelectorAll(
                    "div[name='checklist_line_ids'] .o_field_boolean_toggle input:not(:checked)"
                )) {
                    input.click();
                }
            },
        },
        {
            content: "Every item is ticked",
            trigger:
                "div[name='checklist_line_ids']:not(:has(.o_field_boolean_toggle input:not(:checked)))",
        },
        {
            content: "Save the checklist",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Depart",
            trigger: ".o_form_saved button[name='action_depart']:visible",
            run: "click",
        },
        statusIs("Departed"),
        {
            content: "Arrive on site (SOP D13)",
            trigger: "button[name='action_arrive']:visible",
            run: "click",
        },
        statusIs("On Site"),
    ],
});
