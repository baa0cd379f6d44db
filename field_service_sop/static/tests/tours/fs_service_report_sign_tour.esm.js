/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {assertDrawOnly, drawSignature} from "./fs_draw_signature.esm";
import {registry} from "@web/core/registry";

/* The customer rates and signs the service report on the engineer's device
 * (SOP S2, S5, S12). The Python side checks the seal in the database. */
registry.category("web_tour.tours").add("fs_service_report_sign_tour", {
    steps: () => [
        {
            content: "Open the acceptance page",
            trigger: ".o_notebook .nav-link:contains('Acceptance')",
            run: "click",
        },
        ...["rating_attitude", "rating_response", "rating_effect"].map((name) => ({
            content: `Rate ${name} 5 of 5`,
            trigger: `.o_field_widget[name='${name}'] .o_radio_input[data-value='5']`,
            run: "click",
        })),
        {
            content: "Overall 9 of 10",
            trigger: ".o_field_widget[name='rating_overall'] select",
            run() {
                const option = [...this.anchor.options].find(
                    (opt) => opt.textContent.trim() === "9"
                );
                this.anchor.value = option.value;
                this.anchor.dispatchEvent(new Event("change"));
            },
        },
        {
            content: "The customer's contact signs (SOP S5)",
            trigger: ".o_field_widget[name='signer_id'] input",
            run: "edit Tour Signer",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Signer')",
            run: "click",
        },
        {
            content: "Open the signature pad",
            trigger: ".o_field_widget[name='signature'] .o_signature_empty",
            run: "click",
        },
        {
            content: "The pad offers drawing only (SOP S5)",
            trigger: ".modal .o_web_sign_signature_group:has(.o_fs_sign_draw_hint)",
            run() {
                assertDrawOnly(this.anchor);
            },
        },
        {
            content: "Nothing to adopt before a signature is drawn",
            trigger: ".modal-footer button.btn-primary:disabled:contains('Adopt')",
        },
        {
            content: "The customer draws the signature",
            trigger: ".modal canvas.o_web_sign_signature",
            async run() {
                await drawSignature(this.anchor);
            },
        },
        {
            content: "Adopt the signature",
            trigger: ".modal-footer button.btn-primary:enabled:contains('Adopt')",
            run: "click",
        },
        {
            content: "The signature is on the report",
            trigger: ".o_field_widget[name='signature'] img.o_signature",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The customer signs: the report is sealed (SOP S12)",
            trigger: ".o_form_saved button[name='action_sign']",
            run: "click",
        },
        {
            content: "Signed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Signed')",
        },
    ],
});
