/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

/* Draw a signature on a signature pad's canvas as a finger does: pointer
 * events, a stroke at a time, a little apart (the pad throttles moves). */

const pause = () =>
    new Promise((resolve) => {
        setTimeout(resolve, 25);
    });

export async function drawSignature(canvas) {
    const rect = canvas.getBoundingClientRect();
    const pointer = (x, y, buttons = 1) => ({
        clientX: rect.left + rect.width * x,
        clientY: rect.top + rect.height * y,
        pointerId: 1,
        pointerType: "touch",
        isPrimary: true,
        buttons,
        pressure: buttons ? 0.5 : 0,
        bubbles: true,
        cancelable: true,
    });
    // A zigzag across the pad, then a stroke under it.
    const strokes = [
        Array.from({length: 13}, (_, i) => [0.1 + 0.065 * i, i % 2 ? 0.7 : 0.3]),
        [
            [0.15, 0.85],
            [0.5, 0.82],
            [0.9, 0.8],
        ],
    ];
    for (const [first, ...rest] of strokes) {
        canvas.dispatchEvent(new PointerEvent("pointerdown", pointer(...first)));
        for (const [x, y] of rest) {
            await pause();
            canvas.dispatchEvent(new PointerEvent("pointermove", pointer(x, y)));
        }
        await pause();
        const [x, y] = rest.at(-1);
        canvas.ownerDocument.dispatchEvent(
            new PointerEvent("pointerup", pointer(x, y, 0))
        );
    }
}

/* SOP S5: the pad offers drawing only: no "Auto" (typed name), no "Load". */
export function assertDrawOnly(group) {
    const other = group.querySelector(
        ".o_web_sign_auto_button, .o_web_sign_load_button, .o_web_sign_load_file"
    );
    if (other) {
        throw new Error(
            `The signature pad offers more than drawing: ${other.outerHTML}`
        );
    }
}
