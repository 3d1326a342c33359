"""Where the price sources disagree about a model, and which one the catalogue follows.

Each source's latest observation (``SourceObservation``) is compared with the price version in
force now; a difference of more than ``THRESHOLD`` of the catalogue's input or output rate is
flagged on the model page and in ``/api/v1/models/{provider}/{model}/prices``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pricing.models import LanguageModel, PriceVersion, SourceObservation

THRESHOLD = Decimal("0.05")
WHY_SOURCE = {
    "genai-prices": (
        "genai-prices ranks first: it lists the providers' own prices with the dates they changed; "
        "LiteLLM and OpenRouter only cross-check a model it prices"
    ),
    "litellm": "no higher-ranked source (genai-prices) prices this model",
    "openrouter": "no other source prices this model; OpenRouter's resale prices may include its margin",
}


@dataclass(frozen=True)
class SourcePrice:
    source: str
    upstream_id: str
    input_usd_per_mtok: Decimal
    output_usd_per_mtok: Decimal
    observed_at: datetime
    input_change: Decimal | None  # relative to the catalogue's price; None when that is zero
    output_change: Decimal | None
    differs: bool


@dataclass(frozen=True)
class SourceComparison:
    version: PriceVersion
    follows: str
    why: str
    prices: tuple[SourcePrice, ...]

    @property
    def disagrees(self) -> bool:
        return any(p.differs for p in self.prices)


def compare_sources(model: LanguageModel, *, at: datetime | None = None) -> SourceComparison | None:
    """The comparison for ``model``, or None when fewer than two sources price it or it has no price."""
    observations = list(SourceObservation.objects.filter(model=model).order_by("source"))
    version = PriceVersion.objects.select_related("import_run").in_force(model, at)
    if len(observations) < 2 or version is None:
        return None
    follows, why = followed_source(version)
    return SourceComparison(version, follows, why, tuple(_price(o, version) for o in observations))


def followed_source(version: PriceVersion) -> tuple[str, str]:
    """Which source set the price in force, and why the catalogue follows it."""
    if version.origin == PriceVersion.Origin.SEED:
        where = version.source_url or "the provider's own page"
        return "seed", f"curated from the provider's own page or announcement ({where})"
    if version.origin == PriceVersion.Origin.ADMIN:
        return "admin", f"set by an admin: {version.change_reason}"
    source = version.import_run.source if version.import_run else "import"
    return source, WHY_SOURCE.get(source, "the source that last set this price")


def _price(observation: SourceObservation, version: PriceVersion) -> SourcePrice:
    input_change = _change(version.input_usd_per_mtok, observation.input_usd_per_mtok)
    output_change = _change(version.output_usd_per_mtok, observation.output_usd_per_mtok)
    return SourcePrice(
        source=observation.source,
        upstream_id=observation.upstream_id,
        input_usd_per_mtok=observation.input_usd_per_mtok,
        output_usd_per_mtok=observation.output_usd_per_mtok,
        observed_at=observation.observed_at,
        input_change=input_change,
        output_change=output_change,
        differs=any(abs(c) > THRESHOLD for c in (input_change, output_change) if c is not None)
        or _from_zero(version, observation),
    )


def _change(ours: Decimal, theirs: Decimal) -> Decimal | None:
    return None if ours == 0 else (theirs - ours) / ours


def _from_zero(version: PriceVersion, observation: SourceObservation) -> bool:
    return (version.input_usd_per_mtok == 0 and observation.input_usd_per_mtok != 0) or (
        version.output_usd_per_mtok == 0 and observation.output_usd_per_mtok != 0
    )
