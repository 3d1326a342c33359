"""The calculator page for keyboard and screen-reader users, and a clean console: every control has
a name, focus is visible, results are announced politely, the favicon is served, and a visit that
pastes a text and opens All models makes no failed request and logs no error."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import row

pytestmark = pytest.mark.browser

MINI = "openai/gpt-4.1-mini"
PROMPT = "Translate the following paragraph into French and keep the product names in English."


def test_every_control_has_an_accessible_name(calculator):
    calculator.fill("#text", PROMPT)
    expect(row(calculator, MINI)).to_be_visible()
    calculator.locator("#columns-menu > summary").click()
    controls = calculator.locator("main :is(input, select, textarea, button)")
    checked = 0
    for control in controls.all():
        if control.is_visible() or control.get_attribute("id") == "file":
            expect(control).to_have_accessible_name(re.compile(r"\w"))
            checked += 1
    assert checked > 40
    # The controls a visitor reaches for first, by the names a screen reader reads.
    for name in (
        "Text to count",
        "Expected output tokens",
        "Provider",
        "Search",
        "Context window",
        "Open a file…",
    ):
        expect(calculator.get_by_label(name, exact=True)).to_have_count(1)
    expect(calculator.get_by_role("checkbox", name="All models (not only featured)")).to_be_visible()
    expect(calculator.get_by_role("button", name="Pin GPT-4.1 mini (OpenAI) to the answer")).to_be_visible()


def test_keyboard_focus_is_visible(page):
    page.goto("/")
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "(() => { const node = document.activeElement; const style = getComputedStyle(node);"
                " return [node.tagName, node.id || node.textContent.trim().slice(0, 20),"
                " style.outlineStyle, parseFloat(style.outlineWidth)]; })()"
            )
        )
    assert seen[0][1] == "Skip to the content"
    for tag, name, outline, width in seen:
        assert tag != "BODY", seen
        assert outline != "none" and width >= 2, (tag, name, outline, width)


def test_results_are_announced_politely(page):
    page.goto("/")
    for region in ("#answer", "#summary"):
        expect(page.locator(region)).to_have_attribute("aria-live", "polite")
    expect(page.locator("#table-count")).to_have_attribute("role", "status")
    page.fill("#text", PROMPT)
    expect(page.locator("#summary")).to_contain_text("Cheapest that fits")
    expect(page.get_by_role("status").filter(has_text="sorted by")).to_contain_text(
        "sorted by Total $ / request, ascending"
    )


def test_the_favicon_is_linked_and_served(page):
    page.goto("/")
    icon = page.locator('link[rel="icon"]')
    expect(icon).to_have_attribute("type", "image/svg+xml")
    assert page.request.get(icon.get_attribute("href")).ok
    response = page.request.get("/favicon.ico")
    assert response.ok
    assert response.url.endswith("/static/img/favicon.svg")
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.body()


def test_a_visit_makes_no_failed_request_and_logs_no_error(page):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url} {request.failure}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status}: {response.url}") if response.status >= 400 else None
        ),
    )
    page.goto("/")
    page.fill("#text", PROMPT)
    expect(row(page, MINI)).to_be_visible()
    page.get_by_label("All models (not only featured)").check()
    expect(page.locator("#table-count")).to_contain_text("models, sorted by")
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")
    page.wait_for_load_state("networkidle")
    assert problems == []
