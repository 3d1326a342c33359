"""Keep each source's latest price per model, to show where the sources disagree.

Called inside the run's transaction with the records the run matched to models. Rows are one per
(source, model), created or overwritten in bulk: a few queries per run, whatever its size.
"""

from __future__ import annotations

from datetime import datetime

from pricing.models import LanguageModel, SourceObservation
from pricing.sources.records import PriceRecord, canonical_provider

RESELLERS = {"openrouter"}  # sources whose ids are "maker/model": observed on the maker's model too


def observe_prices(
    *,
    source: str,
    matched: list[tuple[PriceRecord, LanguageModel]],
    models: dict[tuple[str, str], LanguageModel],
    now: datetime,
) -> int:
    """Record what ``source`` charges now for each matched model; returns how many rows were written."""
    seen: dict[int, SourceObservation] = {}
    for record, model in matched:
        rates = _in_force(record, now)
        if rates is None:
            continue
        targets = [model]
        if source in RESELLERS:
            targets += [m for m in [_maker_model(record.model, models)] if m is not None]
        for target in targets:
            seen.setdefault(
                target.pk,
                SourceObservation(
                    source=source,
                    model=target,
                    upstream_id=record.upstream_id[:300],
                    input_usd_per_mtok=rates[0],
                    output_usd_per_mtok=rates[1],
                    observed_at=now,
                ),
            )
    existing = {o.model_id: o for o in SourceObservation.objects.filter(source=source, model_id__in=seen)}
    fields = ["upstream_id", "input_usd_per_mtok", "output_usd_per_mtok", "observed_at"]
    for model_id, observation in seen.items():
        if model_id in existing:
            observation.pk = existing[model_id].pk
    SourceObservation.objects.bulk_update([o for o in seen.values() if o.pk], fields, batch_size=500)
    SourceObservation.objects.bulk_create([o for o in seen.values() if not o.pk], batch_size=500)
    return len(seen)


def _in_force(record: PriceRecord, now: datetime) -> tuple | None:
    points = [p for p in record.history if p.effective_from is None or p.effective_from <= now.date()]
    if not points:
        return None
    rates = points[-1].rates
    return rates.input_usd_per_mtok, rates.output_usd_per_mtok


def _maker_model(resale_id: str, models: dict[tuple[str, str], LanguageModel]) -> LanguageModel | None:
    """``anthropic/claude-opus-4.6`` → the catalogue's anthropic ``claude-opus-4-6`` (if listed)."""
    maker, _, model_id = resale_id.partition("/")
    if not model_id:
        return None
    provider = canonical_provider(maker)
    found = models.get((provider, model_id)) or models.get((provider, model_id.replace(".", "-")))
    if found is not None and found.alias_of_id:
        return found.alias_of
    return found
