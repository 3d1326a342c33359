"""Price editors give a new version its service tiers, per-unit prices and time bands in the
admin, checked by the same rules as every other price; published ones are shown, never edited."""

import json
from datetime import date
from decimal import Decimal as D

import pytest

from pricing.bill import BillUsage
from pricing.bill.compare import bills_alike
from pricing.bill.from_rates import sheet_from_rates
from pricing.bill.notation import notation_of, sheet_from_notation
from pricing.models import PriceVersion, VariantRate
from pricing.selectors.bills import bill_for
from pricing.sources.genai_prices_v2 import bundled_payload, parse

from .test_admin import ADD_URL, form_data

FLEX = {"variants": {"flex": {"input": "1.50", "output": "8.00", "cache_read": "0.15"}}}


@pytest.mark.django_db
def test_an_editor_publishes_a_flex_tier_with_a_new_version(client, editor, gpt_54):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(gpt_54, price_extras=json.dumps(FLEX)))
    assert response.status_code == 302, response.content.decode()[:2000]
    usage = BillUsage(input_tokens=1_000_000)
    bill, _ = bill_for(model_key="openai/gpt-5.4", usage=usage, service_tier="flex")
    assert bill.total_usd == D("1.50")


@pytest.mark.django_db
def test_a_flex_tier_above_standard_is_refused_on_its_field(client, editor, gpt_54):
    client.force_login(editor)
    bad = {"variants": {"flex": {"input": "9", "output": "8"}}}
    response = client.post(ADD_URL, form_data(gpt_54, price_extras=json.dumps(bad)))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "flex input is above standard" in " ".join(errors["price_extras"])
    assert (PriceVersion.objects.filter(model=gpt_54).count(), VariantRate.objects.count()) == (1, 0)


@pytest.mark.django_db
def test_the_add_form_starts_from_the_current_versions_tiers(client, editor, gpt_54):
    client.force_login(editor)
    client.post(ADD_URL, form_data(gpt_54, price_extras=json.dumps(FLEX)))
    page = client.get(ADD_URL + f"?model={gpt_54.pk}").content.decode()
    assert "&quot;flex&quot;" in page and "&quot;1.5&quot;" in page


def test_every_imported_sheet_survives_the_admins_notation():
    today = date(2026, 11, 27)
    checked = 0
    for record in parse(bundled_payload()).records:
        point = [p for p in record.history if p.effective_from is None or p.effective_from <= today][-1]
        if point.sheet is None:
            continue
        notation = notation_of(point.sheet, point.rates)
        again = sheet_from_notation(point.rates, notation) or sheet_from_rates(point.rates)
        assert bills_alike(again, point.sheet), record.key
        checked += 1
    assert checked > 1900
