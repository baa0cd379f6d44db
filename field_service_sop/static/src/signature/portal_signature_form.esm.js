/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import "@portal/signature_form/signature_form";
import {useRef, useState} from "@odoo/owl";
import {FsDrawnNameAndSignature} from "./drawn_name_and_signature.esm";
import {registry} from "@web/core/registry";

const publicComponents = registry.category("public_components");
const SignatureForm = publicComponents.get("portal.signature_form");

/**
 * The customer's portal signature form, inline on the report page (SOP S2,
 * S5, S12): drawing only.
 *
 * Portal's own form is meant for a Bootstrap modal: its setup() hooks the
 * modal's "shown" event on ``closest('.modal')``, which is null inline (a
 * TypeError, and the pad never appears). Same state as portal's setup, without
 * that hook: the pad sizes itself when it is mounted.
 */
export class FsSignatureForm extends SignatureForm {
    static components = {
        ...SignatureForm.components,
        NameAndSignature: FsDrawnNameAndSignature,
    };

    setup() {
        this.rootRef = useRef("root");
        this.csrfToken = odoo.csrf_token;
        this.state = useState({error: false, success: false});
        this.signature = useState({
            name: this.props.defaultName,
            getSignatureImage: () => "",
            resetSignature: () => {},
        });
        this.nameAndSignatureProps = {
            signature: this.signature,
            fontColor: this.props.fontColor || "black",
            mode: "draw",
        };
        if (this.props.signatureRatio) {
            this.nameAndSignatureProps.displaySignatureRatio =
                this.props.signatureRatio;
        }
    }
}

publicComponents.add("field_service_sop.signature_form", FsSignatureForm);
