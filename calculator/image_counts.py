"""A conversation's images in one model's prompt tokens, by its maker's published rule.

The rule itself lives in ``pricing.bill.images`` (shared with the bill engine, so an image costs
the same in an estimate and a bill). Here a hosted model is taken back to its maker and its bare
name, wherever it is served (``aws/global.anthropic.claude-opus-4-6-v1:0``,
``openrouter/openai/gpt-4o``, Claude on Vertex filed under ``google``), because the rule follows
the model, not the host. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pricing.bill.images import ImageInput, NoImageRule, image_tokens

from .tokenizers.chat.image_parts import ImagePart

RULES = {
    "openai": "OpenAI's published image rule (a base count plus a count per 512 px tile, by detail)",
    "anthropic": "Anthropic's published image rule (width x height / 750, after scaling down)",
    "google": "Google's published Gemini image rule (per image, or per 768 px tile before Gemini 3)",
}
# A host's prefix before the maker's own model name: "global.anthropic.", "us.anthropic.", "openai.".
_HOST_PREFIX = re.compile(r"^(?:[a-z0-9-]+\.)*?(?:anthropic|openai|google)\.")


@dataclass(frozen=True)
class ImageCount:
    tokens: int | None  # None: no published rule for this model (the images are not counted)
    rule: str  # the published rule applied, or why none was


def count_images(provider: str, model: str, tokenizer: str, images: Sequence[ImagePart]) -> ImageCount:
    maker, name = maker_and_name(provider, model, tokenizer)
    if maker is None:
        return ImageCount(None, "no published image-token rule for this model: its images are not counted")
    try:
        total = sum(image_tokens(maker, name, ImageInput(i.width, i.height, i.detail)) for i in images)
    except NoImageRule as exc:
        return ImageCount(None, f"{exc}: its images are not counted")
    return ImageCount(total, RULES[maker])


def maker_and_name(provider: str, model: str, tokenizer: str) -> tuple[str | None, str]:
    """The maker whose image rule applies and the model's name as the maker spells it."""
    name = _HOST_PREFIX.sub("", model.lower().rsplit("/", 1)[-1]).split("@", 1)[0]
    if "claude" in name:
        return "anthropic", name
    if name.startswith("gemini"):
        return "google", name
    if tokenizer in ("o200k_base", "cl100k_base") and "gpt-oss" not in name:
        return "openai", name
    return None, name
