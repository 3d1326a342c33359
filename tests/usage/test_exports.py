"""FOCUS exports: one row per bill line with the FinOps FOCUS column names; costs sum to the
import's total; an unpriced row is exported with empty costs and its reason, never as $0."""

import csv
import io
import json
from decimal import Decimal

import pytest

from usage.exports import FOCUS_COLUMNS

from .conftest import csv_bytes, get_import, upload

pytestmark = pytest.mark.django_db
ROWS = [  # GPT-4.1 mini: $0.40 in, $1.60 out per million
    {
        "timestamp": "2026-09-01T10:15:00+02:00",
        "model": "openai/gpt-4.1-mini",
        "input_tokens": 1_000_000,
        "output_tokens": 1_000_000,
        "reported_cost_usd": "2.05",
        "tags": "support",
    },
    {
        "timestamp": "2026-09-01T11:00:00Z",
        "model": "openai/gpt-9",
        "input_tokens": 5,
        "output_tokens": 0,
        "reported_cost_usd": "",
        "tags": "",
    },
]
HEADER = ["timestamp", "model", "input_tokens", "output_tokens", "reported_cost_usd", "tags"]


def imported(client) -> str:
    status, created = upload(client, csv_bytes(ROWS, header=HEADER))
    assert status == 202
    return created["id"]


def test_the_csv_names_focus_columns_and_its_costs_sum_to_the_total(client, seeded):
    import_id = imported(client)
    response = client.get(f"/api/v1/usage/imports/{import_id}/focus.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    records = list(csv.DictReader(io.StringIO(text)))
    assert {"BilledCost", "ListCost", "EffectiveCost", "ChargePeriodStart", "ChargePeriodEnd"} <= set(
        records[0]
    )
    assert list(records[0]) == list(FOCUS_COLUMNS)
    priced = [r for r in records if r["BilledCost"]]
    assert [(r["SkuId"], r["BilledCost"], r["PricingQuantity"], r["PricingUnit"]) for r in priced] == [
        ("openai/gpt-4.1-mini:input", "0.4", "1", "1M Tokens"),
        ("openai/gpt-4.1-mini:output", "1.6", "1", "1M Tokens"),
    ]
    total = sum(Decimal(r["BilledCost"]) for r in priced)
    assert total == Decimal(get_import(client, import_id)["total_usd"])
    first = priced[0]
    assert (first["ChargePeriodStart"], first["ChargePeriodEnd"]) == (
        "2026-09-01T08:00:00+00:00",
        "2026-09-01T09:00:00+00:00",
    )
    assert (first["x_ReportedCost"], priced[1]["x_ReportedCost"], json.loads(first["Tags"])) == (
        "2.05",
        "",
        {"support": ""},
    )
    [unpriced] = [r for r in records if not r["BilledCost"]]
    assert (unpriced["x_Model"], unpriced["x_UnpricedReason"]) == (
        "openai/gpt-9",
        "model not found in the catalogue",
    )
    assert unpriced["EffectiveCost"] == unpriced["ListCost"] == ""


def test_the_json_export_holds_the_same_records(client, seeded):
    import_id = imported(client)
    response = client.get(f"/api/v1/usage/imports/{import_id}/focus.json")
    body = json.loads(b"".join(response.streaming_content))
    assert body["columns"] == list(FOCUS_COLUMNS)
    assert [r["BilledCost"] for r in body["rows"]] == ["0.4", "1.6", None]
    assert body["rows"][2]["x_UnpricedReason"] == "model not found in the catalogue"
