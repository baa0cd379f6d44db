/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

/* The engineering manager's decisions, in Chinese (issue 12): he opens the
 * escalations waiting for him (SOP E4), takes charge of a breached ticket
 * clock with an action plan, then approves the travel expense report of an
 * engineer whose trip the signed report released (R1, R2). The Python side
 * prepares the escalation and the submitted report and checks both. */
const POLICY = "远程支持 Tour";
const PLAN = "今天 16:00 前由钱工远程恢复录像";
const SHEET = "浦东支行巡检差旅";

function openApp(xmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: `Open the app ${xmlid}`,
            trigger: `.o_app[data-menu-xmlid='${xmlid}']`,
            run: "click",
        },
    ];
}

function statusIs(label) {
    return {
        content: `The document is ${label}`,
        trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current:contains('${label}')`,
    };
}

registry.category("web_tour.tours").add("fs_manager_tour", {
    url: "/odoo",
    steps: () => [
        // SOP E4: decide the escalation.
        ...openApp("field_service_sop.fs_menu_root"),
        {
            content: "Open the SLA menu",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='field_service_sop.fs_sla_menu']",
            run: "click",
        },
        {
            content: "Open the escalations",
            trigger:
                ".dropdown-item[data-menu-xmlid='field_service_sop.fs_escalation_menu']",
            run: "click",
        },
        {
            content: "His open escalation is listed",
            trigger: `.o_list_view .o_data_row:contains('${POLICY}') td.o_data_cell[name='policy_id']`,
            run: "click",
        },
        statusIs("进行中"),
        {
            content: "Take charge of it (SOP E4)",
            trigger: ".o_form_view button[name='action_open_decide']:contains('确认')",
            run: "click",
        },
        {
            content: "The decision dialog opens on 'acknowledge'",
            trigger:
                ".modal .o_field_widget[name='decision'] input[data-value='acknowledge']:checked",
        },
        {
            content: "Write the action plan",
            trigger: ".modal .o_field_widget[name='action_plan'] textarea",
            run: `edit ${PLAN}`,
        },
        {
            content: "Decide",
            trigger:
                ".modal .modal-footer button[name='action_confirm']:contains('决定')",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
        statusIs("已确认"),
        {
            content: "The decision and its plan show on the escalation",
            trigger: `.o_form_view .o_field_widget[name='action_plan']:contains('${PLAN}')`,
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name='decided_by_id']:contains('刘洋')",
        },
        {
            content: "No decision left to take but reassign, extend or escalate",
            trigger:
                ".o_form_view:not(:has(button[name='action_open_decide']:contains('确认')))",
        },
        // SOP R1, R2: approve the released travel.
        ...openApp("hr_expense.menu_hr_expense_root"),
        {
            content: "Open the expense reports",
            trigger:
                ".o_main_navbar [data-menu-xmlid='hr_expense.menu_hr_expense_report']",
            run: "click",
        },
        {
            content: "Open the engineer's report",
            trigger: `.o_list_view .o_data_row td.o_data_cell:contains('${SHEET}')`,
            run: "click",
        },
        statusIs("发送"),
        {
            content: "The travel line cites its dispatch order",
            trigger:
                ".o_form_view .o_field_widget[name='expense_line_ids'] .o_data_row:contains('出租车 浦东支行') td[name='fs_dispatch_order_id']:contains('PG')",
        },
        {
            content: "The line is not held back (SOP R1)",
            trigger:
                ".o_form_view:not(:has(div[name='fs_suspended_alert']:visible)):not(:has(.o_data_row.text-warning))",
        },
        {
            content: "Approve the report",
            trigger:
                ".o_form_view button[name='action_approve_expense_sheets']:contains('批准')",
            run: "click",
        },
        statusIs("已批准"),
    ],
});
