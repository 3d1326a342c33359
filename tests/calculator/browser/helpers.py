"""Helpers for the browser tests: locate rows and cells, wait for exact money values."""

from decimal import Decimal

from playwright.sync_api import expect

TIMEOUT_MS = 60_000  # the first estimate loads every tokenizer in the server process


def row(page, key: str):
    return page.locator(f'#results-body tr[data-key="{key}"]')


def fill_text(page, text: str) -> None:
    page.fill("#text", text)


def money_text(value: Decimal) -> str:
    """A decimal as the API writes money: exact, no exponent, no trailing zeros."""
    return "0" if value == 0 else format(value.normalize(), "f")


def expect_usd(page, key: str, column: str, expected: Decimal) -> None:
    """Wait until a money cell holds exactly ``expected`` (its data-usd is the API's exact string)."""
    cell = row(page, key).locator(f'td[data-col="{column}"]')
    expect(cell).to_have_attribute("data-usd", money_text(expected), timeout=TIMEOUT_MS)
    assert Decimal(cell.get_attribute("data-usd")) == expected
