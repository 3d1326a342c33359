"""Reconciliation: where the file carries a reported cost, the difference (computed minus
reported) per day, model and tag, and its causes where they can be told."""

import pytest

from .conftest import csv_bytes, get_import, upload

pytestmark = pytest.mark.django_db
HEADER = ["timestamp", "model", "input_tokens", "cache_write_5m_tokens", "reported_cost_usd", "tags"]
MINI = "openai/gpt-4.1-mini"  # $0.40 per million input tokens


def imported(client, rows):
    status, created = upload(client, csv_bytes(rows, header=HEADER))
    assert status == 202, created
    return get_import(client, created["id"])


def test_the_difference_is_computed_minus_reported_per_day_model_and_tag(client, seeded):
    report = imported(
        client,
        [
            {
                "timestamp": "2026-08-01T10:00:00Z",
                "model": MINI,
                "input_tokens": 1_000_000,
                "reported_cost_usd": "0.50",
                "tags": "a",
            },
            {
                "timestamp": "2026-08-02T10:00:00Z",
                "model": MINI,
                "input_tokens": 1_000_000,
                "reported_cost_usd": "0.30",
                "tags": "b",
            },
            {"timestamp": "2026-08-02T11:00:00Z", "model": MINI, "input_tokens": 1_000_000, "tags": "b"},
        ],
    )
    assert (report["total_usd"], report["reported_usd"], report["difference_usd"]) == ("1.2", "0.8", "0")
    days = {b["key"]: (b["reported_usd"], b["difference_usd"]) for b in report["breakdowns"]["by_day"]}
    assert days == {"2026-08-01": ("0.5", "-0.1"), "2026-08-02": ("0.3", "0.1")}
    tags = {b["key"]: (b["reconciled_rows"], b["difference_usd"]) for b in report["breakdowns"]["by_tag"]}
    assert tags == {"a": (1, "-0.1"), "b": (1, "0.1")}
    [model] = report["reconciliation"]
    assert (model["model"], model["reported_rows"], model["difference_usd"]) == (MINI, 2, "0")


def test_an_unpriced_row_with_a_reported_cost_is_left_out_and_said(client, seeded):
    report = imported(
        client,
        [
            {
                "timestamp": "2026-08-01T10:00:00Z",
                "model": "deepseek/deepseek-chat",
                "input_tokens": 10,
                "reported_cost_usd": "0.25",
            },
            {
                "timestamp": "2026-08-01T10:00:00Z",
                "model": MINI,
                "input_tokens": 1_000_000,
                "reported_cost_usd": "0.4",
            },
        ],
    )
    assert (report["reported_usd"], report["difference_usd"], report["reconciled_rows"]) == ("0.65", "0", 1)
    chat = next(r for r in report["reconciliation"] if r["model"] == "deepseek/deepseek-chat")
    assert chat["causes"] == ["rows unpriced here carry $0.25 of reported cost, left out of the comparison"]


def test_a_price_change_inside_the_period_and_a_time_band_are_named(client, seeded):
    flash = "deepseek/deepseek-v4-flash"
    report = imported(
        client,
        [  # 0.22 from 2026-08-17; from 2026-09-10 0.15 off-peak and 0.30 at peak (Tuesday 02:00 UTC)
            {
                "timestamp": "2026-08-18T12:00:00Z",
                "model": flash,
                "input_tokens": 1_000_000,
                "reported_cost_usd": "0.22",
            },
            {
                "timestamp": "2026-09-15T02:00:00Z",
                "model": flash,
                "input_tokens": 1_000_000,
                "reported_cost_usd": "0.15",
            },
        ],
    )
    [row] = report["reconciliation"]
    assert row["difference_usd"] == "0.15"
    assert (
        row["causes"][0]
        == "the price changed inside the period (from 2026-09-10): each row billed at its own"
    )
    assert row["causes"][1] == "rows billed on another tier or time band: peak (1 rows)"


def test_a_difference_within_rounding_is_called_rounding(client, seeded):
    report = imported(
        client,
        [
            {
                "timestamp": "2026-08-01T10:00:00Z",
                "model": MINI,
                "input_tokens": 1_234,
                "reported_cost_usd": "0.0005",
            }
        ],
    )
    [row] = report["reconciliation"]
    assert row["difference_usd"] == "-0.0000064"  # 1,234 x 0.40 / 1e6 = 0.0004936
    assert row["causes"] == ["within rounding: reported costs carry 4 decimal places"]
