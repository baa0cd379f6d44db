/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {NameAndSignature} from "@web/core/signature/name_and_signature";

// A finger-sized pad on a phone, whatever its width: the pad spans the
// dialog or the page, at least 200 px high (a 3:1 pad was 118 px on a phone).
const MIN_PAD_HEIGHT = 200;

/**
 * The customer's signature pad: drawing only (SOP S5, never sign on the
 * customer's behalf). Odoo's pad also offers "Auto" (the typed name in a
 * script font, one tap) and "Load" (an uploaded image): both are removed
 * from the template and refused here. The server checks every signature
 * written too (models/fs_signature_image.py).
 */
export class FsDrawnNameAndSignature extends NameAndSignature {
    static template = "field_service_sop.DrawnNameAndSignature";

    setup() {
        super.setup();
        this.state.signMode = "draw";
    }

    setMode(mode, reset) {
        super.setMode("draw", reset);
    }

    resizeSignature() {
        const width = this.signatureRef.el.clientWidth;
        const height = Math.max(
            parseInt(width / this.props.displaySignatureRatio, 10),
            Math.min(width, MIN_PAD_HEIGHT)
        );
        Object.assign(this.signatureRef.el, {width, height});
    }
}
