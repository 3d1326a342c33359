"""The calculator page in a real browser: counts per provider, exact costs as controls change,
errors next to their field, sorting, filtering, URL state, and pasted markup staying text."""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import expect

from pricing.models import LanguageModel
from tests.reference import deepseek_count, o200k_count

from .helpers import TIMEOUT_MS, expect_usd, row

pytestmark = pytest.mark.browser

MINI = "openai/gpt-4.1-mini"
DEEPSEEK = "deepseek/deepseek-chat"  # retired 2026-07-24: only in earlier tables
DEEPSEEK_V4_FLASH = "deepseek/deepseek-v4-flash"
MTOK = Decimal(1_000_000)
# GPT-4.1 mini, USD per million tokens (PRODUCT.md "Facts for fixtures"; batch is half).
MINI_IN, MINI_OUT, MINI_CACHED = Decimal("0.40"), Decimal("1.60"), Decimal("0.10")
MINI_BATCH_IN, MINI_BATCH_OUT = Decimal("0.20"), Decimal("0.80")

PROMPT = (
    "You are a support assistant for an online bookshop. Summarise the customer's message in two "
    "sentences, then draft a polite reply that offers a refund or a replacement.\n\n"
    "Customer: I ordered 'The Pragmatic Programmer' on 3 March (order #48213) and received a copy "
    "with pages 120-154 missing. Could you send a new one before Friday? Thanks, Ana."
)


def input_tokens_cell(page, key):
    return row(page, key).locator('td[data-col="input_tokens"]')


def test_pasted_text_shows_each_providers_own_token_count(calculator):
    calculator.fill("#text", PROMPT)

    expect(input_tokens_cell(calculator, MINI)).to_have_attribute("data-value", str(o200k_count(PROMPT)))
    expect(input_tokens_cell(calculator, DEEPSEEK_V4_FLASH)).to_have_attribute(
        "data-value", str(deepseek_count(PROMPT))
    )
    assert o200k_count(PROMPT) != deepseek_count(PROMPT), "the text should tell the tokenizers apart"
    expect(row(calculator, MINI).locator('td[data-col="tokenizer"]')).to_contain_text("o200k_base")
    expect(row(calculator, MINI).locator('td[data-col="tokenizer"]')).to_have_attribute("data-exact", "true")
    claude = calculator.locator('#results-body tr[data-key^="anthropic/"] td[data-col="tokenizer"]').first
    expect(claude).to_have_attribute("data-exact", "false")
    expect(claude.locator("abbr.approx")).to_have_attribute("title", re.compile("^Estimate"))
    featured = LanguageModel.objects.filter(featured=True).count()
    assert calculator.locator("#results-body tr[data-key]").count() == featured


def test_output_tokens_batch_and_cache_share_change_the_costs_exactly(calculator):
    tokens = o200k_count(PROMPT)
    calculator.fill("#requests_per_month", "3000")
    calculator.fill("#output_tokens", "700")
    calculator.fill("#text", PROMPT)

    standard_in = tokens * MINI_IN / MTOK
    standard_out = 700 * MINI_OUT / MTOK
    expect_usd(calculator, MINI, "input_usd", standard_in)
    expect_usd(calculator, MINI, "output_usd", standard_out)
    expect_usd(calculator, MINI, "total_usd", standard_in + standard_out)
    expect_usd(calculator, MINI, "monthly_usd", (standard_in + standard_out) * 3000)

    calculator.fill("#output_tokens", "1200")
    expect_usd(calculator, MINI, "output_usd", 1200 * MINI_OUT / MTOK)

    calculator.check("#batch")
    expect_usd(calculator, MINI, "input_usd", tokens * MINI_BATCH_IN / MTOK)
    expect_usd(calculator, MINI, "output_usd", 1200 * MINI_BATCH_OUT / MTOK)
    expect(row(calculator, MINI).locator('td[data-col="total_usd"]')).to_contain_text("batch price")

    calculator.uncheck("#batch")
    calculator.fill("#cached_input_share", "25")
    cached = int((tokens * Decimal("0.25")).to_integral_value(rounding=ROUND_HALF_UP))
    expect_usd(calculator, MINI, "input_usd", ((tokens - cached) * MINI_IN + cached * MINI_CACHED) / MTOK)
    expect_usd(calculator, MINI, "output_usd", 1200 * MINI_OUT / MTOK)


def test_an_earlier_as_of_date_uses_the_price_then_in_force(calculator):
    # DeepSeek V3 (deepseek-chat) cost 0.14 / 0.28 until 2025-02-08, then 0.27 / 1.10, ...,
    # 0.28 / 0.42 from 2025-09-29 (DeepSeek's announcements); retired, so among all models only.
    calculator.check("#all_models")
    calculator.fill("#output_tokens", "1000")
    calculator.fill("#text", PROMPT)
    tokens = deepseek_count(PROMPT)
    calculator.fill("#as_of", "2025-10-15")
    expect_usd(calculator, DEEPSEEK, "input_usd", tokens * Decimal("0.28") / MTOK)
    expect_usd(calculator, DEEPSEEK, "output_usd", 1000 * Decimal("0.42") / MTOK)

    calculator.fill("#as_of", "2025-01-15")
    expect_usd(calculator, DEEPSEEK, "input_usd", tokens * Decimal("0.14") / MTOK)
    expect_usd(calculator, DEEPSEEK, "output_usd", 1000 * Decimal("0.28") / MTOK)


def test_the_cheapest_model_that_fits_is_highlighted_and_named(calculator):
    calculator.fill("#text", PROMPT)
    cheapest = calculator.locator("#results-body tr.cheapest")
    expect(cheapest).to_have_count(1)
    name = cheapest.locator(".model-name").inner_text()
    expect(calculator.locator("#summary")).to_contain_text(f"Cheapest that fits: {name}")
    totals = [
        Decimal(cell.get_attribute("data-usd"))
        for cell in calculator.locator('#results-body td[data-col="total_usd"]').all()
    ]
    assert Decimal(cheapest.locator('td[data-col="total_usd"]').get_attribute("data-usd")) == min(totals)


def test_an_api_error_is_shown_next_to_the_field_it_names(calculator):
    calculator.fill("#text", PROMPT)
    expect(row(calculator, MINI)).to_be_visible()
    calculator.fill("#output_tokens", "-5")
    error = calculator.locator("#error-output_tokens")
    expect(error).to_be_visible()
    expect(error).to_contain_text("negative")
    expect(calculator.locator("#output_tokens")).to_have_attribute("aria-invalid", "true")

    calculator.fill("#output_tokens", "10")
    expect(error).to_be_hidden()


def test_columns_sort_from_the_keyboard_and_filters_narrow_the_table(calculator):
    calculator.fill("#text", PROMPT)
    expect(row(calculator, MINI)).to_be_visible()

    header = calculator.locator('th[data-sort="input_tokens"]')
    header.locator("button").focus()
    calculator.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "ascending")
    counts = [
        int(v)
        for v in calculator.locator('#results-body td[data-col="input_tokens"]').evaluate_all(
            "cells => cells.map(c => c.dataset.value)"
        )
    ]
    assert counts == sorted(counts)
    calculator.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "descending")

    calculator.select_option("#filter-provider", "openai")
    keys = calculator.locator("#results-body tr[data-key]").evaluate_all(
        "rows => rows.map(r => r.dataset.key)"
    )
    assert keys and all(key.startswith("openai/") for key in keys)
    calculator.fill("#filter-search", "mini")
    expect(calculator.locator("#results-body tr[data-key]")).not_to_have_count(len(keys))
    # The link follows the filters a moment after the table is drawn.
    expect(calculator).to_have_url(re.compile(r"[?&]q=mini"))
    assert "filter-search" not in calculator.url
    minis = calculator.locator("#results-body tr[data-key]").evaluate_all(
        "rows => rows.map(r => r.dataset.key)"
    )
    # Typed fast, the first keystroke is drawn at once and the last one after the pause: the
    # table ends on the whole word, not on its first letter.
    calculator.fill("#filter-search", "")
    expect(calculator).not_to_have_url(re.compile(r"[?&]q="))
    calculator.locator("#filter-search").press_sequentially("mini")
    expect(calculator).to_have_url(re.compile(r"[?&]q=mini"))
    shown = calculator.locator("#results-body tr[data-key]").evaluate_all(
        "rows => rows.map(r => r.dataset.key)"
    )
    assert shown == minis


def test_controls_are_restored_from_the_query_string(page):
    page.goto("/?output_tokens=800&requests_per_month=100000&batch=1&cached_input_share=0.5&input_tokens=800")
    expect(page.locator("#output_tokens")).to_have_value("800")
    expect(page.locator("#requests_per_month")).to_have_value("100000")
    expect(page.locator("#cached_input_share")).to_have_value("50")
    expect(page.locator("#batch")).to_be_checked()
    expect(page.locator("#source-tokens")).to_be_checked()
    expect(input_tokens_cell(page, MINI)).to_have_attribute("data-value", "800", timeout=TIMEOUT_MS)


def test_pasted_markup_is_shown_as_text_and_never_runs(calculator):
    # The page fixture fails the test if any dialog opens or any script error happens.
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)"> & <b>bold</b>'
    calculator.fill("#text", payload)
    view = calculator.locator("#token-view")
    expect(view).to_have_attribute("data-count", str(o200k_count(payload)), timeout=TIMEOUT_MS)
    assert view.inner_text() == payload
    assert view.locator("script, img, b").count() == 0
    expect(row(calculator, MINI)).to_be_visible()
    assert calculator.locator("main img, main b").count() == 0
    calculator.wait_for_timeout(300)  # give an injected handler the chance to fire, were there one


def test_a_dropped_text_file_is_read_and_other_files_are_refused(calculator, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(PROMPT, encoding="utf-8")
    calculator.set_input_files("#file", str(notes))
    expect(calculator.locator("#text")).to_have_value(PROMPT)
    expect(input_tokens_cell(calculator, MINI)).to_have_attribute("data-value", str(o200k_count(PROMPT)))

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4")
    calculator.set_input_files("#file", str(scan))
    expect(calculator.locator("#error-text")).to_contain_text("scan.pdf is not a text file")
    expect(calculator.locator("#text")).to_have_value(PROMPT)


def test_a_large_text_shows_progress_while_it_is_counted(calculator, tmp_path):
    large = (PROMPT + "\n") * 1200  # about 420 KB
    document = tmp_path / "large.txt"
    document.write_text(large, encoding="utf-8")
    calculator.set_input_files("#file", str(document))  # typing 420 KB into the box is slow
    progress = calculator.locator("#progress")
    expect(progress).to_be_visible()
    expect(progress).to_contain_text(re.compile(r"Counting \d+\.\d KB with"))
    expect(calculator.locator("#results")).to_have_attribute("aria-busy", "true")

    expect(input_tokens_cell(calculator, MINI)).to_have_attribute("data-value", str(o200k_count(large)))
    expect(progress).to_be_hidden()
    expect(calculator.locator("#results")).to_have_attribute("aria-busy", "false")


def test_a_model_no_source_lists_any_more_is_marked_in_the_table(page):
    from datetime import UTC, datetime

    LanguageModel.objects.filter(provider__slug="openai", slug="gpt-4.1-mini").update(
        missing_since=datetime(2026, 3, 1, tzinfo=UTC)
    )
    page.goto("/?input_tokens=1000&output_tokens=100&as_of=2026-06-01")
    badge = row(page, "openai/gpt-4.1-mini").locator(".status-missing")
    expect(badge).to_have_text("not listed upstream", timeout=TIMEOUT_MS)
    assert "since 2026-03-01" in badge.get_attribute("title")
    expect(row(page, "openai/gpt-4.1-mini").locator(".badge-best")).to_have_count(0)
