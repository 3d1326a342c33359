"""Seed prices corrected from published sources (checked 2026-12-06).

DeepSeek: its V4 announcement and pricing page: V4 launched 2026-04-24 with Pro at 1.74 / 3.48
(cache hit 0.145) and Flash at 0.14 / 0.28 (cache hit 0.028); "the input cache hit price has been
reduced to 1/10 of the launch price ... from 2026/4/26 12:15 UTC"; Pro's 75% promotion (0.435 /
0.87) made permanent on 2026-05-22; time bands from 2026-08-17 00:00 Beijing time (2026-08-16 16:00
UTC), peak hours on weekdays only (twice the off-peak rate). Anthropic: Claude 3.5 Haiku's launch
announcement (2024-11-04, 1.00 / 5.00) and pricing page (1-hour cache writes at twice the input
rate: Haiku 4.5 2.00).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pricing.models import PriceVersion
from pricing.services.seed import load_seed_catalogue
from tests.conftest import utc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded(db: object) -> None:
    load_seed_catalogue()


def rates(slug: str, at: object) -> tuple[D, D, D | None]:
    version = PriceVersion.objects.effective(at=at).get(model__slug=slug)  # type: ignore[arg-type]
    return version.input_usd_per_mtok, version.output_usd_per_mtok, version.cache_read_usd_per_mtok


def bill(client, model: str, at: str, **usage: int) -> str:
    response = client.post("/api/v1/bill", {"model": model, "at": at, "usage": usage}, "application/json")
    assert response.status_code == 200, response.content
    return response.json()["total_usd"]


@pytest.mark.parametrize(
    ("slug", "at", "expected"),
    [
        ("deepseek-v4-pro", utc(2026, 4, 24, 12), (D("1.74"), D("3.48"), D("0.145"))),
        ("deepseek-v4-pro", utc(2026, 4, 26, 12, 14), (D("1.74"), D("3.48"), D("0.145"))),
        ("deepseek-v4-pro", utc(2026, 4, 26, 12, 15), (D("0.435"), D("0.87"), D("0.003625"))),
        ("deepseek-v4-pro", utc(2026, 6, 1), (D("0.435"), D("0.87"), D("0.003625"))),
        ("deepseek-v4-flash", utc(2026, 4, 26, 12, 14), (D("0.14"), D("0.28"), D("0.028"))),
        ("deepseek-v4-flash", utc(2026, 4, 26, 12, 15), (D("0.14"), D("0.28"), D("0.0028"))),
        ("deepseek-v4-pro", utc(2026, 8, 16, 15, 59), (D("0.435"), D("0.87"), D("0.003625"))),
        ("deepseek-v4-pro", utc(2026, 8, 16, 16), (D("0.66"), D("1.98"), D("0.022"))),
        ("deepseek-v4-flash", utc(2026, 8, 16, 16), (D("0.22"), D("0.66"), D("0.007"))),
    ],
)
def test_deepseek_v4_prices_follow_deepseeks_own_moments(slug, at, expected):
    assert rates(slug, at) == expected


def test_a_sunday_estimate_bills_v4_at_its_off_peak_price_and_a_weekday_at_twice_it(client):
    # 03:00 UTC is 11:00 in Beijing: peak on a weekday, off-peak on Sunday 2026-08-23.
    million = {"input_tokens": 1_000_000, "output_tokens": 1_000_000}
    assert (
        bill(client, "deepseek/deepseek-v4-pro", "2026-08-23T03:00:00Z", **million) == "2.64"
    )  # 0.66 + 1.98
    assert (
        bill(client, "deepseek/deepseek-v4-pro", "2026-08-24T03:00:00Z", **million) == "5.28"
    )  # 1.32 + 3.96
    # Flash's bands started with Pro's, not with its 2026-09-10 price.
    assert (
        bill(client, "deepseek/deepseek-v4-flash", "2026-08-23T03:00:00Z", **million) == "0.88"
    )  # 0.22 + 0.66
    assert (
        bill(client, "deepseek/deepseek-v4-flash", "2026-08-24T03:00:00Z", **million) == "1.76"
    )  # 0.44 + 1.32


def test_claude_3_5_haiku_launched_at_1_and_5_dollars(client):
    assert rates("claude-3-5-haiku-20241022", utc(2024, 11, 5)) == (D("1.00"), D("5.00"), D("0.10"))


def test_claude_haiku_4_5_bills_one_hour_cache_writes_at_its_own_rate_from_launch(client):
    total = bill(
        client, "anthropic/claude-haiku-4-5", "2025-11-01T00:00:00Z", cache_write_1h_tokens=1_000_000
    )
    assert total == "2"


# deepseek-reasoner, from DeepSeek's pages: the R1 release (api-docs.deepseek.com/news/news250120) and
# the pricing page as it read before 2025-09-05 (0.55 cache miss / 0.14 cache hit / 2.19 out); the
# pricing page's "Starting from 16:00 UTC Time on Sept 5th, 2025" list (both deepseek-chat and
# deepseek-reasoner at 0.56 / 0.07 / 1.68); the V3.2-Exp announcement (news250929: 0.28 / 0.028 /
# 0.42); the V4 announcement (news260424: the alias serves V4 Flash, 0.14 / 0.028 / 0.28, and is
# retired after 2026-07-24 15:59 UTC) and the 2026-04-26 12:15 UTC cache cut (0.0028).
@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2025, 1, 20, 12), (D("0.55"), D("2.19"), D("0.14"))),
        (utc(2025, 9, 5, 15, 59), (D("0.55"), D("2.19"), D("0.14"))),
        (utc(2025, 9, 5, 16), (D("0.56"), D("1.68"), D("0.07"))),
        (utc(2025, 9, 28, 23, 59), (D("0.56"), D("1.68"), D("0.07"))),
        (utc(2025, 9, 29), (D("0.28"), D("0.42"), D("0.028"))),
        (utc(2026, 4, 24, 12), (D("0.14"), D("0.28"), D("0.028"))),
        (utc(2026, 4, 26, 12, 15), (D("0.14"), D("0.28"), D("0.0028"))),
    ],
)
def test_deepseek_reasoner_follows_deepseeks_2025_and_2026_price_changes(at, expected):
    assert rates("deepseek-reasoner", at) == expected


def test_deepseek_chat_served_v4_flash_with_its_cache_hit_price_before_and_after_the_cut():
    # V4 announcement (news260424): 0.028 per cache hit at launch; cut to 0.0028 at 2026-04-26 12:15 UTC.
    assert rates("deepseek-chat", utc(2026, 4, 26, 12, 14)) == (D("0.14"), D("0.28"), D("0.028"))
    assert rates("deepseek-chat", utc(2026, 4, 26, 12, 15)) == (D("0.14"), D("0.28"), D("0.0028"))


def test_deepseek_reasoner_bills_its_2025_changes_and_is_refused_after_its_retirement(client):
    million = {"input_tokens": 1_000_000, "output_tokens": 1_000_000}
    reasoner = "deepseek/deepseek-reasoner"
    assert bill(client, reasoner, "2025-06-02T10:00:00Z", **million) == "2.74"  # 0.55 + 2.19
    assert bill(client, reasoner, "2025-09-10T10:00:00Z", **million) == "2.24"  # 0.56 + 1.68
    assert bill(client, reasoner, "2025-10-01T10:00:00Z", **million) == "0.7"  # 0.28 + 0.42
    assert bill(client, reasoner, "2026-07-24T15:58:00Z", cache_read_tokens=1_000_000) == "0.0028"
    body = {"model": reasoner, "at": "2026-07-24T16:00:00Z", "usage": million}
    after = client.post("/api/v1/bill", body, "application/json")
    assert after.status_code == 400 and after.json()["error"]["field"] == "at"
