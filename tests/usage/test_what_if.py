"""What if: the same usage on another model, scaled by the tokenizers' ratio measured on the
corpus. Expected ratios come from the reference libraries (tiktoken, Hugging Face tokenizers)
counting the same corpus; expected totals from POST /api/v1/bill on the scaled usage."""

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.reference import deepseek_count, o200k_count
from usage.whatif import CORPUS_KINDS, corpus

from .conftest import bill_over_http, get_import, post_rows

pytestmark = pytest.mark.django_db
MINI = "openai/gpt-4.1-mini"
ROWS = [
    {"timestamp": "2026-09-01T02:00:00Z", "model": MINI, "input_tokens": 120_000, "output_tokens": 3_000},
    {
        "timestamp": "2026-09-05T12:00:00Z",
        "model": MINI,
        "input_tokens": 5_000,
        "cache_read_tokens": 40_000,
        "output_tokens": 800,
    },
    {"timestamp": "2026-09-14T07:00:00Z", "model": MINI, "input_tokens": 64_000, "output_tokens": 10_000},
]


def imported(client) -> str:
    status, created = post_rows(client, ROWS)
    assert status == 202, created
    return created["id"]


def what_if(client, import_id, **params):
    response = client.get(f"/api/v1/usage/imports/{import_id}/what-if", params)
    return response.status_code, json.loads(response.content)


def scaled_bill(client, row: dict, model: str, ratio: Decimal) -> Decimal:
    scaled = {
        name: int((Decimal(value) * ratio).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if "tokens" in name
        else value
        for name, value in row.items()
    }
    status, total = bill_over_http(client, {**scaled, "model": model})
    assert status == 200
    return total


def test_on_a_model_with_the_same_tokenizer_the_total_is_the_bill_of_each_row(client, seeded):
    import_id = imported(client)
    status, body = what_if(client, import_id, model="openai/gpt-4.1")
    assert status == 200, body
    expected = sum(scaled_bill(client, row, "openai/gpt-4.1", Decimal(1)) for row in ROWS)
    assert Decimal(body["total_usd"]) == expected
    assert body["range"] == {"low_usd": body["total_usd"], "high_usd": body["total_usd"]}
    assert body["ratios"][0]["mid"] == "1" and body["limits"]


def test_another_tokenizer_scales_the_tokens_by_the_ratio_the_reference_libraries_measure(client, seeded):
    texts = corpus()
    counts = {kind: (o200k_count(texts[kind]), deepseek_count(texts[kind])) for kind in CORPUS_KINDS}
    quantum = Decimal("0.0001")
    by_kind = {kind: (Decimal(t) / Decimal(s)).quantize(quantum) for kind, (s, t) in counts.items()}
    mid = (Decimal(sum(t for _, t in counts.values())) / sum(s for s, _ in counts.values())).quantize(quantum)

    import_id = imported(client)
    status, body = what_if(client, import_id, model="deepseek/deepseek-v4-flash")
    assert status == 200, body
    [ratio] = body["ratios"]
    assert (ratio["from_tokenizer"], ratio["to_tokenizer"]) == ("o200k_base", "deepseek_v3")
    assert {kind: Decimal(value) for kind, value in ratio["by_kind"].items()} == by_kind
    assert Decimal(ratio["mid"]) == mid
    flash = "deepseek/deepseek-v4-flash"  # the first row is in its weekday peak band (01:00-04:00 UTC)
    assert Decimal(body["total_usd"]) == sum(scaled_bill(client, row, flash, mid) for row in ROWS)
    low = sum(scaled_bill(client, row, flash, min(by_kind.values())) for row in ROWS)
    high = sum(scaled_bill(client, row, flash, max(by_kind.values())) for row in ROWS)
    assert (Decimal(body["range"]["low_usd"]), Decimal(body["range"]["high_usd"])) == (low, high)


def test_a_tier_the_model_does_not_offer_leaves_rows_unpriced_and_counted(client, seeded):
    import_id = imported(client)
    status, body = what_if(client, import_id, model="deepseek/deepseek-v4-flash", service_tier="priority")
    assert status == 200
    assert (body["rows"], body["priced_rows"], body["unpriced_rows"], body["total_usd"]) == (3, 0, 3, None)


def test_an_unknown_model_is_a_400_with_the_nearest_names(client, seeded):
    status, body = what_if(client, imported(client), model="openai/gpt-4.2")
    assert status == 400 and body["error"]["field"] == "model"
    assert "openai/gpt-4.1" in body["error"]["message"]


def test_the_cheapest_alternatives_are_sorted_and_include_the_bill_of_the_same_tokenizer(client, seeded):
    import_id = imported(client)
    response = client.get(f"/api/v1/usage/imports/{import_id}/alternatives")
    assert response.status_code == 200
    table = json.loads(response.content)
    priced = [row for row in table if row["unpriced_rows"] == 0]
    assert [Decimal(row["total_usd"]) for row in priced] == sorted(
        Decimal(row["total_usd"]) for row in priced
    )
    assert get_import(client, import_id)["status"] == "done"
