"""The bill's choices on the pages, in a real browser, against published prices (seed):
GPT-5.4 2.50 / 15 per MTok; DeepSeek V4 Pro 0.435 / 0.87 from 2026-04-24, then 0.66 / 1.98
off-peak and 1.32 / 3.96 at weekday peak hours (Beijing 09:00-12:00, 14:00-18:00) from 2026-08-17."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from .helpers import expect_usd, row

pytestmark = pytest.mark.browser
GPT = "openai/gpt-5.4"
V4_PRO = "deepseek/deepseek-v4-pro"


def tokens(page, input_tokens, output_tokens, day="2026-11-27"):
    page.fill("#as_of", day)
    page.fill("#output_tokens", str(output_tokens))
    page.fill("#input_tokens", str(input_tokens))


def test_assumed_reasoning_tokens_are_billed_as_output_and_labelled(calculator):
    tokens(calculator, 10_000, 1_500)
    expect_usd(calculator, GPT, "total_usd", Decimal("0.0475"))
    calculator.fill("#reasoning_tokens", "2000")
    # 10,000 x 2.50 + (1,500 + 2,000) x 15 per million = $0.0775.
    expect_usd(calculator, GPT, "total_usd", Decimal("0.0775"))
    cell = row(calculator, GPT).locator('td[data-col="output_tokens"]')
    expect(cell).to_contain_text("+ 2,000 reasoning (assumed)")
    assert "reasoning_tokens=2000" in calculator.url


def test_a_time_of_day_in_peak_hours_bills_deepseek_at_its_peak_rate(calculator):
    # Friday 2026-11-27: the day's end (07:59 Saturday in Beijing) is off-peak.
    tokens(calculator, 1_000, 500)
    expect_usd(calculator, V4_PRO, "total_usd", Decimal("0.00165"))
    calculator.fill("#as_of_time", "02:00")  # 10:00 Friday in Beijing: peak
    expect_usd(calculator, V4_PRO, "total_usd", Decimal("0.0033"))
    expect(row(calculator, V4_PRO).locator('td[data-col="total_usd"]')).to_contain_text("peak price")
    assert "as_of_time=02%3A00" in calculator.url


def test_a_saved_comparison_is_repriced_on_its_page_with_the_change_behind_it(page):
    body = {"input_tokens": 1_000, "output_tokens": 500, "models": [V4_PRO], "as_of": "2026-06-01"}
    saved = page.request.post("/api/v1/comparisons", data=body).json()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/c/{saved['id']}")
    page.fill("#reprice-as-of", "2026-09-01")
    page.click("#reprice button[type=submit]")
    repriced = page.locator(f'table.repriced tr[data-key="{V4_PRO}"]')
    # Saved 1,000 x 0.435 + 500 x 0.87 = $0.00087; off-peak after 2026-08-17: $0.00165.
    expect(repriced.locator('td[data-col="total_usd"]')).to_have_attribute("data-usd", "0.00165")
    expect(repriced.locator('td[data-col="difference_usd"]')).to_have_attribute("data-usd", "0.00078")
    expect(repriced.locator('td[data-col="changes"]')).to_contain_text("2026-08-17")
    assert "as_of=2026-09-01" in page.url
    # On a phone the page itself does not scroll sideways (only the table inside its frame).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_one_hour_cache_write_bills_claude_at_its_one_hour_rate(calculator):
    # Claude Sonnet 4.6: 3.00 input, 3.75 for a 5-minute cache write, 6.00 for a 1-hour one, 15 output.
    sonnet = "anthropic/claude-sonnet-4-6"
    tokens(calculator, 10_000, 500)
    calculator.fill("#cache_write_share", "50")
    # 5,000 x 3.00 + 5,000 x 3.75 + 500 x 15 per million = $0.04125.
    expect_usd(calculator, sonnet, "total_usd", Decimal("0.04125"))
    calculator.select_option("#cache_write_lifetime", "1h")
    # 5,000 x 3.00 + 5,000 x 6.00 + 500 x 15 per million = $0.0525.
    expect_usd(calculator, sonnet, "total_usd", Decimal("0.0525"))
    cell = row(calculator, sonnet).locator('td[data-col="input_tokens"]')
    expect(cell).to_contain_text("5,000 written to cache (1 h, assumed)")
    assert "cache_write_lifetime=1h" in calculator.url and "cache_write_share=0.5" in calculator.url
