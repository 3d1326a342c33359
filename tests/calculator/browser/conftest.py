"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser for these tests, a fresh context (cookies, downloads) per test. A missing Chromium is a
failure, never a skip: `make test` installs it (bin/ensure-chromium).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

from .helpers import TIMEOUT_MS

expect.set_options(timeout=TIMEOUT_MS)

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="package")
def browser(django_db_setup, live_server):
    # The test database and the live server come first: they may not be set up beside the
    # event loop Playwright's sync API keeps in this thread.
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}: run bin/ensure-chromium "
            "(apt-get install chromium) or set CHROMIUM_PATH.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package", autouse=True)
def allow_async_unsafe():
    """Playwright's sync API runs an event loop in this thread; Django's ORM (the catalogue seed,
    the database flush after each test) refuses to run beside one unless told it is safe here.
    Only while these tests run: subprocesses of later tests (check --deploy) must not inherit it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def catalogue(transactional_db):
    # The seed only: these pages are tested on the 24 curated models, not the whole history.
    call_command("load_catalogue", no_history=True, verbosity=0)


@pytest.fixture
def page(browser, live_server, catalogue):
    """A page on the live server that fails the test on any dialog (alert) or script error."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []

    def on_dialog(dialog):
        problems.append(f"a {dialog.type} dialog opened: {dialog.message!r}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"CSP violation: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def calculator(page):
    """The calculator with "More options" open: most tests change an assumption."""
    page.goto("/")
    page.click("#more-options > summary")
    return page
