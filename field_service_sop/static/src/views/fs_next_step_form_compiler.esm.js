/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {append, createElement} from "@web/core/utils/xml";
import {FormCompiler} from "@web/views/form/form_compiler";
import {patch} from "@web/core/utils/patch";

// The header buttons that stay in sight on a phone.
const NEXT_STEP_CLASS = "o_fs_next_step";

function isNextStep(node) {
    return (
        node.nodeType === Node.ELEMENT_NODE &&
        node.tagName.toLowerCase() === "button" &&
        node.classList.contains(NEXT_STEP_CLASS)
    );
}

/**
 * On a phone Odoo moves every header button of a form into the ⚙ menu: the
 * engineer's next step (accept, depart, arrive, report, sign) took two taps
 * and a search. Header buttons marked ``o_fs_next_step`` stay in the status
 * bar on small screens, with their own ``invisible`` conditions, and leave
 * the ⚙ menu; the other buttons keep Odoo's layout. Forms without the class
 * are not affected.
 */
patch(FormCompiler.prototype, {
    compileHeader(el, params) {
        const nextSteps = [...el.childNodes].filter(isNextStep);
        if (!nextSteps.length) {
            return super.compileHeader(el, params);
        }
        if (params.asDropdownItems) {
            const rest = el.cloneNode(true);
            for (const node of [...rest.childNodes].filter(isNextStep)) {
                node.remove();
            }
            return super.compileHeader(rest, params);
        }
        // Compiling a button consumes its attributes: compile copies.
        const copies = nextSteps.map((node) => node.cloneNode(true));
        const statusBar = super.compileHeader(el, params);
        const phoneButtons = createElement("StatusBarButtons", {
            "t-if": "__comp__.env.isSmall and !__comp__.env.inDialog",
        });
        copies.forEach((node, index) => {
            const compiled = this.compileNode(node, params);
            if (!compiled) {
                return;
            }
            compiled.setAttribute("defaultRank", "'btn-secondary'");
            const slot = createElement("t", {
                "t-set-slot": `fs_next_step_${index}`,
                isVisible: compiled.getAttribute("t-if") || true,
            });
            append(slot, compiled);
            append(phoneButtons, slot);
        });
        statusBar.prepend(phoneButtons);
        return statusBar;
    },
});
