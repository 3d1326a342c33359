"""Sanity rules at import: prices that no source can mean for a text model, refused before anything
is published, whatever the source (the refresh records them as the run's problems, the history's
replay as its refusals). Pure: no Django imports.

- A percent-encoded id (``meta.llama3-8b-instruct-v1%3A0``) is a copy of another row written in a
  URL's spelling, not a model: LiteLLM's map carried that one at 220/720 where the real row is
  0.30/0.60.
- An image-generation model (Stable Diffusion, SSD-1B, Playground v2, FLUX, DALL-E, Imagen) is
  billed per image or per step; read as token rates its price means nothing.
- A token rate above $1,000 per million is a unit mistake (a price per thousand tokens read as per
  token): the dearest text models ever sold were $150 / $600 (o1-pro).

Held for review, not refused (``review_reasons``: the refresh proposes such a change instead of
publishing it, the history's replay leaves it out), because a real price can look so:
- A text model's output rate more than 30 times its input rate, or below a twentieth of it
  (Claude Instant 1 at 1.63 / 55.1 in LiteLLM's map; the real price was 1.63 / 5.51). Real text
  models run from output at input's price to about 8 times it (23 times for Gemini 2.5 Flash's
  thinking preview, 0.15 / 3.50). Models whose output is not billed as text (image, audio,
  speech, Llama Guard's verdicts) and embeddings are not held to it.
- A rate 100 times its family's median or a hundredth of it, among the payload's priced models of
  that family (at least five): a price per thousand tokens or per character read as per million
  tokens (LiteLLM's map once priced IBM's Granite 3 8B on watsonx at 200 / 200 per million). A
  family is the model id's last path part up to its second word (``gemini-1.5``, ``claude-3``,
  ``granite-3``).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import unquote

from pricing.bill.rates import rate_values

from .records import PriceRecord

PERCENT_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")
IMAGE_MODELS = re.compile(
    r"stable-diffusion|(?:^|[/_-])sd3(?:$|[._-])|sdxl|ssd-1b|playground-v\d|(?:^|[/_-])flux[._-]|dall-e|imagen-",
    re.IGNORECASE,
)
MAX_TOKEN_RATE = Decimal(1000)  # USD per million tokens
MAX_OUTPUT_RATIO = Decimal(30)  # output / input, for a text model
MIN_OUTPUT_RATIO = Decimal(1) / Decimal(20)
NOT_TEXT_OUTPUT = re.compile(
    r"image|audio|tts|speech|realtime|transcri|whisper|eleven|embed|rerank|guard", re.I
)
FAMILY_SPREAD = Decimal(100)  # a rate this many times its family's median (or a this-th of it)
MIN_FAMILY_SIZE = 5
FAMILY_RATES = ("input_usd_per_mtok", "output_usd_per_mtok")


def sanity_problems(record: PriceRecord) -> list[str]:
    """Why ``record`` cannot be a text model's price (empty: it can)."""
    problems = []
    if PERCENT_ENCODED.search(record.upstream_id):
        problems.append(
            f"percent-encoded id {record.upstream_id!r} (it reads {unquote(record.upstream_id)!r}): "
            "a copy of another row, not a model"
        )
    if IMAGE_MODELS.search(record.model):
        problems.append("an image-generation model priced per token: its price is per image or per step")
    for point in record.history:
        for name, value in rate_values(point.rates).items():
            if value is not None and value > MAX_TOKEN_RATE:
                problems.append(
                    f"{name} {value} USD per million tokens is above {MAX_TOKEN_RATE}: a unit mistake"
                    " (a price per thousand tokens read as per token?)"
                )
    return problems


def review_reasons(records: Iterable[PriceRecord]) -> dict[str, list[str]]:
    """Records (by key) whose prices look like a mistake without being sure to be one, each with
    why: a text model's output far above or below its input, a rate 100 times off its family's
    median. The refresh proposes their changes for review instead of publishing them; the
    history's replay leaves them out."""
    records = list(records)
    reasons = family_outliers(records)
    for record in records:
        if not NOT_TEXT_OUTPUT.search(record.model):
            for reason in _ratio_problems(record):
                reasons.setdefault(record.key, []).append(reason)
    return reasons


def _ratio_problems(record: PriceRecord) -> list[str]:
    problems = []
    for point in record.history:
        inp, out = point.rates.input_usd_per_mtok, point.rates.output_usd_per_mtok
        if not inp or not out or inp <= 0 or out <= 0:
            continue
        if out > inp * MAX_OUTPUT_RATIO:
            problems.append(
                f"output {out} is more than {MAX_OUTPUT_RATIO} times input {inp}: a mistake in one of"
                " them for a text model"
            )
        elif out < inp * MIN_OUTPUT_RATIO:
            problems.append(f"output {out} is below a twentieth of input {inp}: a mistake in one of them")
    return problems


def family_of(model: str) -> str:
    """The family a model id belongs to: its last path part, lowercased, up to its second
    hyphen-separated word (``accounts/fireworks/models/llama-v3p1-8b-instruct`` -> ``llama-v3p1``,
    ``gemini-1.5-flash-002`` -> ``gemini-1.5``, ``claude-3-haiku-20240307`` -> ``claude-3``)."""
    name = model.lower().rsplit("/", 1)[-1].split(":", 1)[0]
    return "-".join(re.split(r"[-_]", name)[:2])


def family_outliers(records: Iterable[PriceRecord]) -> dict[str, list[str]]:
    """Records (by key) with a rate 100 times their family's median or a hundredth of it, each with
    why; the median is over the latest rate of each priced model of the family in ``records``."""
    records = list(records)
    families: dict[str, list[PriceRecord]] = {}
    for record in records:
        if record.history:
            families.setdefault(family_of(record.model), []).append(record)
    outliers: dict[str, list[str]] = {}
    for family, members in families.items():
        for name in FAMILY_RATES:
            values = [_latest(m, name) for m in members]
            priced = [v for v in values if v]
            if len(priced) < MIN_FAMILY_SIZE:
                continue
            median = statistics.median(priced)
            for member, value in zip(members, values, strict=True):
                if value and (value > median * FAMILY_SPREAD or value * FAMILY_SPREAD < median):
                    outliers.setdefault(member.key, []).append(
                        f"{name} {value} is at least {FAMILY_SPREAD} times off its family's median"
                        f" ({family}: {median} over {len(priced)} models): held for review"
                    )
    return outliers


def _latest(record: PriceRecord, name: str) -> Decimal | None:
    value = getattr(record.history[-1].rates, name)
    return value if value is not None and value > 0 else None
