"""The bill page (/bill) bills as POST /api/v1/bill does: for the same usage, the page's lines
(rendered on the server, read back from its HTML) are the API's lines, and /bill.json is the
API's answer byte for byte. Refusals are the API's, in its words, on the field they name.

Expected totals from the published prices in the seed (USD per million tokens):
Claude Sonnet 4.6 3 in / 15 out, cache read 0.30, 5-minute write 3.75, 1-hour write 6 (Anthropic);
Gemini 2.5 Pro above 200,000 prompt tokens 2.50 in / 15 out (Google); DeepSeek V4 Pro off-peak
from 2026-08-17: 0.66 in / 1.98 out / 0.022 cache hit (DeepSeek); Claude Opus 4.6 batch 2.50 in /
12.50 out / 0.25 cache read (Anthropic, half of 5 / 25 / 0.50).
"""

import json
from datetime import date
from decimal import Decimal as D
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from currency_converter import CurrencyConverter

from pricing.services.seed import load_seed_catalogue
from tests.conftest import anthropic_contract

pytestmark = pytest.mark.django_db
FRIDAY_NOON_UTC = "2026-11-27T12:00:00+00:00"  # 20:00 in Beijing: DeepSeek's off-peak

CASES = {
    "cached claude": (
        {"model": "anthropic/claude-sonnet-4-6", "at": FRIDAY_NOON_UTC},
        {
            "input_tokens": 10_000,
            "cache_read_tokens": 50_000,
            "cache_write_5m_tokens": 20_000,
            "cache_write_1h_tokens": 4_000,
            "output_tokens": 2_000,
        },
        # 0.03 + 0.015 + 0.075 + 0.024 + 0.03
        D("0.174"),
    ),
    "long-context gemini": (
        {"model": "google/gemini-2.5-pro", "at": FRIDAY_NOON_UTC},
        {"input_tokens": 250_000, "output_tokens": 1_000},
        D("0.64"),  # 250,000 x 2.50 + 1,000 x 15, all above the 200,000 threshold
    ),
    "off-peak deepseek": (
        {"model": "deepseek/deepseek-v4-pro", "at": FRIDAY_NOON_UTC},
        {"input_tokens": 100_000, "cache_read_tokens": 400_000, "output_tokens": 5_000},
        D("0.0847"),  # 0.066 + 0.0088 + 0.0099
    ),
    "batch opus": (
        {"model": "anthropic/claude-opus-4-6", "at": FRIDAY_NOON_UTC, "service_tier": "batch"},
        {"input_tokens": 50_000, "cache_read_tokens": 50_000, "output_tokens": 1_000},
        D("0.15"),  # 0.125 + 0.0125 + 0.0125
    ),
}


@pytest.fixture(autouse=True)
def seeded(db):
    load_seed_catalogue()


class BillLines(HTMLParser):
    """The data-* attributes of each line of the page's bill table, and the page's total."""

    def __init__(self):
        super().__init__()
        self.lines: list[dict[str, str]] = []
        self.total: str | None = None
        self.error: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "tr" and "data-what" in found:
            self.lines.append({k.removeprefix("data-"): v for k, v in found.items() if k.startswith("data-")})
        if found.get("id") == "total-usd":
            self.total = found["data-usd"]
        if found.get("id") == "error-summary":
            self.error = found


def read_page(html: str) -> BillLines:
    parser = BillLines()
    parser.feed(html)
    return parser


def api(client, body):
    return client.post("/api/v1/bill", json.dumps(body), content_type="application/json")


def query_of(request, usage):
    return urlencode({**request, **usage})


def api_lines(answer):
    keys = ("what", "quantity", "rate_usd", "per", "usd", "price_version", "variant", "rate_kind")
    return [{key.replace("_", "-"): str(line[key]) for key in keys} for line in answer["lines"]]


@pytest.mark.parametrize("case", CASES)
def test_the_page_bills_line_for_line_as_the_api(client, case):
    request, usage, expected_total = CASES[case]
    answer = api(client, {**request, "usage": usage}).json()
    page = client.get(f"/bill?{query_of(request, usage)}")
    assert page.status_code == 200
    seen = read_page(page.content.decode())
    assert seen.lines == api_lines(answer)
    assert len(seen.lines) == len([n for n in usage.values() if n])
    assert D(seen.total) == D(answer["total_usd"]) == expected_total


@pytest.mark.parametrize("case", CASES)
def test_the_json_link_is_the_apis_answer_byte_for_byte(client, case):
    request, usage, _ = CASES[case]
    from_api = api(client, {**request, "usage": usage})
    from_page = client.get(f"/bill.json?{query_of(request, usage)}")
    assert from_page.status_code == from_api.status_code == 200
    assert from_page["Content-Type"] == from_api["Content-Type"]
    assert from_page.content == from_api.content


def test_the_page_names_the_service_tier_and_links_each_version_and_its_source(client):
    request, usage, _ = CASES["batch opus"]
    html = client.get(f"/bill?{query_of(request, usage)}").content.decode()
    answer = api(client, {**request, "usage": usage}).json()
    version = answer["lines"][0]["price_version"]
    assert f'href="/models/anthropic/claude-opus-4-6#v{version}"' in html
    assert 'href="https://www.anthropic.com/pricing#api"' in html
    assert "tier <strong>batch</strong>" in html
    assert 'href="/bill.json?' in html and 'id="permalink"' in html


def test_deepseek_at_peak_hours_is_billed_at_the_peak_variant_on_the_page_too(client):
    # Friday 02:00 UTC is 10:00 in Beijing: peak, twice the off-peak rate (1.32 in / 3.96 out).
    request = {"model": "deepseek/deepseek-v4-pro", "at": "2026-11-27T02:00:00+00:00"}
    usage = {"input_tokens": 1_000, "output_tokens": 500}
    seen = read_page(client.get(f"/bill?{query_of(request, usage)}").content.decode())
    assert [(line["what"], line["variant"], line["rate-usd"]) for line in seen.lines] == [
        ("input", "peak", "1.32"),
        ("output", "peak", "3.96"),
    ]
    assert D(seen.total) == D("0.0033")


def test_an_image_row_is_billed_as_the_apis_images(client):
    request = {"model": "anthropic/claude-sonnet-4-6", "at": FRIDAY_NOON_UTC}
    body = {**request, "usage": {"images": [{"width": 1000, "height": 750, "detail": "auto"}]}}
    answer = api(client, body).json()
    query = urlencode({**request, "image_width": 1000, "image_height": 750, "image_detail": "auto"})
    seen = read_page(client.get(f"/bill?{query}").content.decode())
    assert seen.lines == api_lines(answer)
    # Anthropic: width x height / 750 = 1,000 tokens, at the $3 per million input rate.
    assert [(line["what"], line["quantity"], line["usd"]) for line in seen.lines] == [
        ("input_image", "1000", "0.003")
    ]


SONNET = {"model": "anthropic/claude-sonnet-4-6"}


@pytest.mark.parametrize(
    ("query", "field", "control"),
    [
        ({"model": "anthropic/claude-sonet-4-6", "input_tokens": "10"}, "model", "model"),
        ({**SONNET, "at": "2026-13-40", "input_tokens": "10"}, "at", "at"),
        ({**SONNET, "input_tokens": "ten"}, "usage", "input_tokens"),
        ({**SONNET, "service_tier": "flex", "input_tokens": "1"}, "service_tier", "service_tier"),
        ({**SONNET, "currency": "euro", "input_tokens": "1"}, "currency", "currency"),
        ({**SONNET, "overlay": "nobody", "input_tokens": "1"}, "overlay", "overlay"),
    ],
)
def test_a_refusal_is_the_apis_in_its_words_on_its_field(client, query, field, control):
    from_json = client.get(f"/bill.json?{urlencode(query)}")
    body = {k: v for k, v in query.items() if k != "input_tokens"}
    tokens = query["input_tokens"]
    body["usage"] = {"input_tokens": int(tokens) if tokens.isdigit() else tokens}
    from_api = api(client, body)
    assert from_api.status_code == from_json.status_code == 400
    assert from_json.json() == from_api.json()
    error = from_api.json()["error"]
    assert error["field"] == field
    page = client.get(f"/bill?{urlencode(query)}")
    assert page.status_code == 400
    html = page.content.decode()
    seen = read_page(html)
    assert seen.error is not None and seen.error["data-field"] == field
    assert json.dumps(error["message"])[1:-1].replace("'", "&#x27;") in html
    assert f'id="{control}" name="{control}"' in html
    tag = html[html.index(f'id="{control}" name="{control}"') :].split(">", 1)[0]
    assert 'aria-invalid="true"' in tag


@pytest.mark.parametrize("tokens", ["9" * 5_000, "1" + "0" * 40, "-5", "1e6", "１２"])
def test_an_absurd_quantity_is_a_400_naming_usage_never_a_500(client, tokens):
    query = urlencode({**SONNET, "at": FRIDAY_NOON_UTC, "output_tokens": tokens})
    for url in (f"/bill?{query}", f"/bill.json?{query}"):
        response = client.get(url)
        assert response.status_code == 400, url
    assert client.get(f"/bill.json?{query}").json()["error"]["field"].startswith("usage")


def test_without_a_moment_the_bill_is_now_and_says_its_link_moves(client):
    page = client.get("/bill?model=anthropic/claude-sonnet-4-6&output_tokens=1000")
    html = page.content.decode()
    assert page.status_code == 200
    assert "No moment was given" in html
    assert D(read_page(html).total) == D("0.015")  # 1,000 x 15 per million, the price since 2026-03-13


def test_a_request_past_a_threshold_says_by_how_much_and_what_trimming_saves(client):
    request, usage, _ = CASES["long-context gemini"]
    html = client.get(f"/bill?{query_of(request, usage)}").content.decode()
    # 200,000 x 1.25 + 1,000 x 10 = 0.26 at the base rate: trimming 50,000 saves 0.64 - 0.26.
    assert "Trimming 50,000 input tokens would save $0.38." in html


def test_an_unknown_model_names_the_nearest_ones(client):
    page = client.get("/bill?model=anthropic/claude-sonet-4-6&input_tokens=1")
    assert "nearest: anthropic/claude-sonnet-4-6" in page.content.decode()


@pytest.fixture
def contract(db):
    return anthropic_contract()


def test_an_overlay_and_a_currency_show_list_contracted_and_converted_as_the_api(client, contract):
    request = {"model": "anthropic/claude-sonnet-4-6", "at": "2026-10-30T12:00:00Z", "overlay": "acme-2026"}
    usage = {"input_tokens": 1_000_000, "output_tokens": 100_000}
    request["currency"] = "EUR"
    answer = api(client, {**request, "usage": usage}).json()
    assert (answer["ListCost"], answer["EffectiveCost"]) == ("4.5", "3.6")  # 3 + 1.5, 20% off
    html = client.get(f"/bill?{query_of(request, usage)}").content.decode()
    seen = read_page(html)
    assert seen.lines == api_lines(answer)
    assert 'id="effective-usd" data-usd="3.6"' in html
    converted = answer["converted"]["EffectiveCost"]
    usd_per_eur = D(str(CurrencyConverter().convert(1, "EUR", "USD", date=date(2026, 10, 30))))
    assert abs(D(converted) - D("3.6") / usd_per_eur) < D("1e-8")
    assert f'data-amount="{converted}"' in html
    assert f"1 USD = {answer['conversion']['rate']} EUR on 2026-10-30" in html
    for line in answer["lines"]:
        assert f"${line['ContractedCost']}" in html


def test_the_empty_form_bills_nothing_and_offers_now_and_the_catalogue(client):
    page = client.get("/bill")
    html = page.content.decode()
    assert page.status_code == 200
    assert read_page(html).lines == [] and 'id="error-summary"' not in html
    assert '<option value="anthropic/claude-sonnet-4-6">' in html
    assert 'id="at" name="at" value="20' in html  # now, prefilled
    assert '<a href="/bill"' in html  # in the site's navigation
