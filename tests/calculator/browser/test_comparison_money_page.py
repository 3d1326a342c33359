"""The saved comparison page's *List and effective cost* form, in a browser: the overlay and a
currency chosen on the page give list and effective amounts in yen with no decimals (the exact
amount in the title), each line's rule, and the rate's date and source; it fits a phone.

Expected: Claude Sonnet 4.6 lists at $3 / $15 per million tokens (Anthropic's pricing page);
the ECB's rates of 2026-06-05: USD 1.164 and JPY 186.08 per euro (the bundled history).
"""

import os
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from pricing.models import Overlay, Provider
from pricing.services.overlays import add_overlay_rule

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOT = os.environ.get("COMPARISON_MONEY_SCREENSHOT")


def test_the_page_shows_list_and_effective_in_yen_and_fits_a_phone(page):
    add_overlay_rule(
        overlay=Overlay.objects.create(name="acme-2026"),
        kind="percent",
        adjustment=D("-20"),
        provider=Provider.objects.get(slug="anthropic"),
        effective_from=datetime(2026, 6, 2, tzinfo=UTC),
        note="Enterprise agreement, clause 4.2",
    )
    body = {
        "input_tokens": 1_000_000,
        "output_tokens": 100_000,
        "models": ["anthropic/claude-sonnet-4-6"],
        "as_of": "2026-06-05",
    }
    saved = page.request.post("/api/v1/comparisons", data=body).json()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(saved["url"])
    page.fill("#money-overlay", "acme-2026")
    page.fill("#money-currency", "jpy")
    page.click(".money-form button")
    row = page.locator(".money-table tr[data-key='anthropic/claude-sonnet-4-6']")
    rate = (D("186.08") / D("1.164")).quantize(D("1E-10"))
    # $4.50 list = 719.38... yen; $3.60 effective = 575.50... yen
    expect(row.locator("[data-col=converted_ListCost] span")).to_have_text("¥719")
    expect(row.locator("[data-col=converted_EffectiveCost] span")).to_have_attribute(
        "title", f"Exactly {(D('3.6') * rate).normalize():f} JPY"
    )
    expect(row.locator("[data-col=EffectiveCost]")).to_have_text("$3.60")
    expect(row.locator("[data-col=overlay_rules]")).to_contain_text("rule #")
    expect(page.locator(".money-terms")).to_contain_text(f"1 USD = {rate} JPY")
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT, full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
