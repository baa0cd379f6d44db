# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one check of a customer's drawn signature image (SOP S5).

The pad in the browser only offers drawing, but RPC and the portal route can
send anything: every signature value written goes through
``check_drawn_signature`` (``fs.service.report`` create/write, which the
portal route also reaches). It refuses what is no PNG/JPEG image, what is
too big, and what carries too little ink to be a hand-drawn signature (an
empty pad, a tap, a dash).
"""

import base64
import binascii
import io

from PIL import Image, ImageChops

from odoo.exceptions import UserError

MAX_BYTES = 1024 * 1024
# Base64 takes 4 characters for 3 bytes (and a little padding).
MAX_ENCODED = MAX_BYTES * 4 // 3 + 4
FORMATS = ("PNG", "JPEG")
MIN_SIDE = 32
MAX_SIDE = 3000
MAX_PIXELS = 3_000_000
# "Ink": a pixel at least a quarter opaque and darker than light grey.
INK_ALPHA = 64
INK_LIGHTNESS = 192
# A tap draws a dot of a dozen pixels, a dash a few dozen; a signature,
# even short initials drawn with the 2 px pen, covers far more and spans
# some width and height.
MIN_INK_PIXELS = 150
MIN_INK_WIDTH = 60
MIN_INK_HEIGHT = 20


def _too_little_ink(env):
    return UserError(
        env._(
            "The signature is empty or too small: ask the customer to sign with "
            "their finger or mouse across the pad."
        )
    )


def _too_large(env, size):
    return UserError(
        env._(
            "The signature image is too large (%(size)s KB, at most %(max)s KB): "
            "ask the customer to sign on the pad again.",
            size=size // 1024,
            max=MAX_BYTES // 1024,
        )
    )


def _unreadable(env):
    return UserError(
        env._(
            "The signature could not be read as a PNG or JPEG image: ask the "
            "customer to sign with their finger or mouse on the pad."
        )
    )


def check_drawn_signature(env, value):
    """Raise a UserError unless base64 ``value`` is a drawn signature image.

    A real PNG or JPEG (decoded with PIL) of at most 1 MB, with sane
    dimensions, and enough ink over a large enough box (SOP S5).
    """
    if not isinstance(value, str | bytes):
        raise _unreadable(env)
    if len(value) > MAX_ENCODED:
        raise _too_large(env, len(value) * 3 // 4)
    try:
        data = base64.b64decode(value)
    except (binascii.Error, ValueError) as error:
        raise _unreadable(env) from error
    if len(data) > MAX_BYTES:
        raise _too_large(env, len(data))
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise _unreadable(env)
        width, height = image.size
        if (
            not MIN_SIDE <= width <= MAX_SIDE
            or not MIN_SIDE <= height <= MAX_SIDE
            or width * height > MAX_PIXELS
        ):
            raise UserError(
                env._(
                    "The signature image is %(width)s x %(height)s pixels: a "
                    "signature pad gives %(min)s to %(max)s pixels a side. Ask the "
                    "customer to sign on the pad again.",
                    width=width,
                    height=height,
                    min=MIN_SIDE,
                    max=MAX_SIDE,
                )
            )
        # Decoded only now, with its size known to be bounded.
        rgba = image.convert("RGBA")
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise _unreadable(env) from None
    opaque = rgba.getchannel("A").point(lambda a: 255 if a >= INK_ALPHA else 0)
    dark = rgba.convert("L").point(lambda v: 255 if v <= INK_LIGHTNESS else 0)
    ink = ImageChops.multiply(opaque, dark)
    box = ink.getbbox()
    if (
        not box
        or ink.histogram()[255] < MIN_INK_PIXELS
        or box[2] - box[0] < MIN_INK_WIDTH
        or box[3] - box[1] < MIN_INK_HEIGHT
    ):
        raise _too_little_ink(env)
