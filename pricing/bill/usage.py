"""What one request used, as the provider reports it. Pure: no Django imports.

Quantities are disjoint, as Anthropic's usage reports them: ``input_tokens`` are billed at the
base input rate and do not include cache reads or writes; ``output_tokens`` do not include
``reasoning_tokens`` (OpenAI's ``output_tokens`` do: subtract its ``reasoning_tokens`` first).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from pricing.bill.images import DETAILS, ImageInput

# Beyond these a request is a typo, not a workload: refused with the field named.
MAX_TOKENS = 100_000_000
MAX_UNITS = 1_000_000
MAX_IMAGES = 1_000
MAX_IMAGE_SIDE = 100_000

# Usage field → the kind of price it is billed at.
FIELD_KINDS = {
    "input_tokens": "input",
    "cache_read_tokens": "cache_read",
    "cache_write_5m_tokens": "cache_write_5m",
    "cache_write_1h_tokens": "cache_write_1h",
    "input_audio_tokens": "input_audio",
    "output_tokens": "output",
    "reasoning_tokens": "reasoning",
    "output_audio_tokens": "output_audio",
    "web_searches": "web_search",
    "file_searches": "storage_search",
    "audio_seconds": "audio_second",
}
UNIT_FIELDS = frozenset({"web_searches", "file_searches", "audio_seconds"})


class BillError(ValueError):
    """Bad input for a bill, naming the request field at fault (``usage.web_searches``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class BillUsage:
    input_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_5m_tokens: int = 0
    cache_write_1h_tokens: int = 0
    input_audio_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    output_audio_tokens: int = 0
    web_searches: int = 0
    file_searches: int = 0
    audio_seconds: int = 0
    images: tuple[ImageInput, ...] = ()

    def __post_init__(self) -> None:
        for item in fields(self):
            if item.name != "images":
                limit = MAX_UNITS if item.name in UNIT_FIELDS else MAX_TOKENS
                _check_count(f"usage.{item.name}", getattr(self, item.name), limit)
        if len(self.images) > MAX_IMAGES:
            raise BillError("usage.images", f"at most {MAX_IMAGES:,} images per request")
        for index, image in enumerate(self.images):
            _check_image(f"usage.images[{index}]", image)

    def quantities(self) -> dict[str, int]:
        """Billed quantity per price kind (images are counted separately)."""
        return {kind: getattr(self, name) for name, kind in FIELD_KINDS.items() if getattr(self, name)}


def _check_count(field: str, value: object, limit: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BillError(field, "must be a whole number")
    if value < 0:
        raise BillError(field, "must not be negative")
    if value > limit:
        raise BillError(field, f"{value:,} is beyond any real request (at most {limit:,})")


def _check_image(field: str, image: ImageInput) -> None:
    _check_count(f"{field}.width", image.width, MAX_IMAGE_SIDE)
    _check_count(f"{field}.height", image.height, MAX_IMAGE_SIDE)
    if image.width == 0 or image.height == 0:
        raise BillError(field, "an image needs a width and a height of at least 1 pixel")
    if image.detail not in DETAILS:
        raise BillError(f"{field}.detail", f"must be one of {', '.join(DETAILS)}")
