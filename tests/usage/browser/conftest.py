"""The calculator's browser harness (one Chromium, a page that fails on any script error or CSP
violation, the seed catalogue), with uploads kept in the test's folder."""

import pytest

from tests.calculator.browser.conftest import allow_async_unsafe, browser, catalogue, page  # noqa: F401


@pytest.fixture(autouse=True)
def usage_uploads(settings, tmp_path):
    settings.USAGE_UPLOAD_DIR = tmp_path / "uploads"
