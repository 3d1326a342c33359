""" "All models" fetched ahead, in a real browser at desktop and phone widths: once the featured
answer has been on screen a moment, the page asks for the same inputs with every model, so a tick
draws that answer without another request (its numbers those of POST /api/v1/estimate); a tick
while that request is on its way waits for it (never a second request); and new inputs cancel it,
so rows for the old inputs are never drawn."""

import contextlib
import json
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from .helpers import row

pytestmark = pytest.mark.browser

MINI = "openai/gpt-4.1-mini"
PROMPT = "Summarise this support ticket in two sentences and draft a polite reply offering a refund."
LONGER = PROMPT + " Then list the three questions the customer asked, one per line, and answer each."
# The page's estimate, with or without ``?since=<stamp>`` (a re-cost against the rows it holds).
TABLE_URL = re.compile(r"/api/v1/estimate/table(\?|$)")
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def table_requests(page) -> list[dict]:
    """The bodies of every POST to the page's estimate, in order, as they are sent."""
    sent: list[dict] = []
    page.on(
        "request",
        lambda request: sent.append(json.loads(request.post_data)) if TABLE_URL.search(request.url) else None,
    )
    return sent


def everything(sent: list[dict]) -> list[dict]:
    return [body for body in sent if body.get("all_models")]


def drawn_tokens(page) -> list[dict]:
    """From now on, at each drawing of the table: whether All models is ticked and GPT-4.1 mini's
    input tokens as drawn (read back with ``page.evaluate("window.drawnTables")``)."""
    page.evaluate(
        """(key) => {
          window.drawnTables = [];
          document.getElementById('results').addEventListener('rendered', () => {
            const row = document.querySelector(`#results-body tr[data-key="${key}"]`);
            const cell = row && row.querySelector('td[data-col="input_tokens"]');
            window.drawnTables.push({all: document.getElementById('all_models').checked,
              tokens: cell ? cell.dataset.value : null});
          });
        }""",
        MINI,
    )


def hold_all_models(page) -> list:
    """Hold every all-models table request (the test lets each go on); featured ones pass."""
    held: list = []
    page.route(
        TABLE_URL,
        lambda route: (
            held.append(route) if json.loads(route.request.post_data).get("all_models") else route.continue_()
        ),
    )
    return held


def featured_answer_with_all_models_held(page, width: str) -> tuple[list, list[dict]]:
    """The page at `width` with PROMPT's featured answer drawn and all-models requests held."""
    page.set_viewport_size(WIDTHS[width])
    held = hold_all_models(page)
    sent = table_requests(page)
    page.goto("/")
    page.fill("#text", PROMPT)
    expect(row(page, MINI)).to_be_visible()
    return held, sent


def tokens_of(page) -> str:
    return row(page, MINI).locator('td[data-col="input_tokens"]').get_attribute("data-value")


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_a_tick_after_idle_draws_the_answer_fetched_ahead_without_another_request(page, width):
    page.set_viewport_size(WIDTHS[width])
    sent = table_requests(page)
    page.goto("/")
    page.fill("#text", PROMPT)
    expect(row(page, MINI)).to_be_visible()
    featured = page.locator("#results-body tr[data-key]").count()
    expect(page.locator("#results")).to_have_attribute("data-ahead", "ready")
    assert len(everything(sent)) == 1
    assert not everything(sent)[0].get("models")

    page.get_by_label("All models (not only featured)").check()
    rows = page.locator("#results-body tr[data-key]")
    public = page.request.post("/api/v1/estimate", data=everything(sent)[0]).json()["results"]
    assert len(public) > featured
    expect(page.locator("#table-count")).to_contain_text(f"{len(public)} models")
    expect(rows).to_have_count(min(50, len(public)))
    assert len(everything(sent)) == 1  # the tick sent nothing
    # Every row drawn carries the public answer's money and links to its price version.
    totals = {f"{r['provider']}/{r['model']}": r for r in public}
    for drawn in rows.all():
        key = drawn.get_attribute("data-key")
        total = drawn.locator('td[data-col="total_usd"]')
        if totals[key]["total_usd"] is None:
            continue
        expect(total).to_have_attribute("data-usd", totals[key]["total_usd"])
        link = total.locator("a.money").get_attribute("href")
        assert link.endswith(f"#v{totals[key]['price_version']}"), (key, link)

    # Back to the featured set: its answer is kept, nothing is asked again.
    page.get_by_label("All models (not only featured)").uncheck()
    expect(rows).to_have_count(featured)
    assert len(sent) == 2


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_a_tick_while_the_answer_is_on_its_way_waits_for_it(page, width):
    held, sent = featured_answer_with_all_models_held(page, width)
    expect(page.locator("#results")).to_have_attribute("data-ahead", "pending")
    page.get_by_label("All models (not only featured)").check()
    expect(page.locator("#results")).to_have_attribute("aria-busy", "true")
    assert len(everything(sent)) == 1 and len(held) == 1  # the tick waits: nothing asked twice
    held[0].continue_()
    expect(page.locator("#table-count")).to_contain_text(re.compile(r"of [\d,]+ models|\d+ models"))
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")
    assert len(everything(sent)) == 1


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_new_text_while_the_answer_is_on_its_way_never_draws_the_old_rows(page, width):
    held, sent = featured_answer_with_all_models_held(page, width)
    before = tokens_of(page)
    expect(page.locator("#results")).to_have_attribute("data-ahead", "pending")
    drawn_tokens(page)

    page.fill("#text", LONGER)  # new inputs: the request for the old text is cancelled
    expect(row(page, MINI).locator('td[data-col="input_tokens"]')).not_to_have_attribute("data-value", before)
    after = tokens_of(page)
    page.get_by_label("All models (not only featured)").check()
    expect(page.locator("#results")).to_have_attribute("aria-busy", "true")
    # Whatever is still held (the old text's request, cancelled by the page, and the new one) now
    # gets its answer.
    for route in held:
        with contextlib.suppress(PlaywrightError):  # the page cancelled it: nothing to answer
            route.continue_()
    expect(page.locator("#table-count")).to_contain_text("models, sorted by")
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")
    expect(row(page, MINI).locator('td[data-col="input_tokens"]')).to_have_attribute("data-value", after)
    drawn = page.evaluate("window.drawnTables")
    assert any(table["all"] for table in drawn)
    assert all(table["tokens"] == after for table in drawn if table["all"]), drawn
    texts = [body["text"] for body in everything(sent)]
    assert texts.count(LONGER) == 1, texts  # the tick asked for the new text once
    assert set(texts) <= {PROMPT, LONGER}


def test_a_large_text_is_not_fetched_ahead_and_the_tick_asks_for_itself(page):
    sent = table_requests(page)
    page.goto("/")
    large = (PROMPT + " ") * 800  # over 64 KiB of request: not fetched ahead
    page.fill("#text", large)
    expect(row(page, MINI)).to_be_visible()
    # Longer than the page waits before fetching ahead (1 s once the answer is drawn): a request
    # fetched ahead would have been sent by now.
    page.wait_for_timeout(2_500)
    assert page.locator("#results").get_attribute("data-ahead") == ""
    assert everything(sent) == []
    page.get_by_label("All models (not only featured)").check()
    expect(page.locator("#table-count")).to_contain_text("models, sorted by")
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")
    assert len(everything(sent)) == 1
