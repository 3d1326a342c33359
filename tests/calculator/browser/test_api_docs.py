"""The interactive API docs at /api/v1/docs: Swagger UI from ninja's own static files, working
under the site's strict content security policy and loading nothing from another host."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_page_lists_every_endpoint_without_loading_anything_external(page, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("LLM token & price calculator API")
    for path in ("/api/v1/estimate", "/api/v1/tokenize", "/api/v1/models/{provider}/{model}/prices"):
        expect(page.locator(f'.opblock-summary-path[data-path="{path}"]').first).to_be_visible()
    own = urlparse(live_server.url).netloc
    assert {urlparse(url).netloc for url in requested if not url.startswith("data:")} == {own}
    # The `page` fixture fails the test on any CSP violation or script error seen meanwhile.
