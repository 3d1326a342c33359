"""The admin's browser tests share the calculator's Chromium set-up (one browser per package, a
fresh context per test, a failure on any dialog, script error or CSP violation)."""

from tests.calculator.browser.conftest import allow_async_unsafe, browser, catalogue, page  # noqa: F401
