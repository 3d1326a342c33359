"""Done when: a generic CSV of a few thousand rows across OpenAI, Anthropic, Google and DeepSeek
models over two months (2026-08 and 2026-09: DeepSeek's price changes of 08-17 and 09-10 and
its weekday peak band inside) imports to a total equal to the sum of POST /api/v1/bill over its
rows, each computed through the HTTP API here; rows without a price are counted, never $0."""

import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from usage.models import UsageRow

from .conftest import bill_over_http, csv_bytes, get_import, upload

pytestmark = pytest.mark.django_db

PRICED = [
    "openai/gpt-5.4",
    "openai/gpt-4.1-mini",
    "anthropic/claude-opus-4-6",
    "anthropic/claude-sonnet-4-6",
    "google/gemini-3.1-pro-preview",
    "google/gemini-3-pro-preview",  # an alias the catalogue resolves
    "deepseek/deepseek-v4-pro",
    "deepseek/deepseek-v4-flash",
    "deepseek/deepseek-flash",  # an alias
]
# Not found, and found but retired before August 2026: unpriced, never $0.
UNPRICED = ["openai/gpt-5.4-turbo", "deepseek/deepseek-chat", "google/gemini-2.0-flash"]
OFFSETS = [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))]
ROWS = 2_500


def make_rows(count: int, seed: int = 23) -> list[dict]:
    rng = random.Random(seed)
    start = datetime(2026, 8, 1, tzinfo=UTC)
    rows = []
    for _ in range(count):
        model = rng.choice(UNPRICED) if rng.random() < 0.04 else rng.choice(PRICED)
        moment = (start + timedelta(seconds=rng.randrange(61 * 86_400))).astimezone(rng.choice(OFFSETS))
        tier = "batch" if model.startswith(("openai/", "anthropic/")) and rng.random() < 0.15 else ""
        rows.append(
            {
                "timestamp": moment.isoformat().replace("+00:00", "Z"),
                "model": model,
                "input_tokens": rng.randrange(0, 300_000) if rng.random() < 0.05 else rng.randrange(0, 8_000),
                "cache_read_tokens": rng.choice(["", 0, rng.randrange(0, 20_000)]),
                "cache_write_5m_tokens": rng.randrange(0, 4_000) if model.startswith("anthropic/") else "",
                "output_tokens": rng.randrange(0, 4_000),
                "reasoning_tokens": "",
                "service_tier": tier,
                "reported_cost_usd": "",
                "tags": rng.choice(["", "support", "search;batch-jobs", "support,eval"]),
            }
        )
    return rows


def test_a_two_month_csv_totals_the_sum_of_the_bill_api_over_its_rows(client, seeded):
    rows = make_rows(ROWS)
    status, created = upload(client, csv_bytes(rows))
    assert status == 202, created
    report = get_import(client, created["id"])
    assert report["status"] == "done", report

    answers = [bill_over_http(client, row) for row in rows]
    expected_total = sum((total for code, total in answers if code == 200), Decimal(0))
    refused = sum(1 for code, _ in answers if code != 200)
    assert {code for code, _ in answers} == {200, 400}
    assert Decimal(report["total_usd"]) == expected_total
    assert (report["rows"], report["priced_rows"], report["unpriced_rows"]) == (ROWS, ROWS - refused, refused)
    assert refused == sum(1 for row in rows if row["model"] in UNPRICED)
    assert Decimal(report["share_priced"]) == (Decimal(ROWS - refused) / ROWS).quantize(Decimal("0.0001"))

    by_model = {bucket["key"]: bucket for bucket in report["breakdowns"]["by_model"]}
    flash = [
        total
        for row, (code, total) in zip(rows, answers, strict=True)
        if row["model"].startswith("deepseek/deepseek-") and "flash" in row["model"]
    ]
    assert Decimal(by_model["deepseek/deepseek-v4-flash"]["total_usd"]) == sum(flash, Decimal(0))
    assert by_model["openai/gpt-5.4-turbo"]["total_usd"] is None  # unknown, never $0
    assert by_model["openai/gpt-5.4-turbo"]["priced_rows"] == 0
    days = [bucket["key"] for bucket in report["breakdowns"]["by_day"]]
    assert days == sorted(days) and days[0] >= "2026-07-31" and days[-1] <= "2026-10-01"
    by_day_total = sum((Decimal(b["total_usd"]) for b in report["breakdowns"]["by_day"]), Decimal(0))
    assert by_day_total == expected_total

    [not_found] = report["models_not_found"]
    assert not_found["model"] == "openai/gpt-5.4-turbo"
    assert "openai/gpt-5.4" in not_found["nearest"]


def test_the_import_crosses_deepseeks_price_change_and_peak_band_line_by_line(client, seeded):
    flash, pro = "deepseek/deepseek-v4-flash", "deepseek/deepseek-v4-pro"
    rows = [
        # Before and after 2026-08-17 on V4 Flash: 0.14 then 0.22 per million input tokens.
        {
            "timestamp": "2026-08-16T12:00:00Z",
            "model": flash,
            "input_tokens": 1_000_000,
        },
        {
            "timestamp": "2026-08-18T12:00:00Z",
            "model": flash,
            "input_tokens": 1_000_000,
        },
        # V4 Pro from 2026-08-17: a Tuesday 02:00 UTC is peak (1.32), 12:00 UTC off-peak (0.66).
        {
            "timestamp": "2026-09-01T10:00:00+08:00",
            "model": pro,
            "input_tokens": 1_000_000,
        },
        {"timestamp": "2026-09-01T12:00:00Z", "model": pro, "input_tokens": 1_000_000},
    ]
    status, created = upload(client, csv_bytes(rows, header=["timestamp", "model", "input_tokens"]))
    assert status == 202, created
    report = get_import(client, created["id"])
    assert report["total_usd"] == "2.34"  # 0.14 + 0.22 + 1.32 + 0.66, DeepSeek's published prices
    stored = list(UsageRow.objects.filter(usage_import_id=created["id"]).order_by("number"))
    assert [row.number for row in stored] == [2, 3, 4, 5]
    assert [str(row.cost_usd.normalize()) for row in stored] == ["0.14", "0.22", "1.32", "0.66"]
    assert [row.variant for row in stored] == ["standard", "standard", "peak", "standard"]
    assert stored[0].price_version_id != stored[1].price_version_id
    assert all(line["price_version"] == row.price_version_id for row in stored for line in row.lines)


def test_unpriced_rows_are_counted_with_why_and_never_as_zero(client, seeded):
    rows = [
        {"timestamp": "2026-08-01T00:00:00Z", "model": "deepseek/deepseek-chat", "input_tokens": 1_000},
        {"timestamp": "2026-08-01T00:00:00Z", "model": "openai/gpt-9", "input_tokens": 1_000},
        {"timestamp": "2026-08-01T00:00:00Z", "model": "openai/gpt-4.1-mini", "input_tokens": 1_000_000},
    ]
    _, created = upload(client, csv_bytes(rows, header=["timestamp", "model", "input_tokens"]))
    report = get_import(client, created["id"])
    assert (report["rows"], report["priced_rows"], report["unpriced_rows"]) == (3, 1, 2)
    assert report["total_usd"] == "0.4"  # GPT-4.1 mini: $0.40 per million input tokens
    assert report["share_priced"] == "0.3333"
    reasons = {item["reason"]: item["rows"] for item in report["unpriced_reasons"]}
    assert reasons == {
        "model not found in the catalogue": 1,
        "retired on 2026-07-24 15:59 UTC; no price after that": 1,
    }
    stored = UsageRow.objects.filter(usage_import_id=created["id"], cost_usd__isnull=True)
    assert stored.count() == 2


def test_a_bare_id_resolves_when_one_model_has_it(client, seeded):
    rows = [{"timestamp": "2026-08-01T00:00:00Z", "model": "gpt-4.1-mini", "input_tokens": 1_000_000}]
    _, created = upload(client, csv_bytes(rows, header=["timestamp", "model", "input_tokens"]))
    report = get_import(client, created["id"])
    assert (report["priced_rows"], report["total_usd"]) == (1, "0.4")
    assert report["breakdowns"]["by_model"][0]["key"] == "openai/gpt-4.1-mini"


def test_tags_split_the_totals(client, seeded):
    rows = [
        {
            "timestamp": "2026-08-01T00:00:00Z",
            "model": "openai/gpt-4.1-mini",
            "input_tokens": 1_000_000,
            "tags": "support;eval",
        },
        {
            "timestamp": "2026-08-01T00:00:00Z",
            "model": "openai/gpt-4.1-mini",
            "output_tokens": 1_000_000,
            "tags": "support",
        },
    ]
    _, created = upload(
        client, csv_bytes(rows, header=["timestamp", "model", "input_tokens", "output_tokens", "tags"])
    )
    by_tag = {b["key"]: b["total_usd"] for b in get_import(client, created["id"])["breakdowns"]["by_tag"]}
    assert by_tag == {"support": "2", "eval": "0.4"}  # 0.40 in + 1.60 out per million


def test_an_import_can_be_deleted_and_is_then_gone(client, seeded, usage_settings):
    rows = [{"timestamp": "2026-08-01T00:00:00Z", "model": "openai/gpt-4.1-mini", "input_tokens": 10}]
    _, created = upload(client, csv_bytes(rows, header=["timestamp", "model", "input_tokens"]))
    assert client.delete(f"/api/v1/usage/imports/{created['id']}").status_code == 204
    assert client.get(f"/api/v1/usage/imports/{created['id']}").status_code == 404
    assert not UsageRow.objects.filter(usage_import_id=created["id"]).exists()
    assert list(usage_settings.USAGE_UPLOAD_DIR.glob("*")) == []  # the file went once priced


def test_a_day_with_no_priced_row_has_an_unknown_cost_not_zero():
    from usage.summary import Bucket

    bucket = Bucket()
    bucket.add(None, None)
    assert bucket.as_json()["total_usd"] is None
    bucket.add(Decimal("0.5"), None)
    assert bucket.as_json()["total_usd"] == "0.5"
