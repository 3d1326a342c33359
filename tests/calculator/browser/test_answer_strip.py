"""The answer first: a pasted text shows its tokens, the cheapest model that fits and the pinned
models' cost right under the box, inside the first screen, on a desktop and on a phone; the
assumptions fold into "More options", whose summary says what is assumed."""

import csv
import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.reference import o200k_count

from .helpers import row

pytestmark = pytest.mark.browser

MINI = "openai/gpt-4.1-mini"
MTOK = Decimal(1_000_000)
MINI_IN, MINI_OUT = Decimal("0.40"), Decimal("1.60")  # PRODUCT.md "Facts for fixtures"
PROMPT = (
    "Translate the following paragraph into French and keep the product names in English: "
    "our new Kettle Pro boils a litre of water in ninety seconds and switches itself off."
)
SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SCREENS))
def screen(request, page):
    page.set_viewport_size(SCREENS[request.param])
    return request.param


def in_first_screen(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    scrolled = page.evaluate("window.scrollY")
    return box is not None and scrolled == 0 and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_a_pasted_text_shows_tokens_and_the_cheapest_cost_in_the_first_screen(page, screen):
    page.goto("/")
    page.fill("#text", PROMPT)

    o200k = page.locator("#answer-tokens li", has_text="o200k_base")
    expect(o200k).to_contain_text(f"{o200k_count(PROMPT):,}")
    cheapest = page.locator("#answer-cheapest .answer-usd")
    expect(cheapest).to_contain_text("$")
    # The strip's cost is the table's cheapest row, to the digit.
    best_row = page.locator("#results-body tr.cheapest")
    expect(best_row.locator('td[data-col="total_usd"]')).to_have_attribute(
        "data-usd", cheapest.get_attribute("data-usd")
    )
    page.evaluate("window.scrollTo(0, 0)")
    assert in_first_screen(page, "#answer-cheapest"), f"the cost is below the first {screen} screen"
    # A desktop shows every count; a phone at least starts the list above the fold.
    counts = "#answer-tokens" if screen == "desktop" else "#answer-tokens li >> nth=0"
    assert in_first_screen(page, counts), f"the counts are below the first {screen} screen"


def test_a_pinned_model_shows_its_cost_in_the_strip_and_stays_pinned_in_the_link(page):
    page.goto("/")
    page.fill("#text", PROMPT)
    pin = row(page, MINI).locator("button.pin")
    pin.click()
    expect(pin).to_have_attribute("aria-pressed", "true")
    expected = o200k_count(PROMPT) * MINI_IN / MTOK + 500 * MINI_OUT / MTOK
    pinned = page.locator(f'#answer-pins li[data-key="{MINI}"] .answer-usd')
    expect(pinned).to_have_attribute("data-usd", format(expected.normalize(), "f"))
    assert "pin=openai%2Fgpt-4.1-mini" in page.url

    page.goto(page.url)
    page.fill("#text", PROMPT)
    expect(page.locator(f'#answer-pins li[data-key="{MINI}"] .answer-usd')).to_have_attribute(
        "data-usd", format(expected.normalize(), "f")
    )
    page.get_by_role("button", name="Unpin GPT-4.1 mini (OpenAI)").click()
    expect(page.locator("#answer-pins li")).to_have_count(0)
    assert "pin=" not in page.url


def test_the_options_are_folded_and_their_summary_says_what_is_assumed(page):
    page.goto("/")
    options = page.locator("#more-options")
    expect(options).not_to_have_attribute("open", "")
    expect(page.locator("#output_tokens")).to_be_hidden()
    summary = page.locator("#options-assumed")
    expect(summary).to_contain_text("priced now, standard tier, no cache")

    page.click("#more-options > summary")
    page.check("#batch")
    page.fill("#cached_input_share", "25")
    page.fill("#as_of", "2026-01-15")
    expect(summary).to_contain_text("priced as of 2026-01-15, batch, 25% from cache")


def test_a_link_that_changes_an_assumption_opens_the_options(page):
    page.goto("/?output_tokens=800")
    expect(page.locator("#more-options")).to_have_attribute("open", "")
    expect(page.locator("#options-assumed")).to_contain_text("800 output tokens")


def test_a_saved_comparison_copies_its_link_and_its_csv_opens_as_a_table(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto("/")
        page.fill("#text", PROMPT)
        expect(page.locator("#answer-cheapest .answer-usd")).to_contain_text("$")
        page.click("#save-button")
        expect(page.locator("#save-result")).to_be_visible()
        page.click("#copy-link")
        expect(page.locator("#copy-status")).to_have_text("Link copied.")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == live_server.url + page.locator("#save-link").get_attribute("href")

        with page.expect_download() as download:
            page.click("#save-csv")
        with open(download.value.path(), encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(io.StringIO(handle.read()))
            rows = list(reader)
        assert reader.fieldnames[0] == "provider"
        mini = next(r for r in rows if f"{r['provider']}/{r['model']}" == MINI)
        assert Decimal(mini["input_usd_per_mtok"]) == MINI_IN
    finally:
        context.close()


def test_a_date_before_any_price_names_that_reason(page):
    page.goto("/?as_of=2021-06-01&input_tokens=1000")
    reason = "No model shown has a price known on 2021-06-01"
    expect(page.locator("#summary")).to_contain_text(reason)
    expect(page.locator("#answer-cheapest")).to_contain_text(reason)
    expect(page.locator("#summary")).not_to_contain_text("context window")


def test_a_model_name_links_to_its_page_and_a_cost_to_its_price_version(page):
    from pricing.models import PriceVersion

    version = PriceVersion.objects.effective().get(model__provider__slug="openai", model__slug="gpt-4.1-mini")
    page.goto("/")
    page.fill("#text", PROMPT)
    mini = row(page, MINI)
    expect(mini.locator('td[data-col="name"] a.model-name')).to_have_attribute(
        "href", "/models/openai/gpt-4.1-mini"
    )
    total = mini.locator('td[data-col="total_usd"] a')
    expect(total).to_have_attribute("href", f"/models/openai/gpt-4.1-mini#v{version.pk}")
    total.click()
    expect(page.locator(f"tr#v{version.pk}")).to_be_visible()


def test_the_first_tab_offers_a_skip_link_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    skip.press("Enter")
    expect(page.locator("#main")).to_be_focused()
