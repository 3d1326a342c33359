"""Apply the curated lifecycle facts (fixtures/lifecycle.json) to the catalogue.

Each fact names models of one provider and the moments the provider's page gives for them
(launch, deprecation = the shutdown's announcement, retirement = the shutdown), all in UTC. A
moment is written where the model has none, where it has one without a source (a day carried over
from before moments had sources), or where it came from the same page (the curated list corrects
itself) or from a LiteLLM import (a provider's page is finer evidence than LiteLLM's day); a moment
an admin entered with a page of their own is kept. Models the catalogue does
not hold are skipped. Loading twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from pricing.models import LanguageModel, PriceVersion
from pricing.services.lifecycle import lifecycle_status
from pricing.sources.litellm import is_litellm_source

LIFECYCLE_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "lifecycle.json"
# moment field -> its source field
MOMENTS = {
    "launched_at": "launch_source_url",
    "deprecated_at": "deprecation_source_url",
    "retired_at": "retirement_source_url",
}


@dataclass
class LifecycleReport:
    models_updated: int = 0
    models_featured: int = 0
    not_in_catalogue: list[str] = field(default_factory=list)


def load_lifecycle_facts(*, path: Path = LIFECYCLE_PATH, fresh: bool = False) -> LifecycleReport:
    """Write the curated moments; on a ``fresh`` install also feature the providers' current lines."""
    report = LifecycleReport()
    if not path.exists():
        return report
    data = json.loads(path.read_text(encoding="utf-8"))
    with transaction.atomic():
        for key, moments in _moments_by_model(data["facts"]).items():
            model = LanguageModel.objects.resolve([key]).get(key)
            if model is None:
                report.not_in_catalogue.append(key)
            elif _apply(model, moments):
                report.models_updated += 1
        if fresh:
            report.models_featured = _feature(data.get("featured", {}).get("models", []))
    return report


def _moments_by_model(facts: list[dict[str, Any]]) -> dict[str, dict[str, tuple[datetime, str]]]:
    """``provider/model`` -> {moment field: (moment, source URL)}, merged over the facts."""
    merged: dict[str, dict[str, tuple[datetime, str]]] = {}
    for fact in facts:
        named = {name: (parse_moment(fact[name]), fact["source_url"]) for name in MOMENTS if fact.get(name)}
        for slug in fact["models"]:
            merged.setdefault(f"{fact['provider']}/{slug}", {}).update(named)
    return merged


def _apply(model: LanguageModel, moments: dict[str, tuple[datetime, str]]) -> bool:
    changes: dict[str, object] = {}
    for name, (moment, source_url) in moments.items():
        source_field = MOMENTS[name]
        current, current_source = getattr(model, name), getattr(model, source_field)
        if current_source and current_source != source_url and not is_litellm_source(current_source):
            continue  # an admin's sourced moment wins
        if (current, current_source) != (moment, source_url):
            changes |= {name: moment, source_field: source_url}
    retired_at = changes.get("retired_at", model.retired_at)
    if isinstance(retired_at, datetime):
        changes |= {k: v for k, v in lifecycle_status(retired_at).items() if getattr(model, k) != v}
    elif (model.deprecated_at or "deprecated_at" in changes) and model.status == LanguageModel.Status.ACTIVE:
        changes["status"] = LanguageModel.Status.DEPRECATED
    if not changes:
        return False
    LanguageModel.objects.filter(pk=model.pk).update(**changes)
    return True


def _feature(keys: list[str]) -> int:
    """Feature the models named (those held, priced and not retired); the count featured."""
    resolved = LanguageModel.objects.resolve(keys)
    alive = LanguageModel.objects.filter(pk__in=[m.pk for m in resolved.values()]).sold()
    priced = alive.filter(pk__in=PriceVersion.objects.effective().values("model_id"))
    return priced.filter(featured=False).update(featured=True)


def parse_moment(value: str) -> datetime:
    """An ISO date (00:00 UTC that day) or an ISO datetime with its zone."""
    if "T" in value:
        moment = parse_datetime(value)
        if moment is None or moment.tzinfo is None:
            raise ValueError(f"{value!r} is not an ISO datetime with a zone")
        return moment.astimezone(UTC)
    day = parse_date(value)
    if day is None:
        raise ValueError(f"{value!r} is not an ISO date")
    return datetime.combine(day, time.min, tzinfo=UTC)
