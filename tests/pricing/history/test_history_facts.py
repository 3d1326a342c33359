"""The committed history (seed + snapshot fixture, what `make run` loads) against published prices.

Expected prices are the providers' own: OpenAI cut o3 from $10/$40 to $2/$8 on 2025-06-10;
DeepSeek V3 (deepseek-chat) cost 0.14/0.28 until 2025-02-08, then 0.27/1.10, then 0.56/1.68 from
2025-09-05 16:00 UTC, then 0.28/0.42 from 2025-09-29 (../shared/PRODUCT.md, "Facts for fixtures").
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from pricing.models import LanguageModel, PriceVersion
from pricing.selectors.catalogue import models_with_prices

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return (
        datetime.fromisoformat(text).replace(tzinfo=UTC)
        if "T" in text
        else datetime.fromisoformat(text + "T00:00").replace(tzinfo=UTC)
    )


def price(key: str, when: str) -> tuple[Decimal, Decimal] | None:
    provider, model = key.split("/")
    version = (
        PriceVersion.objects.effective(at=at(when))
        .filter(model__provider__slug=provider, model__slug=model)
        .first()
    )
    return None if version is None else (version.input_usd_per_mtok, version.output_usd_per_mtok)


def test_well_known_price_changes_come_out_right_on_both_sides() -> None:
    call_command("load_catalogue", verbosity=0)
    assert price("openai/o3", "2025-05-20") == (Decimal("10"), Decimal("40"))
    assert price("openai/o3", "2025-06-20") == (Decimal("2"), Decimal("8"))
    assert price("openai/o3", "2025-03-01") is None  # released 2025-04-16: no evidence before
    chat = "deepseek/deepseek-chat"
    assert price(chat, "2025-01-15") == (Decimal("0.14"), Decimal("0.28"))
    assert price(chat, "2025-03-01") == (Decimal("0.27"), Decimal("1.1"))
    assert price(chat, "2025-09-05T15:59") == (Decimal("0.27"), Decimal("1.1"))
    assert price(chat, "2025-09-05T16:00") == (Decimal("0.56"), Decimal("1.68"))
    assert price(chat, "2025-10-15") == (Decimal("0.28"), Decimal("0.42"))


def test_the_catalogue_prices_only_what_evidence_shows_at_each_date() -> None:
    call_command("load_catalogue", verbosity=0)

    def priced(when: str) -> int:
        return PriceVersion.objects.effective(at=at(when)).values("model").distinct().count()

    assert priced("2023-03-01") < 50  # tens at most, not thousands
    assert priced("2024-01-01") <= 300  # a few hundred at most
    assert priced("2026-11-20") > 1900  # about 2,000 today
    # No start is a constant: the old placeholder is gone, and each start is exact, a window or first seen.
    assert not PriceVersion.objects.filter(effective_from=at("2023-01-01")).exists()
    windows = PriceVersion.objects.filter(start_basis="window")
    assert windows.count() > 1000
    assert not windows.filter(effective_from_earliest__isnull=True).exists()
    assert not PriceVersion.objects.filter(
        start_basis="exact", snapshot__isnull=False, effective_from__second__gt=0
    )


def test_an_estimate_before_a_models_first_evidence_says_so_in_its_row(client) -> None:
    call_command("load_catalogue", verbosity=0)
    body = {"input_tokens": 1000, "output_tokens": 500, "models": ["openai/o3", "openai/gpt-4.1-mini"]}
    response = client.post(
        "/api/v1/estimate", json.dumps(body | {"as_of": "2025-03-01"}), content_type="application/json"
    )
    assert response.status_code == 200
    rows = {row["model"]: row for row in response.json()["results"]}
    o3 = rows["o3"]
    assert (o3["total_usd"], o3["price_version"], o3["input_tokens"]) == (None, None, 1000)
    assert o3["price_note"] == "no price known before 2025-05-04"
    assert rows["gpt-4.1-mini"]["price_note"] == "no price known before 2025-04-14"  # its release
    later = client.post(
        "/api/v1/estimate", json.dumps(body | {"as_of": "2025-05-20"}), content_type="application/json"
    ).json()
    may = {row["model"]: row for row in later["results"]}
    assert may["gpt-4.1-mini"]["total_usd"] == "0.0012"  # PRODUCT.md's golden number
    o3_may = may["o3"]
    assert o3_may["total_usd"] == "0.03"  # 1,000 × $10/M + 500 × $40/M
    assert (o3_may["start_basis"], o3_may["effective_from_earliest"][:10]) == ("window", "2025-04-03")


def test_the_model_page_and_the_price_history_api_say_how_each_start_is_known(client) -> None:
    call_command("load_catalogue", verbosity=0)
    page = client.get("/models/openai/o3").content.decode()
    assert "set between 2025-04-03 and 2025-05-04" in page
    assert "evidence: litellm 1.68.0, published 2025-05-04 05:41 UTC" in page
    history = client.get("/api/v1/models/openai/o3/prices").json()["history"]
    first = history[-1]
    assert first["start"] == "set between 2025-04-03 and 2025-05-04"
    assert first["effective_from_earliest"].startswith("2025-04-03")
    assert first["evidence"]["package"] == "litellm" and first["evidence"]["version"] == "1.68.0"
    assert len(first["evidence"]["wheel_sha256"]) == 64


def test_2024_prices_come_out_as_the_providers_published_them() -> None:
    """OpenAI's GPT-4o launch price (2024-05-13) was $5 / $15, GPT-4o mini's (2024-07-18)
    $0.15 / $0.60; Anthropic's Claude 3.5 Sonnet (2024-06-20) $3 / $15."""
    call_command("load_catalogue", verbosity=0)
    assert price("openai/gpt-4o", "2024-07-01") == (Decimal("5"), Decimal("15"))
    assert price("openai/gpt-4o-mini", "2024-08-01") == (Decimal("0.15"), Decimal("0.6"))
    assert price("anthropic/claude-3-5-sonnet", "2024-07-01") == (Decimal("3"), Decimal("15"))
    assert price("anthropic/claude-3-5-sonnet", "2024-06-19") is None  # before its launch


def test_a_2024_window_holds_the_published_launch_day() -> None:
    call_command("load_catalogue", verbosity=0)
    for key, launch in (("openai/gpt-4o-mini", "2024-07-18"),):
        provider, model = key.split("/")
        first = (
            PriceVersion.objects.standing()
            .filter(model__provider__slug=provider, model__slug=model)
            .order_by("effective_from")
            .select_related("snapshot")
            .first()
        )
        assert first is not None and first.start_basis == "window"
        assert first.effective_from_earliest < at(launch) <= first.effective_from
        assert first.snapshot.project == "tokencost"  # the index has no litellm wheel then
    # GPT-4o's launch is a curated fact (OpenAI's announcement), not a window.
    gpt_4o = PriceVersion.objects.standing().filter(model__slug="gpt-4o", model__provider__slug="openai")
    launch_version = gpt_4o.order_by("effective_from").first()
    assert launch_version is not None and launch_version.effective_from == at("2024-05-13")
    assert launch_version.source_url == "https://openai.com/index/hello-gpt-4o/"


def test_catalogue_stats_counts_models_priced_at_each_year_start() -> None:
    call_command("load_catalogue", verbosity=0)
    out = StringIO()
    call_command("catalogue_stats", "--at", "2024-07-01", stdout=out)
    rows = dict(
        line.strip("|").split("|")[:2] for line in out.getvalue().splitlines() if line.startswith("| 20")
    )
    counts = {day.strip(): int(count.strip().replace(",", "")) for day, count in rows.items()}
    assert counts["2023-01-01"] == 0
    assert counts["2024-01-01"] < counts["2024-07-01"] < counts["2025-01-01"] < counts["2026-01-01"]
    # The same number as the catalogue listing shows as of that date (the pages' own selector).
    listed = models_with_prices(at=at("2024-07-01"), with_evidence=False)
    assert counts["2024-07-01"] == sum(1 for row in listed if row.version is not None)


def test_mid_2024_is_priced_for_hundreds_of_models_from_dated_evidence() -> None:
    """Issue 21: at least 300 models priced as of 2024-07-01 on the bundled data; models sold
    before genai-prices existed come from LiteLLM's map, as litellm or tokencost published it."""
    call_command("load_catalogue", verbosity=0)
    july = PriceVersion.objects.effective(at=at("2024-07-01")).exclude(
        model__retired_at__lte=at("2024-07-01")
    )
    assert july.values("model").distinct().count() >= 300
    evidence = set(july.values_list("snapshot__project", flat=True))
    assert {"tokencost", "litellm"} <= evidence
    # A legacy model LiteLLM stopped listing is flagged for review, not retired.
    palm = LanguageModel.objects.get(provider__slug="palm", slug="chat-bison")
    assert palm.missing_since is not None and palm.retired_at is None
