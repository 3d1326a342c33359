"""Saved comparisons: permalink, JSON and CSV export, and reproducing every number from the export."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest

from calculator.models import Comparison
from pricing.services.seed import load_seed_catalogue
from pricing.services.versions import publish_price_version
from tests.conftest import utc

pytestmark = pytest.mark.django_db
TEXT = "Summarise this support ticket: the customer cannot log in since Tuesday. 顧客はログインできません。"
BODY = {
    "text": TEXT,
    "output_tokens": 300,
    "batch": True,
    "cached_input_share": 0.25,
    "requests_per_month": 12_000,
    "models": [
        "openai/gpt-4.1-mini",
        "anthropic/claude-haiku-4-5",
        "deepseek/deepseek-v4-flash",
        "google/gemini-2.5-flash",
        "groq/llama-3.3-70b-versatile",
    ],
}


@pytest.fixture(autouse=True)
def seeded(db):
    load_seed_catalogue()


def post(client, url, body):
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def test_saving_returns_a_permalink_and_exports(client):
    status, saved = post(client, "/api/v1/comparisons", BODY)
    assert status == 201
    assert saved["url"] == f"/c/{saved['id']}"
    assert client.get(saved["url"]).status_code == 200
    export = json.loads(client.get(saved["json_url"]).content)
    assert export["schema_version"] == 1 and export["as_of"] == saved["as_of"]
    assert [r["total_usd"] for r in export["results"]] == [r["total_usd"] for r in saved["results"]]
    assert all({"tokenizer", "exact", "price_version", "effective_from"} <= set(r) for r in export["results"])


def test_the_text_is_stored_only_when_asked(client):
    _, without = post(client, "/api/v1/comparisons", BODY)
    stored = Comparison.objects.get(pk=without["id"])
    assert stored.text == "" and not stored.text_saved
    assert stored.text_sha256 == without["text"]["sha256"] and stored.text_length == len(TEXT)
    assert "text" not in json.loads(client.get(without["json_url"]).content)["inputs"]
    _, with_text = post(client, "/api/v1/comparisons", {**BODY, "save_text": True})
    assert json.loads(client.get(with_text["json_url"]).content)["inputs"]["text"] == TEXT


def test_re_estimating_the_exports_inputs_reproduces_every_number(client):
    _, saved = post(client, "/api/v1/comparisons", {**BODY, "save_text": True})
    # Prices change after the comparison was saved: the export's as_of must still reproduce it.
    mini = saved["results"][0]["price_version"]
    from pricing.models import PriceVersion

    version = PriceVersion.objects.get(pk=mini)
    publish_price_version(
        model=version.model,
        rates=version.to_rates().__class__(
            input_usd_per_mtok=version.input_usd_per_mtok * 2,
            output_usd_per_mtok=version.output_usd_per_mtok * 2,
        ),
        effective_from=utc(2030, 1, 1),
        origin="import",
        change_reason="a later price",
    )
    export = json.loads(client.get(saved["json_url"]).content)
    status, again = post(client, "/api/v1/estimate", export["inputs"])
    assert status == 200

    # Every number and id is the same; only effective_to may now show the version's later end.
    def without_end(rows):
        return [{k: v for k, v in r.items() if k != "effective_to"} for r in rows]

    assert without_end(again["results"]) == without_end(export["results"])
    assert again["results"][0]["effective_to"].startswith("2030-01-01")
    assert again["tokenizers"] == export["tokenizers"]


def test_the_csv_export_matches_the_json(client):
    _, saved = post(client, "/api/v1/comparisons", BODY)
    response = client.get(saved["csv_url"])
    assert response["Content-Type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    rows = list(reader)
    assert reader.fieldnames[0] == "provider", "the first line is the header row"
    assert [(r["provider"], r["model"], r["total_usd"], r["price_version"]) for r in rows] == [
        (r["provider"], r["model"], r["total_usd"] or "", str(r["price_version"] or ""))
        for r in saved["results"]  # a model retired by now (Gemini 2.5 Flash) has empty cells
    ]
    assert response["X-Schema-Version"] == "1"
    assert response["X-Comparison-Id"] == saved["id"]
    assert response["X-Prices-As-Of"] == saved["as_of"]


def test_the_json_export_carries_the_rates_each_row_was_charged(client):
    body = {**BODY, "models": ["openai/gpt-4.1-mini"], "batch": False}
    _, saved = post(client, "/api/v1/comparisons", body)
    export = client.get(saved["json_url"]).json()
    (row,) = export["results"]
    # GPT-4.1 mini, USD per million tokens (PRODUCT.md "Facts for fixtures").
    assert Decimal(row["input_usd_per_mtok"]) == Decimal("0.40")
    assert Decimal(row["output_usd_per_mtok"]) == Decimal("1.60")
    assert Decimal(row["cached_input_usd_per_mtok"]) == Decimal("0.10")
    csv_row = next(csv.DictReader(io.StringIO(client.get(saved["csv_url"]).content.decode())))
    assert Decimal(csv_row["output_usd_per_mtok"]) == Decimal("1.60")
    # With batch on, the rates charged are the batch ones (half, as the facts say).
    _, saved = post(client, "/api/v1/comparisons", {**body, "batch": True})
    (row,) = client.get(saved["json_url"]).json()["results"]
    assert (Decimal(row["input_usd_per_mtok"]), Decimal(row["output_usd_per_mtok"])) == (
        Decimal("0.20"),
        Decimal("0.80"),
    )


def test_a_bad_comparison_request_saves_nothing(client):
    status, body = post(client, "/api/v1/comparisons", {**BODY, "models": ["openai/gpt-9"]})
    assert status == 400 and body["error"]["field"] == "models"
    status, body = post(client, "/api/v1/comparisons", {**BODY, "save_text": "yes"})
    assert status == 400 and body["error"]["field"] == "save_text"
    assert Comparison.objects.count() == 0


def test_an_unknown_comparison_is_a_404(client):
    assert client.get("/c/nope").status_code == 404
    assert client.get("/c/nope.json").status_code == 404


def test_text_with_nul_characters_is_refused_for_saving_but_still_estimated(client):
    body = {**BODY, "text": "a\x00b"}
    status, error = post(client, "/api/v1/comparisons", {**body, "save_text": True})
    assert status == 400 and error["error"]["field"] == "save_text"
    status, saved = post(client, "/api/v1/comparisons", body)
    assert status == 201 and Comparison.objects.count() == 1


def test_the_page_and_the_saved_comparison_head_their_tables_with_the_declared_columns(client):
    """Labels as a reader sees them, in the order the calculator page has always shown them."""
    labels = [
        "Model",
        "Provider",
        "Tokenizer",
        "Input tokens",
        "Output tokens",
        "Input $/M",
        "Output $/M",
        "Cache read $/M",
        "Input $",
        "Output $",
        "Total $ / request",
        "Monthly $",
        "Context window",
        "Fits?",
        "Count quality",
        "Threshold",
    ]
    _, saved = post(client, "/api/v1/comparisons", BODY)
    for url, extra in (("/", []), (saved["url"], ["Price version"])):
        page = client.get(url).content.decode()
        thead = page[page.index('class="data results"') :].split("</thead>")[0]
        heads = re.findall(r'<th scope="col"[^>]*>(?:<button type="button">)?([^<]+)<', thead)
        assert heads == labels + extra, url
    assert [
        c["label"]
        for c in json.loads(
            client.post(
                "/api/v1/estimate", json.dumps({"input_tokens": 1}), content_type="application/json"
            ).content
        )["columns"]
    ] == labels
