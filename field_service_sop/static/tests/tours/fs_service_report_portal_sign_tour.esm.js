/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {assertDrawOnly, drawSignature} from "./fs_draw_signature.esm";
import {registry} from "@web/core/registry";

/* The customer opens the signing link on a phone, rates, draws the signature
 * and accepts (SOP S2, S5, S12). The Python side checks the seal. */
registry.category("web_tour.tours").add("fs_service_report_portal_sign_tour", {
    steps: () => [
        ...["rating_attitude", "rating_response", "rating_effect"].map((name) => ({
            content: `Rate ${name} 5 of 5`,
            trigger: `select[name='${name}']`,
            run: "select 5",
        })),
        {
            content: "Overall 9 of 10",
            trigger: "select[name='rating_overall']",
            run: "select 9",
        },
        {
            content: "A comment",
            trigger: "textarea[name='customer_comments']",
            run: "edit Quick and tidy",
        },
        {
            content: "Confirm the ratings",
            trigger: "button[type='submit']:contains('Confirm Ratings')",
            run: "click",
        },
        {
            content: "The pad appears, for drawing only (SOP S5)",
            trigger:
                ".o_fs_portal_sign .o_web_sign_signature_group:has(.o_fs_sign_draw_hint)",
            run() {
                assertDrawOnly(this.anchor);
            },
        },
        {
            content: "Nothing to accept before a signature is drawn",
            trigger: ".o_fs_portal_sign .o_portal_sign_submit:disabled",
        },
        {
            content: "The pad fills the phone's width",
            trigger: ".o_fs_portal_sign canvas.o_web_sign_signature",
            run() {
                const width = this.anchor.getBoundingClientRect().width;
                if (width < window.innerWidth * 0.85) {
                    throw new Error(
                        `The pad is ${width}px wide on a ${window.innerWidth}px screen.`
                    );
                }
            },
        },
        {
            content: "Draw the signature with a finger",
            trigger: ".o_fs_portal_sign canvas.o_web_sign_signature",
            async run() {
                await drawSignature(this.anchor);
            },
        },
        {
            content: "Accept and sign",
            trigger: ".o_fs_portal_sign .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "The report is signed",
            trigger: ".alert-success:contains('the report is signed')",
        },
        {
            content: "The acceptance shows the signer",
            trigger: ".o_fs_signer_name:contains('Ms Chen')",
        },
        {
            content: "The signed PDF is one tap away (the Python side opens it)",
            trigger: "a.o_fs_signed_pdf[href*='/pdf']",
        },
    ],
});
