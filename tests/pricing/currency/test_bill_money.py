"""POST /api/v1/bill with a contract overlay and a display currency: list and effective side by
side (FOCUS names), each line tracing its overlay rule, amounts in EUR at the ECB rate of `at`.

Expected: Claude Sonnet 4.6 lists at $3 / $15 per million input / output tokens (Anthropic's
pricing page); the EUR/USD rate of 2026-10-30 is read by CurrencyConverter's own converter.
"""

import json
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from currency_converter import CurrencyConverter

from pricing.models import LanguageModel, Overlay
from pricing.services.overlays import add_overlay_rule
from pricing.services.seed import load_seed_catalogue
from tests.conftest import anthropic_contract

pytestmark = pytest.mark.django_db
AT = "2026-10-30T12:00:00Z"
SONNET = {
    "model": "anthropic/claude-sonnet-4-6",
    "at": AT,
    "usage": {"input_tokens": 1_000_000, "output_tokens": 100_000},
}


@pytest.fixture
def contract(db):
    load_seed_catalogue()
    return anthropic_contract()


def post(client, body):
    response = client.post("/api/v1/bill", json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def test_sonnet_under_a_provider_wide_20_percent_overlay_in_usd_and_eur(client, contract):
    status, body = post(client, {**SONNET, "overlay": "acme-2026", "currency": "eur"})
    assert status == 200, body
    assert body["total_usd"] == "4.5"  # list: 3.00 + 1.50, unchanged
    assert (body["ListCost"], body["ContractedCost"], body["EffectiveCost"]) == ("4.5", "3.6", "3.6")
    assert body["overlay"] == "acme-2026"
    usd_per_eur = D(str(CurrencyConverter().convert(1, "EUR", "USD", date=date(2026, 10, 30))))
    conversion = body["conversion"]
    assert (conversion["currency"], conversion["rate_date"]) == ("EUR", "2026-10-30")
    assert D(conversion["usd_per_eur"]) == usd_per_eur
    assert "CurrencyConverter" in conversion["source"] and conversion["note"] == ""
    for name, usd in (("ListCost", D("4.5")), ("EffectiveCost", D("3.6"))):
        assert abs(D(body["converted"][name]) - usd / usd_per_eur) < D("1E-9")
        assert D(body["converted"][name]) == usd * D(conversion["rate"])
    for line in body["lines"]:
        assert line["overlay_rule"]["scope"] == "provider"
        assert line["overlay_rule"]["note"].startswith("Enterprise agreement")
        assert D(line["EffectiveCost"]) == D(line["ListCost"]) * D("0.8")
        assert line["converted"]["rate_date"] == "2026-10-30"


def test_a_bill_before_the_overlays_start_is_at_list_price(client, contract):
    status, body = post(client, {**SONNET, "at": "2026-09-30T23:59:59Z", "overlay": "acme-2026"})
    assert status == 200, body
    assert (body["ListCost"], body["EffectiveCost"]) == ("4.5", "4.5")
    assert all(line["overlay_rule"] is None for line in body["lines"])


def test_a_model_rule_beats_the_provider_rule_and_a_fixed_rate_beats_a_percentage(client, contract):
    sonnet = LanguageModel.objects.get(provider__slug="anthropic", slug="claude-sonnet-4-6")
    start = datetime(2026, 10, 15, tzinfo=UTC)
    add_overlay_rule(
        overlay=contract,
        kind="basis_points",
        adjustment=D("-1500"),
        model=sonnet,
        effective_from=start,
        note="Sonnet: 15%",
    )
    add_overlay_rule(
        overlay=contract,
        kind="fixed",
        fixed_usd=D("2"),
        line_kind="input",
        model=sonnet,
        effective_from=start,
        note="Sonnet input at $2",
    )
    status, body = post(client, {**SONNET, "overlay": "acme-2026"})
    assert status == 200, body
    by_line = {line["what"]: line for line in body["lines"]}
    assert by_line["input"]["EffectiveCost"] == "2"  # fixed $2 per million, 1M tokens
    assert by_line["input"]["overlay_rule"]["kind"] == "fixed"
    assert by_line["output"]["EffectiveCost"] == "1.275"  # 1.50 less 1,500 bp
    assert by_line["output"]["overlay_rule"]["scope"] == "model"


def test_without_overlay_or_currency_the_bill_is_as_before(client, contract):
    status, body = post(client, SONNET)
    assert status == 200
    assert "ListCost" not in body and "converted" not in body and "overlay_rule" not in body["lines"][0]


def test_the_default_overlay_applies_when_none_is_named(client, contract):
    Overlay.objects.filter(pk=contract.pk).update(is_default=True)
    status, body = post(client, SONNET)
    assert (body["overlay"], body["EffectiveCost"]) == ("acme-2026", "3.6")


@pytest.mark.parametrize(
    ("change", "field"),
    [({"overlay": "nope"}, "overlay"), ({"currency": "XYZ"}, "currency"), ({"currency": "euro"}, "currency")],
)
def test_an_unknown_overlay_or_currency_is_a_400_naming_it(client, contract, change, field):
    status, body = post(client, {**SONNET, **change})
    assert status == 400
    assert body["error"]["field"] == field


def estimate(client, body):
    response = client.post("/api/v1/estimate", json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def test_an_estimate_with_an_overlay_and_a_currency_shows_list_and_effective_in_eur(client, contract):
    body = {"input_tokens": 1_000_000, "output_tokens": 100_000, "models": ["anthropic/claude-sonnet-4-6"]}
    status, plain = estimate(client, {**body, "as_of": "2026-10-30"})
    assert status == 200, plain
    assert "money" not in plain and "conversion" not in plain
    status, answer = estimate(
        client, {**body, "as_of": "2026-10-30", "overlay": "acme-2026", "currency": "EUR"}
    )
    assert status == 200, answer
    assert answer["results"] == plain["results"]  # the rows are unchanged
    (money,) = answer["money"]
    assert (money["model"], money["ListCost"], money["EffectiveCost"]) == ("claude-sonnet-4-6", "4.5", "3.6")
    assert money["ListCost"] == answer["results"][0]["total_usd"]
    assert {line["overlay_rule"]["scope"] for line in money["lines"]} == {"provider"}
    usd_per_eur = D(str(CurrencyConverter().convert(1, "EUR", "USD", date=date(2026, 10, 30))))
    assert D(answer["conversion"]["usd_per_eur"]) == usd_per_eur
    assert abs(D(money["converted"]["EffectiveCost"]) - D("3.6") / usd_per_eur) < D("1E-9")


def test_an_estimate_names_a_bad_currency(client, contract):
    body = {"input_tokens": 10, "output_tokens": 10, "currency": "EURO"}
    status, answer = estimate(client, body)
    assert (status, answer["error"]["field"]) == (400, "currency")
