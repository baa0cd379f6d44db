/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {
    SignatureField,
    signatureField,
} from "@web/views/fields/signature/signature_field";
import {FsDrawnNameAndSignature} from "./drawn_name_and_signature.esm";
import {SignatureDialog} from "@web/core/signature/signature_dialog";
import {registry} from "@web/core/registry";

/** Odoo's signature dialog with the drawing-only pad (SOP S5). */
export class FsDrawnSignatureDialog extends SignatureDialog {
    static components = {
        ...SignatureDialog.components,
        NameAndSignature: FsDrawnNameAndSignature,
    };
}

/**
 * Signature field for the customer's signatures (consent and acceptance on
 * the engineer's device, SOP S5): the customer draws it; no typed name, no
 * uploaded image.
 */
export class FsDrawnSignatureField extends SignatureField {
    onClickSignature() {
        if (this.props.readonly) {
            return;
        }
        this.dialogService.add(FsDrawnSignatureDialog, {
            nameAndSignatureProps: {
                displaySignatureRatio: this.displaySignatureRatio,
                signatureType: this.props.type,
                noInputName: true,
                mode: "draw",
            },
            uploadSignature: (signature) => this.uploadSignature(signature),
        });
    }
}

export const fsDrawnSignatureField = {
    ...signatureField,
    component: FsDrawnSignatureField,
};

registry.category("fields").add("fs_drawn_signature", fsDrawnSignatureField);
