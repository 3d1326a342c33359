"""backfill_price_history end to end against a local index: fetch, cache, replay, fixture, publish."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from pricing.models import LanguageModel, PriceSnapshot, PriceVersion

from .conftest import genai_wheel, litellm_wheel, model_py

pytestmark = pytest.mark.django_db

GENAI_0 = datetime(2025, 7, 11, 17, 41, 26, tzinfo=UTC)
GENAI_1 = datetime(2025, 8, 2, 9, 0, tzinfo=UTC)


def publish_releases(index) -> None:
    index.publish(
        "litellm", "1.60.0", litellm_wheel({"openai/o3-mini": ("1.1", "4.4")}), "2025-02-01T00:00:00Z"
    )
    index.publish(
        "litellm", "1.68.0", litellm_wheel({"openai/o3-mini": ("1.1", "4.4")}), "2025-05-04T05:41:44Z"
    )
    first = genai_wheel(model_py("o3-mini", "1.1", "4.4"), provider="openai")
    index.publish("genai-prices", "0", first, "2025-07-11T17:41:26Z")
    both = model_py("o3-mini", "1.1", "4.4") + "\n" + model_py("acme-2", "3", "15")
    index.publish("genai-prices", "0.0.1", genai_wheel(both, provider="openai"), "2025-08-02T09:00:00Z")


def backfill(tmp_path, *args: str) -> str:
    out = StringIO()
    call_command("backfill_price_history", *args, fixture=tmp_path / "history.json.gz", stdout=out)
    return out.getvalue()


def test_the_backfill_publishes_each_price_with_its_snapshot_and_window(index, tmp_path, settings) -> None:
    settings.VAR_DIR = tmp_path
    settings.PRICE_REFRESH_LITELLM_NEW_PROVIDERS = []
    publish_releases(index)
    backfill(tmp_path, "--source", "litellm", "--every", "30d")
    output = backfill(tmp_path, "--source", "genai-prices")
    assert "genai-prices: 2 of 2 cached snapshots parsed" in output
    assert "[2/2] genai-prices 0.0.1 (2025-08-02 09:00 UTC) fetched" in output
    new = PriceVersion.objects.get(model__slug="acme-2")
    assert (new.effective_from, new.effective_from_earliest, new.start_basis) == (GENAI_1, GENAI_0, "window")
    assert (new.snapshot.project, new.snapshot.version, new.snapshot.upload_time) == (
        "genai-prices",
        "0.0.1",
        GENAI_1,
    )
    assert new.snapshot.wheel_sha256 == new.snapshot.content_sha256  # a whole wheel: one hash
    # LiteLLM's earlier snapshot is the first evidence of o3-mini: no earlier one, start unknown.
    [first] = PriceVersion.objects.filter(model__slug="o3-mini")
    assert (first.effective_from.date().isoformat(), first.start_basis) == ("2025-02-01", "first_seen")
    assert first.snapshot.member.endswith("model_prices_and_context_window_backup.json")
    assert (first.input_usd_per_mtok, first.output_usd_per_mtok) == (Decimal("1.1"), Decimal("4.4"))
    assert not PriceVersion.objects.filter(effective_from__lt=datetime(2025, 2, 1, tzinfo=UTC)).exists()


def test_running_the_backfill_again_publishes_nothing_and_edits_nothing(index, tmp_path, settings) -> None:
    settings.VAR_DIR = tmp_path
    publish_releases(index)
    backfill(tmp_path, "--source", "genai-prices")
    before = list(PriceVersion.objects.order_by("pk").values())
    output = backfill(tmp_path, "--source", "genai-prices", "--offline")
    assert "0 versions published" in output
    assert list(PriceVersion.objects.order_by("pk").values()) == before
    assert PriceSnapshot.objects.count() == 2 and LanguageModel.objects.count() == 2


def test_a_bad_interval_is_refused_naming_the_option(index, tmp_path, settings) -> None:
    settings.VAR_DIR = tmp_path
    with pytest.raises(Exception, match="--every"):
        backfill(tmp_path, "--source", "litellm", "--every", "monthly")
