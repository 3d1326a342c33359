"""Re-costing with "All models" shown, in a real browser at desktop and phone widths: a new output
size asks for the estimate against the rows the page holds (``?since=<stamp>``), the server answers
with the changing values only, and the table then shows, row for row and in the same order, the
money and price versions of POST /api/v1/estimate for the new request."""

import json
import re

import pytest
from playwright.sync_api import expect

from .helpers import row

pytestmark = pytest.mark.browser

MINI = "openai/gpt-4.1-mini"
PROMPT = "Summarise this support ticket in two sentences and draft a polite reply offering a refund."
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
TABLE_URL = re.compile(r"/api/v1/estimate/table(\?|$)")


def all_models_drawn(page) -> None:
    expect(page.locator("#table-count")).to_contain_text("models, sorted by")
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_a_recost_with_all_models_shows_the_public_estimate_for_the_new_output(calculator, width):
    page = calculator  # "More options" open: the output size is one of them
    page.set_viewport_size(WIDTHS[width])
    page.fill("#text", PROMPT)
    expect(row(page, MINI)).to_be_visible()
    page.get_by_label("All models (not only featured)").check()  # fetched ahead, or asked for now
    all_models_drawn(page)
    first = page.locator("#results-body tr[data-key]").evaluate_all("rows => rows.map(r => r.dataset.key)")

    def asked_for(response) -> bool:
        return (
            bool(TABLE_URL.search(response.url))
            and json.loads(response.request.post_data)["output_tokens"] == 4321
        )

    with page.expect_response(asked_for) as answered:
        page.fill("#output_tokens", "4321")
        page.locator("#output_tokens").dispatch_event("change")  # a finished edit: asks at once
    recost = answered.value
    assert "since=" in recost.url
    assert "results_update" in recost.json() and "results_table" not in recost.json()
    expect(row(page, first[0]).locator('td[data-col="output_tokens"]')).to_have_attribute(
        "data-value", "4321"
    )
    all_models_drawn(page)

    body = json.loads(recost.request.post_data)
    public = page.request.post("/api/v1/estimate", data=body).json()["results"]
    expected = [f"{r['provider']}/{r['model']}" for r in public]
    expect(page.locator("#table-count")).to_contain_text(f"{len(public)} models")
    drawn = page.locator("#results-body tr[data-key]")
    keys = drawn.evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert keys == expected[: len(keys)]  # cheapest first, as the public answer orders them
    by_key = {f"{r['provider']}/{r['model']}": r for r in public}
    checked = 0
    for tr in drawn.all():
        expected_row = by_key[tr.get_attribute("data-key")]
        expect(tr.locator('td[data-col="output_tokens"]')).to_have_attribute("data-value", "4321")
        if expected_row["total_usd"] is None:
            continue
        for column in ("total_usd", "monthly_usd"):
            cell = tr.locator(f'td[data-col="{column}"]')
            expect(cell).to_have_attribute("data-usd", expected_row[column])
            link = cell.locator("a.money").get_attribute("href")
            assert link.endswith(f"#v{expected_row['price_version']}"), (column, link)
        assert (
            expected_row["tokenizer_name"].replace(" (estimate)", "")
            in tr.locator('td[data-col="tokenizer"]').inner_text()
        )
        checked += 1
    assert checked >= 10
