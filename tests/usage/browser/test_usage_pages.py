"""The usage pages in a real browser: upload a CSV, see totals, coverage, the by-day bars, the
tables by model and tag, the reconciliation and the what-if; a running import's progress bar
follows the API until the import ends. Expected money from the providers' published prices."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from usage.models import UsageImport

pytestmark = pytest.mark.browser
CSV = (
    "timestamp,model,input_tokens,output_tokens,reported_cost_usd,tags\n"
    # GPT-4.1 mini: $0.40 in, $1.60 out per million
    "2026-09-01T10:00:00Z,openai/gpt-4.1-mini,1000000,0,0.50,support\n"
    "2026-09-02T10:00:00Z,openai/gpt-4.1-mini,0,1000000,1.60,search\n"
    "2026-09-02T11:00:00Z,openai/gpt-9-ultra,10,10,,support\n"
)


def test_an_uploaded_csv_shows_its_summary_reconciliation_and_what_if(page, tmp_path):
    path = tmp_path / "usage.csv"
    path.write_text(CSV, encoding="utf-8")
    page.goto("/usage")
    page.set_input_files("#usage-file", str(path))
    page.click("#usage-form button[type=submit]")
    page.wait_for_url("**/usage/*")
    expect(page.locator("#usage-status")).to_have_text("done")
    expect(page.locator("#usage-progress")).to_have_attribute("value", "100")
    expect(page.locator("#total-usd")).to_have_attribute("data-usd", "2")
    expect(page.locator("#unpriced-rows")).to_have_text("1")
    expect(page.locator("#not-found")).to_contain_text("openai/gpt-9-ultra")
    expect(page.locator("#by-day tbody tr")).to_have_count(2)
    expect(page.locator('#by-day tr[data-key="2026-09-02"] progress')).to_have_attribute("value", "1.6")
    expect(page.locator('#by-tag tr[data-key="support"] td[data-usd]').first).to_have_attribute(
        "data-usd", "0.4"
    )
    expect(page.locator('#reconciliation tr[data-key="openai/gpt-4.1-mini"] td[data-usd]')).to_have_attribute(
        "data-usd", "-0.1"
    )
    page.select_option("#what-if-model", "openai/gpt-4.1")
    page.click("#what-if-form button[type=submit]")
    # The same tokenizer (o200k_base): 1M in at $2.00 + 1M out at $8.00
    expect(page.locator("#what-if-result")).to_have_attribute("data-usd", "10")
    expect(page.locator("#what-if-limits li").first).to_contain_text("not modelled")
    expect(page.locator("#alternatives tbody tr[data-key]").first).to_be_visible()
    assert 1 <= page.locator("#alternatives tbody tr[data-key]").count() <= 10


def test_a_running_import_shows_its_progress_until_it_ends(page):
    running = UsageImport.objects.create(
        format="generic", filename="big.csv", status=UsageImport.Status.RUNNING, rows_total=10, rows_done=5
    )
    page.goto(f"/usage/{running.id}")
    expect(page.locator("#usage-progress")).to_have_attribute("value", "50")
    UsageImport.objects.filter(pk=running.pk).update(rows_done=8)
    expect(page.locator("#usage-progress-text")).to_have_text("8 of 10 rows")
    UsageImport.objects.filter(pk=running.pk).update(
        status=UsageImport.Status.FAILED,
        error="Row 9, column model: a model is required.",
        error_row=9,
        finished_at=timezone.now(),
    )
    expect(page.locator("#usage-failed")).to_have_text("Row 9, column model: a model is required.")


def test_a_refused_file_says_which_row(page, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("timestamp,model,cost\n", encoding="utf-8")
    page.goto("/usage")
    page.set_input_files("#usage-file", str(path))
    page.click("#usage-form button[type=submit]")
    expect(page.locator("#usage-error")).to_contain_text("Row 1: unknown columns: 'cost'")


def test_the_forecast_shows_the_month_at_this_pace_and_the_budget_day_without_script(
    browser, live_server, page, tmp_path
):
    # GPT-4.1 mini at $0.40 per million input tokens: 2,500,000 tokens a day is $1.00 a day for
    # ten days of September's thirty: $30.00 at this pace; a $25 budget runs out on the 25th.
    days = "".join(f"2026-09-{day:02d}T12:00:00Z,openai/gpt-4.1-mini,2500000,0\n" for day in range(1, 11))
    path = tmp_path / "usage.csv"
    path.write_text("timestamp,model,input_tokens,output_tokens\n" + days, encoding="utf-8")
    page.goto("/usage")
    page.set_input_files("#usage-file", str(path))
    page.click("#usage-form button[type=submit]")
    page.wait_for_url("**/usage/*")
    expect(page.locator("#usage-status")).to_have_text("done")
    expect(page.locator("#forecast-projected")).to_have_attribute("data-usd", "30")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(page.url)
        expect(plain.locator("#forecast-to-date")).to_have_attribute("data-usd", "10")
        expect(plain.locator("#forecast-projected")).to_have_attribute("data-usd", "30")
        expect(plain.locator("#forecast-range")).to_have_text("$30 to $30")
        plain.fill("#forecast-budget", "25")
        plain.click("#forecast-form button[type=submit]")
        expect(plain.locator("#forecast-budget-result")).to_have_attribute("data-day", "2026-09-25")
        expect(plain.locator("#forecast-budget-result")).to_contain_text("runs out on day 25")
        assert "budget=25" in plain.url
        plain.fill("#forecast-budget", "lots")
        plain.click("#forecast-form button[type=submit]")
        expect(plain.locator("#budget-error")).to_contain_text("budget")
        expect(plain.locator("#forecast-budget")).to_have_attribute("aria-invalid", "true")
    finally:
        context.close()
