"""The comparison table's layout in a real browser: the column chooser (the default columns fit a
1366 px screen), cards on a phone with the total first, and "All models" drawn a page at a time,
sorted and filtered over every row, not only the rows drawn."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pricing.models import LanguageModel, PriceVersion

from .helpers import row

pytestmark = pytest.mark.browser

MINI = "openai/gpt-4.1-mini"
PROMPT = "Summarise this support ticket in two sentences and draft a polite reply offering a refund."
EXTRA = 60  # models added beside the 24 curated ones: more than one page of 50 rows


def table_fits(page) -> bool:
    return page.evaluate(
        "(() => { const wrap = document.getElementById('table-wrap');"
        " return document.getElementById('results').scrollWidth <= wrap.clientWidth; })()"
    )


def test_the_default_columns_fit_1366_px_and_a_hidden_column_is_one_tick_away(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/")
    page.fill("#text", PROMPT)
    expect(row(page, MINI)).to_be_visible()
    assert table_fits(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    header = page.get_by_role("columnheader", name="Context window")
    expect(header).to_be_hidden()

    page.locator("#columns-menu > summary").click()
    page.get_by_label("Context window").check()
    expect(header).to_be_visible()
    # GPT-4.1 mini's context window: 1,047,576 tokens (OpenAI's model page).
    expect(row(page, MINI).locator('td[data-col="context_window"]')).to_have_text("1,047,576")
    expect(page).to_have_url(re.compile(r"[?&]cols=[^&]*context_window"))

    # Remembered in this browser: a fresh visit without the link's ?cols= shows it too.
    page.goto("/")
    page.fill("#text", PROMPT)
    expect(row(page, MINI).locator('td[data-col="context_window"]')).to_be_visible()
    page.locator("#columns-menu > summary").click()
    page.get_by_role("button", name="Default columns").click()
    expect(header).to_be_hidden()
    expect(row(page, MINI).locator('td[data-col="context_window"]')).to_be_hidden()
    assert table_fits(page)


def test_on_a_phone_each_model_is_a_card_with_its_total_first(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.fill("#text", PROMPT)
    card = row(page, MINI)
    expect(card).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert table_fits(page)
    total = card.locator('td[data-col="total_usd"]').bounding_box()
    name = card.locator('td[data-col="name"]').bounding_box()
    tokens = card.locator('td[data-col="input_tokens"]').bounding_box()
    rate = card.locator('td[data-col="input_usd_per_mtok"]').bounding_box()
    assert total["y"] < name["y"] < tokens["y"] <= rate["y"]
    assert total["x"] >= 0 and total["x"] + total["width"] <= 390
    expect(card.locator('td[data-col="total_usd"] a.money')).to_have_text(re.compile(r"^\$\d"))
    expect(card.get_by_role("link", name="GPT-4.1 mini")).to_be_visible()
    # $0.40 per million input tokens (OpenAI's price page), captioned in the card.
    expect(card.locator('td[data-col="input_usd_per_mtok"]')).to_have_text("$0.40")
    expect(card.locator('td[data-col="input_usd_per_mtok"]')).to_have_attribute("data-label", "Input $/M")


def add_models(count: int) -> None:
    """``count`` made-up models beside GPT-4.1 mini, at input rates $0.01, $0.02, ... per million."""
    mini = LanguageModel.objects.get(provider__slug="openai", slug="gpt-4.1-mini")
    since = mini.price_versions.order_by("effective_from").first().effective_from
    for index in range(count):
        model = LanguageModel.objects.create(
            provider=mini.provider,
            slug=f"zeta-test-{index:03}",
            name=f"Zeta test {index:03}",
            tokenizer_key=mini.tokenizer_key,
            tokenizer_chosen=True,
            context_window=100_000,
        )
        PriceVersion.objects.create(
            model=model,
            input_usd_per_mtok=Decimal(index + 1) / 100,
            output_usd_per_mtok=Decimal("1"),
            effective_from=since,
            origin="admin",
            change_reason="a test row",
        )


def test_all_models_are_drawn_a_page_at_a_time_sorted_and_filtered_over_every_row(page):
    add_models(EXTRA)
    page.goto("/")
    page.fill("#text", PROMPT)
    expect(row(page, MINI)).to_be_visible()
    page.get_by_label("All models (not only featured)").check()
    rows = page.locator("#results-body tr[data-key]")
    expect(page.locator("#table-count")).to_contain_text("Showing the first 50 of")
    total = int(
        re.search(r"of ([\d,]+) models", page.locator("#table-count").inner_text())[1].replace(",", "")
    )
    assert total >= EXTRA + LanguageModel.objects.filter(featured=True).count()
    expect(rows).to_have_count(50)
    page.get_by_role("button", name=f"Show {total - 50} more").click()
    expect(rows).to_have_count(total)
    expect(page.get_by_role("button", name="more")).to_be_hidden()

    page.get_by_label("Search").fill("zeta-test-05")
    expect(rows).to_have_count(10)
    input_rate = page.get_by_role("button", name="Input $/M")
    input_rate.click()
    input_rate.click()
    expect(page.locator("#results-body tr[data-key]").first).to_have_attribute(
        "data-key", "openai/zeta-test-059"
    )
    expect(page.locator("#results-body tr[data-key]").last).to_have_attribute(
        "data-key", "openai/zeta-test-050"
    )
    expect(page.locator("#table-count")).to_have_text("10 models, sorted by Input $/M, descending.")
    # Sorting looks at every row, not only the page drawn: the cheapest input rate of all ($0.01).
    page.get_by_label("Search").fill("")
    input_rate.click()
    expect(rows).to_have_count(50)
    expect(rows.first).to_have_attribute("data-key", "openai/zeta-test-000")
    expect(rows.first.locator('td[data-col="input_usd_per_mtok"]')).to_have_text("$0.01")
