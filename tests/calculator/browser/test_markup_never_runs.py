"""Hostile markup, wherever it can come from (a pasted text, an upstream price feed's model and
provider names, an import's diff and error, a change reason), is shown as text and never runs:
on the public pages, in the token view, in the admin and in the exports.

The ``page`` fixture fails a test on any dialog (``alert``), script error or CSP violation.
"""

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import expect

from pricing.bill.rates import Rates
from pricing.models import ImportRun, LanguageModel, PriceVersion, Provider
from pricing.services.versions import publish_price_version

from .helpers import TIMEOUT_MS, row

pytestmark = pytest.mark.browser

MARKUP = '<script>alert("script")</script><img src=x onerror="alert(\'img\')"><b>bold</b>'


@pytest.fixture
def hostile(catalogue) -> LanguageModel:
    """A provider and a featured model named with markup, as a poisoned price feed would bring."""
    provider = Provider.objects.create(slug="evil", name=f"Evil {MARKUP}", website="https://example.com/")
    model = LanguageModel.objects.create(
        provider=provider,
        slug="evil-1",
        name=f"Evil model {MARKUP}",
        tokenizer_key="o200k_base",
        featured=True,
        notes=MARKUP,
    )
    run = ImportRun.objects.create(
        source="litellm",
        status=ImportRun.Status.FAILED,
        error=f"unreadable payload: {MARKUP}",
        diff=[{"model": f"evil/{MARKUP}", "change": MARKUP}],
        problems=[{"field": MARKUP, "message": MARKUP}],
    )
    publish_price_version(
        model=model,
        rates=Rates(D("1"), D("2")),
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        origin=PriceVersion.Origin.IMPORT,
        change_reason=f"Upstream said {MARKUP}",
        import_run=run,
    )
    return model


def shows_markup_as_text(page) -> None:
    """The markup is on screen, as characters; none of it became elements."""
    expect(page.locator("body")).to_contain_text('<script>alert("script")</script>')
    assert page.locator('img[src="x"], main b, #content b').count() == 0
    assert page.locator("script:not([src])").count() == 0  # the CSP allows no inline script anyway


def test_public_pages_show_a_hostile_model_as_text(page, hostile):
    page.goto("/models")
    shows_markup_as_text(page)
    page.goto(f"/models/evil/{hostile.slug}")
    shows_markup_as_text(page)
    page.goto("/")
    page.fill("#text", "Hello")
    expect(row(page, "evil/evil-1")).to_contain_text("Evil model <script>", timeout=TIMEOUT_MS)
    shows_markup_as_text(page)
    page.wait_for_timeout(300)  # give an injected handler the chance to fire, were there one


def test_a_saved_comparison_shows_hostile_text_and_its_exports_cannot_render(page, hostile):
    response = page.request.post("/api/v1/comparisons", data={"text": MARKUP, "save_text": True})
    assert response.status == 201, response.text()
    saved = response.json()
    page.goto(saved["url"])
    shows_markup_as_text(page)
    expect(page.locator("pre.saved-text")).to_have_text(MARKUP)

    for url, content_type in ((saved["json_url"], "application/json"), (saved["csv_url"], "text/csv")):
        export = page.request.get(url)
        assert export.headers["content-type"].startswith(content_type)
        assert export.headers["x-content-type-options"] == "nosniff"  # never sniffed as HTML
        assert export.headers["content-disposition"].startswith("attachment;")
        assert "alert(" in export.text()  # the data is kept as it was, only never run


def test_the_admin_shows_hostile_names_diffs_and_reasons_as_text(page, hostile):
    # A superuser: the live server's test flushes the "Price editors" group the migrations made.
    User.objects.create_superuser("editor", password="a long test password 42")
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a long test password 42")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()

    version = PriceVersion.objects.get(model=hostile)
    run = ImportRun.objects.get(source="litellm")
    for path in (
        "/admin/pricing/provider/",
        f"/admin/pricing/provider/{hostile.provider.pk}/change/",
        "/admin/pricing/languagemodel/",
        f"/admin/pricing/languagemodel/{hostile.pk}/change/",
        "/admin/pricing/priceversion/",
        f"/admin/pricing/priceversion/{version.pk}/change/",
        f"/admin/pricing/importrun/{run.pk}/change/",
    ):
        page.goto(path)
        assert "/admin/login/" not in page.url, path
        expect(page.locator("#content")).to_contain_text("alert(", timeout=TIMEOUT_MS)
        # (select2, the admin's autocomplete, draws its arrow as an empty <b role="presentation">)
        assert page.locator('img[src="x"], #content b:not([role="presentation"])').count() == 0, path
    assert page.locator("#content pre").first.inner_text().count("<script>") >= 1  # the diff, as text
    page.wait_for_timeout(300)


def test_the_admin_is_behind_a_login(hostile):
    client = Client()
    paths = ("/admin/", f"/admin/pricing/languagemodel/{hostile.pk}/change/", "/admin/pricing/importrun/")
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), path
