/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

/* The dispatcher's day, in Chinese (issue 12): from the Helpdesk app she opens
 * a request of her team, creates the dispatch order from it (SOP D4), writes
 * the service content and names the engineers (D3), and issues it under her
 * manager's delegation (D2). She sees the order's number and its state
 * 已签发. The Python side prepares the ticket and checks the order. */
const TICKET = "浦东支行 3 号 ATM 拒钞";
const ENGINEER = "钱工 Tour Engineer";

function statusIs(label) {
    return {
        content: `The order is ${label}`,
        trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current:contains('${label}')`,
    };
}

function pickEngineer(field) {
    return [
        {
            content: `Choose the engineer (${field})`,
            trigger: `.o_form_view .o_field_widget[name='${field}'] input`,
            run: `edit ${ENGINEER}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item a:contains('${ENGINEER}')`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("fs_dispatcher_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Helpdesk app",
            trigger:
                ".o_app[data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_main_menu']",
            run: "click",
        },
        {
            content: "Open the tickets menu",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_menu']",
            run: "click",
        },
        {
            content: "Open all tickets of her teams",
            trigger:
                ".dropdown-item[data-menu-xmlid='helpdesk_mgmt.helpdesk_all_ticket_menu']",
            run: "click",
        },
        {
            content: "Open the bank's request",
            trigger: `.o_list_view .o_data_row td.o_data_cell:contains('${TICKET}')`,
            run: "click",
        },
        {
            content: "Create the dispatch order from the ticket (SOP D4)",
            trigger:
                ".o_form_view button[name='action_create_dispatch_order']:contains('创建派工单')",
            run: "click",
        },
        statusIs("草稿"),
        {
            content: "The order cites the ticket and takes its subject as purpose",
            trigger: `.o_form_view .o_field_widget[name='ticket_id'] input:value(${TICKET})`,
        },
        {
            trigger: `.o_form_view .o_field_widget[name='purpose'] textarea:value(${TICKET})`,
        },
        {
            content: "The customer comes from the ticket",
            trigger:
                ".o_form_view .o_field_widget[name='partner_id'] input:value(上海浦东测试银行)",
        },
        {
            content: "Write the service content (SOP D3)",
            trigger: ".o_form_view .o_field_widget[name='content'] textarea",
            run: "edit 更换 3 号 ATM 的出钞模块，并做银行验收测试",
        },
        ...pickEngineer("engineer_ids"),
        {
            content: "The engineer is on the order (the lead is chosen among them)",
            trigger: `.o_form_view .o_field_widget[name='engineer_ids'] .o_tag:contains('${ENGINEER}')`,
        },
        ...pickEngineer("lead_engineer_id"),
        {
            content: "The lead engineer is set",
            trigger: `.o_form_view .o_field_widget[name='lead_engineer_id'] input:value(${ENGINEER})`,
        },
        {
            content: "Save the draft",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Issue it under the manager's delegation (SOP D2)",
            trigger:
                ".o_form_view .o_form_saved button[name='action_issue']:contains('签发')",
            run: "click",
        },
        statusIs("已签发"),
        {
            content: "The order's number shows in the title and the breadcrumb",
            trigger:
                ".o_form_view .oe_title .o_field_widget[name='name']:contains('PG')",
            run() {
                const number = this.anchor.textContent.trim();
                if (!/^PG\d{4}-\d{5}$/.test(number)) {
                    throw new Error(`Unexpected order number: ${number}`);
                }
                const crumb = document.querySelector(
                    ".o_breadcrumb .active, .o_breadcrumb .o_last_breadcrumb_item"
                );
                if (!crumb || !crumb.textContent.includes(number)) {
                    throw new Error(
                        `The breadcrumb does not show ${number}: ${crumb && crumb.textContent}`
                    );
                }
            },
        },
        {
            content: "Nothing left to issue",
            trigger: ".o_form_view:not(:has(button[name='action_issue']:visible))",
        },
    ],
});
