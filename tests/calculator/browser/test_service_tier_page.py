"""The page's service tier and threshold notice in a real browser (GPT-5.4 seed prices:
standard 2.50 / 15, flex 1.25 / 7.50 from 2026-10-12, above 272K 5 / 22.50)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from .helpers import TIMEOUT_MS, expect_usd, row

pytestmark = pytest.mark.browser
GPT = "openai/gpt-5.4"


def tokens(page, input_tokens, output_tokens):
    page.fill("#as_of", "2026-11-27")
    page.fill("#output_tokens", str(output_tokens))
    page.fill("#input_tokens", str(input_tokens))


def test_choosing_flex_bills_gpt_5_4_at_its_flex_rates(calculator):
    tokens(calculator, 10_000, 1_500)
    expect_usd(calculator, GPT, "total_usd", Decimal("0.0475"))
    calculator.select_option("#service_tier", "flex")
    expect_usd(calculator, GPT, "total_usd", Decimal("0.02375"))
    expect(row(calculator, GPT).locator('td[data-col="total_usd"]')).to_contain_text("flex price")
    assert "service_tier=flex" in calculator.url


def test_a_request_over_272k_shows_what_trimming_would_save(calculator):
    tokens(calculator, 300_000, 1_000)
    cell = row(calculator, GPT).locator('td[data-col="threshold_note"]')
    expect(cell).to_contain_text("28,000 fewer tokens would save $0.83", timeout=TIMEOUT_MS)
