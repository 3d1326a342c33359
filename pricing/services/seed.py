"""Load the seed catalogue (fixtures/catalogue.json) idempotently.

Providers and models are created when missing and never overwritten (an admin's edits win);
price versions are published through ``publish_price_version`` when the model has no
version starting at that date yet. Loading twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from pricing.bill.notation import sheet_from_notation
from pricing.bill.rates import RATE_FIELDS, Rates, TierRates
from pricing.models import LanguageModel, PriceVersion, Provider
from pricing.services.aliases import link_aliases, link_known_aliases
from pricing.services.history_load import load_price_history
from pricing.services.lifecycle_facts import load_lifecycle_facts
from pricing.services.versions import publish_price_version

SEED_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "catalogue.json"
# The seed's short keys: a rate field without its unit suffix ("input", "cache_write_5m", "request_usd").
RATE_KEYS = {name.removesuffix("_usd_per_mtok"): name for name in RATE_FIELDS}
MODEL_FIELDS = (
    "name",
    "tier",
    "status",
    "context_window",
    "max_output_tokens",
    "tokenizer_key",
    "featured",
    "notes",
)


@dataclass
class SeedReport:
    providers_created: int = 0
    models_created: int = 0
    versions_published: int = 0
    versions_present: int = 0
    skipped: list[str] = field(default_factory=list)


def load_seed_catalogue(*, path: Path = SEED_PATH) -> SeedReport:
    """Create what the seed has and the catalogue lacks; report what was done."""
    data = json.loads(path.read_text(encoding="utf-8"))
    report = SeedReport()
    verified_at = timezone.now()
    with transaction.atomic():
        providers = {p["slug"]: _provider(p, report) for p in data["providers"]}
        for entry in data["models"]:
            model = _model(entry, providers[entry["provider"]], report)
            for version in entry["versions"]:
                _version(model, version, verified_at, report)
            link_aliases(model=model, names=entry.get("aliases", []))
        link_known_aliases()
        load_lifecycle_facts()  # the seed's models' launch, deprecation and retirement
    return report


def ensure_seeded(*, path: Path = SEED_PATH) -> SeedReport | None:
    """Load the seed catalogue, its price history and the lifecycle facts unless the seed is
    loaded already (a new install's first refresh), as ``load_catalogue`` does."""
    if seed_loaded() or not path.exists():
        return None
    report = load_seed_catalogue(path=path)
    load_price_history()
    load_lifecycle_facts(fresh=True)
    return report


def seed_loaded() -> bool:
    return PriceVersion.objects.filter(origin=PriceVersion.Origin.SEED).exists()


def _provider(entry: dict[str, Any], report: SeedReport) -> Provider:
    defaults = {k: v for k, v in entry.items() if k != "slug"}
    provider, created = Provider.objects.get_or_create(slug=entry["slug"], defaults=defaults)
    report.providers_created += created
    return provider


def _model(entry: dict[str, Any], provider: Provider, report: SeedReport) -> LanguageModel:
    defaults = {k: entry[k] for k in MODEL_FIELDS if k in entry and entry[k] is not None}
    defaults["tokenizer_chosen"] = "tokenizer_key" in defaults  # curated: the family rule keeps off
    # Launch, deprecation and retirement come from fixtures/lifecycle.json, with their sources.
    model, created = LanguageModel.objects.get_or_create(
        provider=provider, slug=entry["slug"], defaults=defaults
    )
    report.models_created += created
    return model


def _version(model: LanguageModel, entry: dict[str, Any], verified_at: datetime, report: SeedReport) -> None:
    effective_from = _start_of_day(entry["effective_from"])
    if PriceVersion.objects.standing().filter(model=model, effective_from=effective_from).exists():
        report.versions_present += 1
        return
    latest = PriceVersion.objects.latest_of(model)
    if latest is not None and latest.effective_from > effective_from:
        report.skipped.append(
            f"{model.key} {entry['effective_from']}: the catalogue already has later prices"
        )
        return
    rates = rates_from_entry(entry)
    publish_price_version(
        model=model,
        rates=rates,
        effective_from=effective_from,
        origin=PriceVersion.Origin.SEED,
        change_reason=entry["change_reason"],
        source_url=entry.get("source_url", ""),
        verified_at=verified_at,
        sheet=sheet_from_notation(rates, entry),
    )
    report.versions_published += 1


def rates_from_entry(entry: dict[str, Any]) -> Rates:
    """Seed JSON (short keys, money as strings) → ``Rates``."""
    values = {RATE_KEYS[k]: Decimal(v) for k, v in entry.items() if k in RATE_KEYS and v is not None}
    tiers = tuple(
        TierRates(
            threshold_tokens=int(t["threshold_tokens"]),
            **{RATE_KEYS[k]: Decimal(v) for k, v in t.items() if k in RATE_KEYS and v is not None},
        )
        for t in entry.get("tiers", [])
    )
    return Rates(**values, tiers=tiers)


def _start_of_day(value: str) -> datetime:
    """An ISO date (the day's start, UTC) or, where the provider names the hour, a datetime."""
    moment = parse_datetime(value) if "T" in value else None
    if moment is not None and timezone.is_aware(moment):
        return moment
    day = parse_date(value)
    if day is None:
        raise ValueError(f"effective_from {value!r} is not an ISO date or a datetime with a zone")
    return datetime.combine(day, time.min, tzinfo=UTC)
