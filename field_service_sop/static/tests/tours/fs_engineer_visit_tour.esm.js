/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {drawSignature} from "./fs_draw_signature.esm";
import {registry} from "@web/core/registry";

/* The engineer's whole visit on a phone, in Chinese (SOP D7, D10, D12, S2,
 * S5, S7, S12): from the app to the customer's signature, tapping only what
 * the engineer and the customer tap. Every user action is a step whose run is
 * "click", "edit" or "select", or the drawing of the signature: the Python
 * test counts them in this file and keeps the count (at most 25). The other
 * steps only check what the person sees. */

// Touch targets of at least 44 px (WCAG 2.5.5).
const TOUCH = 44;

function assertTouchTarget(element, what) {
    const {width, height} = element.getBoundingClientRect();
    if (width < TOUCH || height < TOUCH) {
        throw new Error(
            `${what} is ${Math.round(width)} x ${Math.round(height)} px: a finger needs ${TOUCH} x ${TOUCH}.`
        );
    }
}

const statusButton = (name) => `.o_form_statusbar button.btn-primary[name='${name}']`;

registry.category("web_tour.tours").add("fs_engineer_visit_tour", {
    steps: () => [
        {
            content: "The new job is waiting among the engineer's activities (D7)",
            trigger: ".o_menu_systray .o-mail-ActivityMenu-counter",
        },
        {
            content: "Open the apps menu",
            trigger: ".o_main_navbar .o_menu_toggle",
            run: "click",
        },
        {
            content: "All apps",
            trigger: ".o_app_menu_sidebar .o_sidebar_topbar a.btn-primary",
            run: "click",
        },
        {
            content: "Open the field service app",
            trigger:
                ".o_app_menu_sidebar li.o_app[data-menu-xmlid='field_service_sop.fs_menu_root']",
            run: "click",
        },
        {
            content: "It opens on My Jobs, not on an empty draft column",
            trigger: ".o_breadcrumb:contains('我的工单')",
        },
        {
            content: "Open the new job, marked for today though not yet scheduled",
            trigger: ".o_kanban_record:contains('旅途银行'):contains('今日工单')",
            run: "click",
        },
        {
            content: "The next step is in sight on the phone, finger-sized",
            trigger: `${statusButton("action_fs_contacted_now")}:contains('已联系客户')`,
            run() {
                assertTouchTarget(this.anchor, "The next-step button");
            },
        },
        {
            content: "The engineer called the customer (D10)",
            trigger: statusButton("action_fs_contacted_now"),
            run: "click",
        },
        {
            content: "Accept the order",
            trigger: `${statusButton("action_accept")}:contains('接单')`,
            run: "click",
        },
        {
            content: "What to pack is in sight (D12)",
            trigger: "div[name='checklist_open_alert']:contains('出发前请检查')",
        },
        {
            content: "Everything is packed",
            trigger: `${statusButton("action_fs_checklist_all_done")}:contains('全部已备齐')`,
            run: "click",
        },
        {
            content: "Depart",
            trigger: `${statusButton("action_depart")}:contains('出发')`,
            run: "click",
        },
        {
            content: "Arrive on site",
            trigger: `${statusButton("action_arrive")}:contains('到达现场')`,
            run: "click",
        },
        {
            content: "Write the service report",
            trigger: `${statusButton("action_create_service_report")}:contains('创建服务报告单')`,
            run: "click",
        },
        {
            content: "What was done (S7)",
            trigger: ".o_field_widget[name='work_done'] textarea",
            run: "edit 检查了磁盘和日志",
        },
        {
            content: "Fully solved",
            trigger: ".o_field_widget[name='result'] select",
            run: 'select "solved"',
        },
        {
            content: "Hand the phone to the customer",
            trigger: `${statusButton("action_to_sign")}:contains('提交签字')`,
            run: "click",
        },
        {
            content: "The report waits for the customer's signature",
            trigger: `${statusButton("action_sign")}:contains('客户签字')`,
        },
        {
            content: "The customer opens the acceptance",
            trigger: ".o_notebook .nav-link[name='acceptance']",
            run: "click",
        },
        {
            content: "The customer's contact is proposed as the signer (S5)",
            trigger: ".o_field_widget[name='signer_id'] input",
            run() {
                if (!this.anchor.value.includes("Ms Tour")) {
                    throw new Error(`Signer proposed: "${this.anchor.value}"`);
                }
            },
        },
        {
            content: "The rating marks are finger-sized",
            trigger:
                ".o_fs_ratings .o_field_widget[name='rating_attitude'] .o_radio_item",
            run() {
                for (const item of document.querySelectorAll(
                    ".o_fs_ratings .o_radio_item"
                )) {
                    assertTouchTarget(item, "A rating mark");
                }
            },
        },
        {
            content: "Attitude 5 of 5",
            trigger:
                ".o_field_widget[name='rating_attitude'] .o_radio_input[data-value='5']",
            run: "click",
        },
        {
            content: "Response time 5 of 5",
            trigger:
                ".o_field_widget[name='rating_response'] .o_radio_input[data-value='5']",
            run: "click",
        },
        {
            content: "Effect 4 of 5",
            trigger:
                ".o_field_widget[name='rating_effect'] .o_radio_input[data-value='4']",
            run: "click",
        },
        {
            content: "Overall 9 of 10",
            trigger: ".o_field_widget[name='rating_overall'] select",
            run: 'select "9"',
        },
        {
            content: "Open the signature pad",
            trigger: ".o_field_widget[name='signature'] .o_signature_empty",
            run: "click",
        },
        {
            content: "The pad fills the phone's width, finger-high",
            trigger: ".modal canvas.o_web_sign_signature",
            run() {
                const {width, height} = this.anchor.getBoundingClientRect();
                if (width < window.innerWidth - 50 || height < 180) {
                    throw new Error(
                        `Signature pad ${Math.round(width)} x ${Math.round(height)} px on a ${window.innerWidth} px screen.`
                    );
                }
            },
        },
        {
            content: "The customer draws the signature with a finger (S5)",
            trigger: ".modal canvas.o_web_sign_signature",
            async run() {
                await drawSignature(this.anchor);
            },
        },
        {
            content: "Adopt the signature",
            trigger: ".modal-footer button.btn-primary:enabled",
            run: "click",
        },
        {
            content: "The signature is on the report",
            trigger: ".o_field_widget[name='signature'] img.o_signature",
        },
        {
            content: "The customer signs",
            trigger: `${statusButton("action_sign")}:contains('客户签字')`,
            run: "click",
        },
        {
            content: "Signed and sealed (S12)",
            trigger: ".o_form_sheet .ribbon:contains('已签字')",
        },
    ],
});
