"""Image inputs → prompt tokens, by each provider's published rule. Pure: no Django imports.

Shared by the bill and the estimate so an image costs the same wherever it is counted.
- OpenAI's tile models: ``low`` detail is the base count alone. Otherwise the image is scaled
  down to fit 2048 x 2048, then down so its shortest side is at most 768 px, and costs the
  base plus a count per 512 px tile: 85 + 170 for GPT-4o, GPT-4.1 and GPT-4.5 (OpenAI's vision
  guide: 1024 x 1024 high → 765 tokens; 2048 x 4096 high → 1,105), 2,833 + 5,667 for GPT-4o
  mini, 75 + 150 for o1 and o3, 70 + 140 for GPT-5. The patch models (GPT-4.1 mini and nano,
  o4-mini, GPT-5 mini and nano) count 32 px patches instead: not implemented, so refused.
- Anthropic: width x height / 750 tokens, rounded up, after scaling down to a long edge of at
  most 1,568 px and at most 1.2 megapixels (~1,600 tokens); Anthropic's vision guide lists
  200 x 200 → 54, 1000 x 1000 → 1,334, 1092 x 1092 → 1,590.
- Google Gemini 3: a fixed count per image by media resolution (low 280, medium 560, high and
  the default 1,120). Earlier Gemini: 258 tokens when both sides are at most 384 px, else 258
  per 768 x 768 tile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DETAILS = ("auto", "low", "high", "medium")


@dataclass(frozen=True)
class ImageInput:
    width: int
    height: int
    detail: str = "auto"


class NoImageRule(LookupError):
    """The model's provider publishes no image-token rule we know."""


def image_tokens(provider: str, model: str, image: ImageInput) -> int:
    """Prompt tokens one image costs on ``provider``/``model``; ``NoImageRule`` if unknown."""
    if provider in ("openai", "azure"):
        return _openai_tiles(image, *_openai_counts(model))
    if provider in ("anthropic", "aws", "bedrock", "vertex") and "claude" in model:
        return _anthropic_pixels(image)
    if provider == "google" and model.startswith("gemini-3"):
        return {"low": 280, "medium": 560}.get(image.detail, 1120)
    if provider == "google" and model.startswith("gemini"):
        return _gemini_tiles(image)
    raise NoImageRule(f"no published image-token rule for {provider}/{model}")


# (model prefix, base tokens, tokens per tile), most specific first.
OPENAI_TILES = (
    ("gpt-4o-mini", 2833, 5667),
    ("gpt-4o", 85, 170),
    ("gpt-4.1", 85, 170),
    ("gpt-4.5", 85, 170),
    ("o1", 75, 150),
    ("o3", 75, 150),
    ("gpt-5", 70, 140),
)
OPENAI_PATCH_MODELS = ("gpt-4.1-mini", "gpt-4.1-nano", "o4-mini", "gpt-5-mini", "gpt-5-nano")


def _openai_counts(model: str) -> tuple[int, int]:
    small_gpt_5 = model.startswith("gpt-5") and ("-mini" in model or "-nano" in model)
    if model.startswith(OPENAI_PATCH_MODELS) or small_gpt_5:
        raise NoImageRule(
            f"openai/{model} counts images in 32 px patches, which this calculator does not model"
        )
    for prefix, base, per_tile in OPENAI_TILES:
        if model.startswith(prefix):
            return base, per_tile
    raise NoImageRule(f"no published image-token rule for openai/{model}")


def _scaled_to_fit(width: int, height: int, box: int) -> tuple[float, float]:
    scale = min(1.0, box / max(width, height))
    return width * scale, height * scale


def _openai_tiles(image: ImageInput, base: int, per_tile: int) -> int:
    if image.detail == "low":
        return base
    width, height = _scaled_to_fit(image.width, image.height, 2048)
    shortest = min(width, height)
    if shortest > 768:
        width, height = width * 768 / shortest, height * 768 / shortest
    tiles = math.ceil(width / 512) * math.ceil(height / 512)
    return base + per_tile * tiles


def _anthropic_pixels(image: ImageInput) -> int:
    width, height = _scaled_to_fit(image.width, image.height, 1568)
    if width * height > 1_200_000:
        shrink = math.sqrt(1_200_000 / (width * height))
        width, height = width * shrink, height * shrink
    return math.ceil(round(width) * round(height) / 750)


def _gemini_tiles(image: ImageInput) -> int:
    if image.width <= 384 and image.height <= 384:
        return 258
    return 258 * math.ceil(image.width / 768) * math.ceil(image.height / 768)
