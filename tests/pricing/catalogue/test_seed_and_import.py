"""Seed and import in either order on a fresh database give the same catalogue.

A new install whose first refresh (beat or "Refresh now") runs before ``load_catalogue`` used to
skip most seed versions: history is append-only, so curated dates could not go under imported
ones. Slow-ish: the whole bundled genai-prices snapshot is imported twice.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from pricing.models import LanguageModel, PriceVersion
from pricing.refresh import refresh_prices

pytestmark = pytest.mark.django_db


def catalogue(since: datetime) -> dict[str, object]:
    """Everything a user sees of the catalogue, without ids, run links or check times; a version
    an import dates "now" (no upstream date) is dated "<import>"."""
    models = {
        m.key: (
            m.name,
            m.tier,
            m.status,
            m.featured,
            m.context_window,
            m.retired_at,
            m.deprecated_at,
            m.alias_of.key if m.alias_of else None,
        )
        for m in LanguageModel.objects.select_related("provider", "alias_of__provider")
    }
    versions = sorted(
        (v.model.key, _start(v, since), str(v.to_rates()), v.origin, v.change_reason.replace(_day(since), ""))
        for v in PriceVersion.objects.select_related("model__provider").prefetch_related("tiers")
    )
    return {"models": models, "versions": versions}


def _start(version: PriceVersion, since: datetime) -> str:
    return "<import>" if version.effective_from >= since else version.effective_from.isoformat()


def _day(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d}"


def in_order(*steps: str) -> dict[str, object]:
    since = timezone.now()
    with transaction.atomic():
        for step in steps:
            if step == "seed":
                call_command("load_catalogue", verbosity=0)
            else:
                run = refresh_prices(source="genai-prices", bundled=True)
                assert run.status == "succeeded", run.error
        result = catalogue(since)
        transaction.set_rollback(True)
    return result


def test_import_first_and_seed_first_give_the_same_catalogue() -> None:
    seed_first = in_order("seed", "import")
    import_first = in_order("import", "seed")
    assert import_first == seed_first
    featured = [key for key, fields in seed_first["models"].items() if fields[3]]
    assert len(featured) > 15
    opus = [v for v in seed_first["versions"] if v[0] == "anthropic/claude-opus-4-6"]
    assert [v[1][:10] for v in opus][:2] == ["2026-02-05", "2026-03-13"]  # the 200k tier's dates
