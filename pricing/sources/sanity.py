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
"""

from __future__ import annotations

import re
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
