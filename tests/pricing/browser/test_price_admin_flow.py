"""The price admin in Chromium: find a model by typing part of its name, upload a table, read the
preview, confirm, see the new versions and their diffs; a non-editor is refused at every step.

The live server's tests flush the database, "Price editors" group included, so the editor here
gets the group's permissions one by one.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from playwright.sync_api import expect

from pricing.models import LanguageModel, PriceTable, PriceVersion
from pricing.sources.price_table import COLUMNS
from tests.pricing.acme import create_acme_models

pytestmark = pytest.mark.browser
SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "admin-upload.png"
EDITOR_PERMISSIONS = [
    "edit_prices",
    "view_priceversion",
    "add_priceversion",
    "view_pricetier",
    "view_languagemodel",
    "change_languagemodel",
    "view_provider",
    "view_importrun",
    "view_priceproposal",
    "view_pricetable",
]


def log_in(page, username: str, *, permissions: list[str]) -> None:
    user = User.objects.create_user(username, password="a long test password 42", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="pricing", codename__in=permissions)
    )
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a long test password 42")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()


@pytest.fixture
def acme(catalogue):
    """Twenty models of one provider at 1.00 in / 4.00 out (USD per million tokens)."""
    return create_acme_models()[0].provider


def write_csv(path: Path, rows) -> Path:
    lines = [",".join(COLUMNS[:5])] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def upload(page, path: Path, reason: str) -> None:
    page.goto("/admin/pricing/languagemodel/")
    page.click("#upload-price-table")
    page.set_input_files("#id_table_file", str(path))
    page.fill("#id_change_reason", reason)
    page.fill("#id_source_url", "https://acme.example/pricing")
    page.fill("#id_effective_from_0", "2026-07-01")
    page.fill("#id_effective_from_1", "00:00:00")
    page.click("input[name=preview]")


def search_models(page, text: str) -> None:
    """Open the model chooser and type into its search box, once the box is there: keystrokes sent
    while the dropdown is still opening (or closing after a choice) would go nowhere."""
    expect(page.locator(".select2-container--open")).to_have_count(0)
    page.click("#id_model + .select2 .select2-selection")
    search = page.locator(".select2-container--open .select2-search__field")
    expect(search).to_be_visible()
    search.press_sequentially(text)


def test_an_editor_finds_a_model_by_typing_part_of_its_name(page, acme):
    log_in(page, "editor", permissions=EDITOR_PERMISSIONS)
    page.goto("/admin/pricing/priceversion/add/")
    search_models(page, "cme 17")
    option = page.locator(".select2-results__option", has_text="Acme AI Acme 17")
    expect(option).to_have_count(1)
    expect(page.locator(".select2-results__option")).to_have_count(1)
    option.click()
    expect(page.locator("#id_model")).to_have_value(str(LanguageModel.objects.get(slug="acme-17").pk))
    search_models(page, "gpt-5.4")  # by slug, among the seed catalogue's models
    expect(page.locator(".select2-results__option").first).to_contain_text("GPT-5.4")


def test_twenty_models_change_with_one_upload_one_preview_and_one_confirmation(page, acme, tmp_path):
    log_in(page, "editor", permissions=EDITOR_PERMISSIONS)
    path = write_csv(tmp_path / "acme.csv", [("acme", f"acme-{n}", "", "0.80", "3.20") for n in range(1, 21)])
    upload(page, path, "Acme cut its prices by 20%")
    expect(page.locator("#preview-counts")).to_contain_text("20 new versions")
    expect(page.locator("#preview-rows tbody tr.row-new")).to_have_count(20)
    expect(page.locator('tr[data-key="acme/acme-7"]')).to_contain_text(
        "input 1.00 → 0.80; output 4.00 → 3.20"
    )
    assert PriceVersion.objects.filter(model__provider=acme).count() == 20  # the preview wrote nothing
    page.click("#publish")
    expect(page.locator(".messagelist")).to_contain_text("20 new version(s) published")
    expect(page.locator(".table-versions tbody tr")).to_have_count(20)
    expect(page.locator(".table-versions")).to_contain_text("input 1.00 → 0.80; output 4.00 → 3.20")
    new = PriceVersion.objects.filter(model__provider=acme, origin="admin")
    table = PriceTable.objects.get()
    assert new.count() == 20
    assert {(v.change_reason, v.source_url) for v in new} == {
        (f"Price table #{table.pk}: Acme cut its prices by 20%", "https://acme.example/pricing")
    }
    page.goto(f"/admin/pricing/languagemodel/{LanguageModel.objects.get(slug='acme-3').pk}/change/")
    history = page.locator("#price_versions-group")
    expect(history).to_contain_text("input 1.00 → 0.80; output 4.00 → 3.20")
    expect(history).to_contain_text(f"editor, price table #{table.pk}")
    expect(history).to_contain_text("0.80")


def test_a_table_with_a_bad_row_publishes_only_once_the_row_is_dropped(page, acme, tmp_path):
    log_in(page, "editor", permissions=EDITOR_PERMISSIONS)
    rows = [("acme", f"acme-{n}", "", "0.90", "3.60") for n in range(1, 6)]
    rows += [
        ("acme", "acme-6", "", "1.00", "4.00"),
        ("acme", "acme-7", "", "2.50", "4.00"),
        ("acme", "acme-8", "", "0.90", "-3"),
        ("acme", "acme-99", "", "1", "2"),
    ]
    upload(page, write_csv(tmp_path / "mixed.csv", rows), "Acme's July price list")
    expect(page.locator("#preview-counts")).to_contain_text("5 new versions")
    expect(page.locator('tr[data-key="acme/acme-6"]')).to_contain_text("unchanged")
    expect(page.locator('tr[data-key="acme/acme-7"]')).to_contain_text("changes by 150% (over 50%)")
    expect(page.locator('tr[data-key="acme/acme-8"]')).to_contain_text(
        "output_usd_per_mtok: must not be negative"
    )
    expect(page.locator('tr[data-key="acme/acme-99"]')).to_contain_text("no model acme/acme-99")
    expect(page.locator("#publish")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copy(tmp_path / "preview.png", SCREENSHOT)
    page.click("#drop-refused")
    expect(page.locator("#preview-rows tbody tr")).to_have_count(7)
    page.click("#publish")
    expect(page.locator(".messagelist")).to_contain_text("5 new version(s) published, 1 proposal(s) queued")
    assert PriceVersion.objects.filter(model__provider=acme, origin="admin").count() == 5


def test_a_user_without_the_price_editor_permission_is_refused_at_every_step(page, acme, tmp_path):
    log_in(page, "viewer", permissions=["view_languagemodel", "view_priceversion", "view_provider"])
    page.goto("/admin/pricing/languagemodel/")
    expect(page.locator("#result_list")).to_be_visible()
    expect(page.locator("#upload-price-table")).to_have_count(0)
    expect(page.locator("select[name=action] option[value=lock_prices]")).to_have_count(0)
    for path in ("/admin/pricing/languagemodel/price-table/", "/admin/pricing/priceversion/add/"):
        response = page.goto(path)
        assert response.status == 403, path
    response = page.request.post("/admin/pricing/languagemodel/price-table/confirm/", form={"table": "x"})
    assert response.status == 403
    assert PriceVersion.objects.filter(origin="admin").count() == 0
