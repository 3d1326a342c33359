"""The token view, the budget presets and chart, saving and exporting, the phone layout, and the
README screenshot."""

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from calculator.budgets import PRESETS
from pricing.models import LanguageModel
from tests.reference import deepseek_count, tiktoken_encoding

from .helpers import TIMEOUT_MS, row

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[3]
CJK = (
    "大型语言模型按词元计费。同一段中文，不同的分词器切出的词元数量相差很大，"
    "所以在选择模型之前，最好先用自己的文本数一数。東京の天気は晴れです。"
)
REALISTIC_TEXT = """Subject: Re: invoice 2026-0311 charged twice

Hi team,

Our March invoice (#2026-0311) shows the Pro plan charged twice on the same card: once on
3 March and again on 4 March, each for $49.99. We only have one workspace. Could you refund
the duplicate and confirm which payment method is on file?

Also, the CSV export from the billing page fails for date ranges longer than 31 days:

    GET /billing/export?from=2026-01-01&to=2026-03-31  ->  500 Internal Server Error

Thanks,
Ana Souza, Operations, Lisbon
"""


def test_the_token_view_shows_one_span_per_token_of_cjk_text(calculator):
    calculator.fill("#text", CJK)
    view = calculator.locator("#token-view")
    expected = len(tiktoken_encoding("o200k_base").encode_ordinary(CJK))
    expect(view).to_have_attribute("data-count", str(expected), timeout=TIMEOUT_MS)
    assert view.locator("span.tok").count() == expected
    assert view.inner_text() == CJK  # the spans tile the text exactly
    first = view.locator("span.tok").first
    assert "id " in first.get_attribute("title")
    expect(calculator.locator("#token-stats")).to_contain_text(f"{expected} tokens")

    calculator.select_option("#token-tokenizer", "deepseek_v3")
    expected = deepseek_count(CJK)
    expect(view).to_have_attribute("data-tokenizer", "deepseek_v3", timeout=TIMEOUT_MS)
    expect(view.locator("span.tok")).to_have_count(expected)
    assert "tokenizer=deepseek_v3" in calculator.url

    calculator.select_option("#token-tokenizer", "claude")
    expect(view).to_have_attribute("data-tokenizer", "claude", timeout=TIMEOUT_MS)
    expect(calculator.locator("#token-note")).to_contain_text("illustrative")


def test_a_budget_preset_fills_the_fields_and_draws_one_bar_per_model(calculator):
    preset = PRESETS["support_bot"]
    calculator.fill("#requests_per_month", "10000")
    calculator.get_by_role("button", name="Customer support bot").click()

    expect(calculator.locator("#input_tokens")).to_have_value(str(preset.input_tokens.typical))
    expect(calculator.locator("#output_tokens")).to_have_value(str(preset.output_tokens.typical))
    expect(calculator.locator("#source-tokens")).to_be_checked()
    expect(calculator.get_by_role("button", name="Customer support bot")).to_have_attribute(
        "aria-pressed", "true"
    )

    mini = row(calculator, "openai/gpt-4.1-mini")
    expect(mini.locator('td[data-col="input_tokens"]')).to_have_attribute(
        "data-value", str(preset.input_tokens.typical), timeout=TIMEOUT_MS
    )
    rows = calculator.locator("#results-body tr[data-key]")
    bars = calculator.locator("#chart-svg svg.bar-chart g.bar")
    expect(bars).to_have_count(rows.count())
    assert rows.count() == LanguageModel.objects.filter(featured=True).count()
    expect(calculator.locator("#chart-svg svg")).to_have_attribute("role", "img")
    assert calculator.locator("#chart-svg svg > title").text_content().startswith("Monthly cost per model")
    # Cheapest first, with the exact monthly cost of each model.
    monthly = {
        r.get_attribute("data-key"): Decimal(
            r.locator('td[data-col="monthly_usd"]').get_attribute("data-usd")
        )
        for r in rows.all()
    }
    drawn = bars.evaluate_all("bars => bars.map(b => b.dataset.key)")
    assert [monthly[key] for key in drawn] == sorted(monthly.values())
    mini_total = Decimal(mini.locator('td[data-col="total_usd"]').get_attribute("data-usd"))
    assert monthly["openai/gpt-4.1-mini"] == mini_total * 10000
    expect(calculator.locator("#chart-table tbody tr")).to_have_count(rows.count())


def test_the_saved_comparisons_json_export_matches_the_table(calculator):
    calculator.fill("#requests_per_month", "2500")
    calculator.fill("#text", REALISTIC_TEXT)
    expect(row(calculator, "openai/gpt-4.1-mini")).to_be_visible()
    table = {
        r.get_attribute("data-key"): {
            col: r.locator(f'td[data-col="{col}"]').get_attribute("data-usd")
            for col in ("input_usd", "output_usd", "total_usd", "monthly_usd")
        }
        | {"input_tokens": r.locator('td[data-col="input_tokens"]').get_attribute("data-value")}
        for r in calculator.locator("#results-body tr[data-key]").all()
    }

    calculator.click("#save-button")
    expect(calculator.locator("#save-result")).to_be_visible()
    with calculator.expect_download() as download_info:
        calculator.click("#save-json")
    export = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))

    assert export["schema_version"] == 1
    assert export["inputs"]["requests_per_month"] == 2500
    assert "text" not in export["inputs"], "the text is stored only when asked"
    exported = {f"{r['provider']}/{r['model']}": r for r in export["results"]}
    assert exported.keys() == table.keys()
    for key, shown in table.items():
        for col in ("input_usd", "output_usd", "total_usd", "monthly_usd"):
            assert Decimal(exported[key][col]) == Decimal(shown[col]), (key, col)
        assert str(exported[key]["input_tokens"]) == shown["input_tokens"]
        assert {"tokenizer", "exact", "price_version", "effective_from"} <= exported[key].keys()

    calculator.click("#save-link")
    expect(calculator.locator("h1")).to_contain_text("Saved comparison")
    expect(calculator.locator("table.results tbody tr")).to_have_count(len(table))
    calculator.get_by_role("link", name="Open in calculator").click()
    expect(calculator.locator("#requests_per_month")).to_have_value("2500")
    expect(calculator.locator("#reopen-note")).to_contain_text("saved without its text")


def test_a_comparison_saved_with_its_text_reopens_with_it(calculator):
    calculator.fill("#text", "Hello, world!")
    expect(row(calculator, "openai/gpt-4.1-mini")).to_be_visible()
    calculator.check("#save_text")
    calculator.click("#save-button")
    expect(calculator.locator("#save-result")).to_be_visible()
    calculator.click("#save-link")
    calculator.get_by_role("link", name="Open in calculator").click()
    expect(calculator.locator("#text")).to_have_value("Hello, world!")
    expect(row(calculator, "openai/gpt-4.1-mini").locator('td[data-col="input_tokens"]')).to_have_attribute(
        "data-value", "4", timeout=TIMEOUT_MS
    )


def test_the_page_is_usable_at_phone_width(page):
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto("/")
    page.fill("#text", REALISTIC_TEXT)
    expect(row(page, "openai/gpt-4.1-mini")).to_be_visible()
    # Nothing scrolls sideways: on a phone each model is a card (test_table_layout.py).
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    wrap_scrolls = page.evaluate(
        "(() => { const w = document.getElementById('table-wrap'); return w.scrollWidth > w.clientWidth; })()"
    )
    assert not wrap_scrolls
    box = page.locator("#output_tokens").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_it_saves_the_readme_screenshot(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/?requests_per_month=10000&output_tokens=300")
    page.fill("#text", REALISTIC_TEXT)
    expect(row(page, "openai/gpt-4.1-mini")).to_be_visible()
    expect(page.locator("#token-view span.tok").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")
    page.locator("#text").evaluate("area => { area.blur(); area.scrollTop = 0; }")
    # Written to var/ so `make test` leaves the tree clean; UPDATE_SCREENSHOTS=1 refreshes docs/
    folder = REPO_ROOT / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") else "var")
    target = folder / "screenshot.png"
    target.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


def test_a_preset_says_what_it_replaced_and_can_keep_the_pasted_text_as_input(calculator):
    preset = PRESETS["support_bot"]
    calculator.fill("#text", REALISTIC_TEXT)
    text_tokens = len(tiktoken_encoding("o200k_base").encode_ordinary(REALISTIC_TEXT))
    mini = row(calculator, "openai/gpt-4.1-mini")
    expect(mini.locator('td[data-col="input_tokens"]')).to_have_attribute(
        "data-value", str(text_tokens), timeout=TIMEOUT_MS
    )
    calculator.get_by_role("button", name="Customer support bot").click()
    note = calculator.locator("#preset-note")
    expect(note).to_contain_text("in place of your text as the input")
    expect(note).to_contain_text(f"{preset.output_tokens.typical:,} output tokens a request")
    expect(mini.locator('td[data-col="input_tokens"]')).to_have_attribute(
        "data-value", str(preset.input_tokens.typical), timeout=TIMEOUT_MS
    )

    calculator.get_by_role("button", name="Keep my text as the input").click()
    expect(calculator.locator("#source-text")).to_be_checked()
    expect(calculator.locator("#output_tokens")).to_have_value(str(preset.output_tokens.typical))
    expect(note).to_contain_text("Your text is the input")
    expect(mini.locator('td[data-col="input_tokens"]')).to_have_attribute(
        "data-value", str(text_tokens), timeout=TIMEOUT_MS
    )
    expect(mini.locator('td[data-col="output_tokens"]')).to_have_attribute(
        "data-value", str(preset.output_tokens.typical), timeout=TIMEOUT_MS
    )
    assert calculator.locator("#text").input_value() == REALISTIC_TEXT
