"""The month's forecast of an import, on small synthetic imports whose expected amounts are
worked out by hand from GPT-4.1 mini's published prices ($0.40 input, $1.60 output per million
tokens): 2,500,000 input tokens or 625,000 output tokens cost exactly $1.00.

September 2026 has 30 days and starts on a Tuesday (weekends: 5-6, 12-13, 19-20, 26-27)."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from pricing.bill.rates import Rates
from pricing.models import LanguageModel, PriceVersion
from pricing.services.versions import publish_price_version
from usage.models import UsageImport

from .conftest import post_rows

pytestmark = pytest.mark.django_db
MINI = "openai/gpt-4.1-mini"
ONE_DOLLAR_IN = {"model": MINI, "input_tokens": 2_500_000}
ONE_DOLLAR_OUT = {"model": MINI, "output_tokens": 625_000}


def day_rows(days, usage, hour=12):
    return [{"timestamp": f"2026-09-{day:02d}T{hour:02d}:00:00Z", **usage} for day in days]


def imported(client, rows) -> str:
    status, created = post_rows(client, rows)
    assert status == 202, created
    return created["id"]


def forecast(client, import_id, **params):
    response = client.get(f"/api/v1/usage/imports/{import_id}/forecast", params)
    return response.status_code, json.loads(response.content)


def test_ten_days_at_a_dollar_a_day_is_thirty_dollars_in_a_thirty_day_month(client, seeded):
    import_id = imported(client, day_rows(range(1, 11), ONE_DOLLAR_IN))
    status, body = forecast(client, import_id)
    assert status == 200, body
    assert (body["month"], body["last_day"], body["days_in_month"], body["days_left"]) == (
        "2026-09",
        "2026-09-10",
        30,
        20,
    )
    assert (body["month_to_date_usd"], body["projected_usd"]) == ("10", "30")
    assert body["range"] == {"low_usd": "30", "high_usd": "30"}
    assert [pace["usd_per_day"] for pace in body["paces"]] == ["1", "1"]
    assert [pace["days"] for pace in body["paces"]] == [7, 10]  # 28 days asked, 10 present
    assert body["weekday_pattern"] is None  # fewer than 14 days: flat
    assert len(body["by_day"]) == 20 and {day["usd"] for day in body["by_day"]} == {"1"}
    assert body["budget"] is None and body["excluded_unpriced_rows"] == 0


def double_mini_output_from_the_20th() -> PriceVersion:
    """GPT-4.1 mini's output price doubled ($1.60 -> $3.20 a million) from 2026-09-20."""
    mini = LanguageModel.objects.get(provider__slug="openai", slug="gpt-4.1-mini")
    return publish_price_version(
        model=mini,
        rates=Rates(Decimal("0.40"), Decimal("3.20")),
        effective_from=datetime(2026, 9, 20, tzinfo=UTC),
        origin=PriceVersion.Origin.IMPORT,
        change_reason="test: output price doubled",
    )


def test_a_scheduled_price_change_applies_from_its_day(client, seeded):
    import_id = imported(client, day_rows(range(1, 11), ONE_DOLLAR_OUT))
    version = double_mini_output_from_the_20th()
    status, body = forecast(client, import_id)
    assert status == 200, body
    # 10 days spent at $1, the 11th-19th at $1 (9 days), the 20th-30th at $2 (11 days)
    assert body["projected_usd"] == str(10 + 9 * 1 + 11 * 2) == "41"
    assert body["range"] == {"low_usd": "41", "high_usd": "41"}
    assert body["scheduled_changes"] == [
        {"model": MINI, "effective_from": "2026-09-20T00:00:00+00:00", "price_version": version.pk}
    ]
    by_day = {day["day"]: day["usd"] for day in body["by_day"]}
    assert (by_day["2026-09-19"], by_day["2026-09-20"], by_day["2026-09-30"]) == ("1", "2", "2")


def test_with_two_weeks_the_weekday_pattern_gives_weekends_their_own_pace(client, seeded):
    weekends = {5, 6, 12, 13}
    weekdays = [day for day in range(1, 15) if day not in weekends]
    three_dollars = {"model": MINI, "input_tokens": 7_500_000}
    rows = day_rows(weekdays, ONE_DOLLAR_IN) + day_rows(sorted(weekends), three_dollars)
    status, body = forecast(client, imported(client, rows))
    assert status == 200, body
    # Spent: 10 weekdays at $1 + 4 weekend days at $3 = $22. Left, the 15th-30th: 12 weekdays
    # and 4 weekend days (19, 20, 26, 27): 12 * $1 + 4 * $3 = $24.
    assert (body["month_to_date_usd"], body["projected_usd"]) == ("22", "46")
    assert body["weekday_pattern"] == {"weekday_usd_per_day": "1", "weekend_usd_per_day": "3"}
    # Flat paces: 28-day window (14 days) $22 / 14; 7-day window (8th-14th) 5 * $1 + 2 * $3 = $11 / 7.
    # Either: $22 + 16 * 11 / 7 = $47.142857... -> $47.14
    assert body["range"] == {"low_usd": "46", "high_usd": "47.14"}
    by_day = {day["day"]: day["usd"] for day in body["by_day"]}
    assert (by_day["2026-09-18"], by_day["2026-09-19"]) == ("1", "3")


def test_the_budget_runs_out_on_the_day_the_running_total_reaches_it(client, seeded):
    import_id = imported(client, day_rows(range(1, 11), ONE_DOLLAR_IN))
    status, body = forecast(client, import_id, budget="25")
    assert status == 200, body
    assert (body["budget"]["runs_out_on"], body["budget"]["day"]) == ("2026-09-25", 25)
    assert "runs out on day 25" in body["budget"]["message"]
    _, body = forecast(client, import_id, budget="30.01")
    assert body["budget"]["runs_out_on"] is None
    assert "does not run out this month" in body["budget"]["message"]
    _, body = forecast(client, import_id, budget="4.5")
    assert body["budget"]["runs_out_on"] == "2026-09-05"
    assert body["budget"]["message"].startswith("The budget of $4.5 ran out on day 5")


@pytest.mark.parametrize("budget", ["abc", "-5", "0", "0.00", "1e3", "NaN", "Infinity", "12,50", "1.1234567"])
def test_a_budget_that_is_not_a_positive_amount_is_a_400_naming_it(client, seeded, budget):
    import_id = imported(client, day_rows(range(1, 3), ONE_DOLLAR_IN))
    status, body = forecast(client, import_id, budget=budget)
    assert status == 400, body
    assert body["error"]["field"] == "budget"


def test_unpriced_rows_stay_out_of_the_money_and_are_counted(client, seeded):
    rows = day_rows(range(1, 11), ONE_DOLLAR_IN) + day_rows(
        [9, 10], {"model": "openai/gpt-9-ultra", "input_tokens": 10}
    )
    status, body = forecast(client, imported(client, rows))
    assert status == 200, body
    assert (body["projected_usd"], body["excluded_unpriced_rows"]) == ("30", 2)


def test_an_import_not_done_is_a_409(client, seeded):
    running = UsageImport.objects.create(format="generic", status=UsageImport.Status.RUNNING)
    status, body = forecast(client, running.id)
    assert status == 409, body


def test_the_import_page_shows_the_forecast_and_refuses_a_bad_budget_with_a_400(client, seeded):
    import_id = imported(client, day_rows(range(1, 11), ONE_DOLLAR_IN))
    page = client.get(f"/usage/{import_id}", {"budget": "25"})
    assert page.status_code == 200
    assert 'id="forecast-projected" data-usd="30"' in page.content.decode()
    assert 'data-day="2026-09-25"' in page.content.decode()
    refused = client.get(f"/usage/{import_id}", {"budget": "-1"})
    assert refused.status_code == 400
    assert 'id="budget-error"' in refused.content.decode()


def test_a_model_retiring_inside_the_month_is_left_out_from_that_day_and_said(client, seeded):
    import_id = imported(client, day_rows(range(1, 11), ONE_DOLLAR_IN))
    LanguageModel.objects.filter(provider__slug="openai", slug="gpt-4.1-mini").update(
        retired_at=datetime(2026, 9, 25, tzinfo=UTC)
    )
    status, body = forecast(client, import_id)
    assert status == 200, body
    # $10 spent, the 11th-24th at $1 (14 days), nothing priced from the 25th
    assert body["projected_usd"] == "24"
    assert body["notes"] and body["notes"][0].startswith(f"{MINI} has no price from 2026-09-25")


def count_billings(monkeypatch) -> list[str]:
    """The imports whose rows the forecast reads and bills (not taken from the cache)."""
    from usage import forecasting

    calls: list[str] = []
    read_and_bill = forecasting._read_and_bill

    def counted(usage_import):
        calls.append(usage_import.pk)
        return read_and_bill(usage_import)

    monkeypatch.setattr(forecasting, "_read_and_bill", counted)
    return calls


def test_a_second_view_and_a_budget_change_do_not_read_and_bill_the_rows_again(client, seeded, monkeypatch):
    import_id = imported(client, day_rows(range(1, 11), ONE_DOLLAR_IN))
    calls = count_billings(monkeypatch)
    assert forecast(client, import_id)[1]["projected_usd"] == "30"
    assert calls == [import_id]
    _, body = forecast(client, import_id, budget="25")
    page = client.get(f"/usage/{import_id}", {"budget": "4.5"})
    assert calls == [import_id]  # kept: neither the budget nor the page billed the rows again
    assert (body["projected_usd"], body["budget"]["runs_out_on"]) == ("30", "2026-09-25")
    assert 'data-day="2026-09-05"' in page.content.decode()
    other = imported(client, day_rows(range(1, 6), ONE_DOLLAR_IN))
    assert forecast(client, other)[1]["projected_usd"] == "30"
    assert calls == [import_id, other]  # kept per import


def test_a_price_version_published_after_a_forecast_changes_the_next_one(client, seeded, monkeypatch):
    import_id = imported(client, day_rows(range(1, 11), ONE_DOLLAR_OUT))
    calls = count_billings(monkeypatch)
    assert forecast(client, import_id)[1]["projected_usd"] == "30"
    version = double_mini_output_from_the_20th()
    _, body = forecast(client, import_id)
    assert body["projected_usd"] == "41"  # $10 + 9 x $1 + 11 x $2, as above
    assert [change["price_version"] for change in body["scheduled_changes"]] == [version.pk]
    assert len(calls) == 2
    # Withdrawn (a change allowed to a version): the version before it still ends on the 20th,
    # so from then on there is no price: $10 + 9 x $1.
    PriceVersion.objects.filter(pk=version.pk).update(withdrawn_at=datetime(2026, 9, 11, tzinfo=UTC))
    _, body = forecast(client, import_id)
    assert (body["projected_usd"], body["scheduled_changes"]) == ("19", [])
    assert body["notes"][0].startswith(f"{MINI} has no price from 2026-09-20")
    assert len(calls) == 3


def test_a_model_retired_after_a_forecast_changes_the_next_one(client, seeded):
    import_id = imported(client, day_rows(range(1, 11), ONE_DOLLAR_IN))
    assert forecast(client, import_id)[1]["projected_usd"] == "30"
    LanguageModel.objects.filter(provider__slug="openai", slug="gpt-4.1-mini").update(
        retired_at=datetime(2026, 9, 25, tzinfo=UTC)
    )
    assert forecast(client, import_id)[1]["projected_usd"] == "24"
