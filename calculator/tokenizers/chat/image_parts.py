"""Image parts of a chat message: their size and detail, validated, never fetched. Pure (no Django).

An OpenAI-style part is ``{"type": "image_url", "image_url": {"url": ..., "detail": ...}}``. We never
fetch a URL, so the size comes from explicit ``width`` and ``height`` (on the part or inside
``image_url``) or, for a ``data:`` URL, from the PNG or JPEG header alone: only the first
``HEADER_BYTES`` of the payload are base64-decoded, so a large image costs no more than a small one,
and the pixels are never decoded. Every refusal names the field.
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Mapping
from dataclasses import dataclass

from pricing.bill.images import DETAILS  # the detail levels the shared image rule takes

# A sanity bound far above any provider's accepted size (Anthropic refuses sides over 8,000 px).
MAX_SIDE = 32_768
# OpenAI accepts up to 500 images in one request, the most of the providers we price.
MAX_IMAGES = 500
# Enough for a JPEG whose frame header follows its EXIF and ICC segments (each at most 64 KiB).
HEADER_BYTES = 192 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (SOF0-SOF15 without DHT C4, JPG C8 and DAC CC) carry the size.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class ImagePartError(ValueError):
    """A bad image part; ``field`` is relative to the part (``width``, ``image_url.detail``)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ImagePart:
    width: int
    height: int
    detail: str = "auto"


def parse_image_part(part: Mapping[str, object]) -> ImagePart:
    image_url = part.get("image_url")
    if not isinstance(image_url, Mapping) or not isinstance(image_url.get("url"), str):
        raise ImagePartError('must be {"url": ..., "detail": ...}.', "image_url")
    detail = image_url.get("detail", "auto")
    if detail not in DETAILS:
        raise ImagePartError(f"must be one of {', '.join(DETAILS)}.", "image_url.detail")
    width, height = _explicit_size(part, image_url)
    if width is None or height is None:
        url = str(image_url["url"])
        if not url.startswith("data:"):
            raise ImagePartError(
                "width and height are required for an image URL (images are never fetched).", "width"
            )
        width, height = size_from_data_url(url)
    return ImagePart(width, height, str(detail))


def _explicit_size(part: Mapping[str, object], image_url: Mapping[str, object]) -> tuple[int | None, ...]:
    sizes = []
    for name in ("width", "height"):
        where = name if name in part else f"image_url.{name}"
        value = part.get(name, image_url.get(name))
        if value is not None and (type(value) is not int or not 1 <= value <= MAX_SIDE):
            raise ImagePartError(f"must be a whole number of pixels from 1 to {MAX_SIDE:,}.", where)
        sizes.append(value)
    if (sizes[0] is None) != (sizes[1] is None):
        raise ImagePartError("give both width and height, or neither.", "height" if sizes[0] else "width")
    return tuple(sizes)


def size_from_data_url(url: str) -> tuple[int, int]:
    """The pixel size in a PNG or JPEG ``data:`` URL's header, decoding only its first bytes."""
    comma = url.find(",", 0, 256)  # the media type's header is short; the payload is never copied whole
    meta = url[:comma] if comma > 0 else ""
    if ";base64" not in meta:
        raise ImagePartError("a data: URL image must be base64-encoded.", "image_url.url")
    head = _decoded_prefix(url, comma + 1, 24)  # a PNG's size is in its first 24 bytes
    if head.startswith(_PNG):
        size = _png_size(head)
    else:
        # Most JPEGs give their frame header in the first few KiB; one behind large EXIF or ICC
        # segments needs more, up to HEADER_BYTES.
        size = _jpeg_size(_decoded_prefix(url, comma + 1, 4096))
        size = size or _jpeg_size(_decoded_prefix(url, comma + 1, HEADER_BYTES))
    if size is None:
        raise ImagePartError(
            "no PNG or JPEG size found in the data: URL's header: give width and height.", "image_url.url"
        )
    width, height = size
    if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE):
        raise ImagePartError(f"the image's sides must be 1 to {MAX_SIDE:,} pixels.", "image_url.url")
    return width, height


def _decoded_prefix(url: str, start: int, size: int) -> bytes:
    """About the first ``size`` bytes of the base64 payload at ``start``; the rest is never decoded."""
    chunk = url[start : start + -(-size // 3) * 4].strip()
    try:
        return base64.b64decode(chunk[: len(chunk) - len(chunk) % 4], validate=True)
    except (binascii.Error, ValueError):
        raise ImagePartError("is not valid base64.", "image_url.url") from None


def _png_size(head: bytes) -> tuple[int, int] | None:
    # The IHDR chunk comes first: length (4), "IHDR" (4), then width and height, big-endian.
    if len(head) < 24 or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    if not head.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 4 <= len(head):
        if head[at] != 0xFF:
            return None
        marker = head[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", head[at + 2 : at + 4])
        if marker in _SOF:
            if at + 9 > len(head):
                return None
            height, width = struct.unpack(">HH", head[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None
