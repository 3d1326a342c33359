"""The price history pages in a real browser on a 390 px phone: nothing wider than the screen,
the chart drawn from the server's SVG alone (these pages run no script)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_model_page_shows_its_price_chart_on_a_phone(page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/models/deepseek/deepseek-chat")
    chart = page.get_by_role("img", name="DeepSeek V3 (deepseek-chat): input and output price over time")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"] and box["height"] > 100
    assert fits_the_screen(page)


def test_what_changed_filters_on_a_phone_and_links_its_feed(page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/changes")
    page.select_option("select[name=provider]", "deepseek")
    page.fill("input[name=from]", "2025-09-01")
    page.fill("input[name=to]", "2025-09-30")
    page.select_option("select[name=direction]", "up")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#change-count")).to_have_text("1 change.")
    feed = page.get_by_role("link", name="Atom feed")
    assert "direction=up" in (feed.get_attribute("href") or "")
    assert fits_the_screen(page)
