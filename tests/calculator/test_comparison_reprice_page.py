"""The saved comparison's page re-priced as of another date by a plain GET form (?as_of=), so it
works without script. DeepSeek V4 Pro's published prices (seed): 0.435 / 0.87 per MTok from
2026-04-24, 0.66 / 1.98 off-peak from 2026-08-17 (weekday peak hours twice that)."""

import json

import pytest

from pricing.services.seed import load_seed_catalogue

pytestmark = pytest.mark.django_db
V4_PRO = "deepseek/deepseek-v4-pro"


def save(client, **extra):
    load_seed_catalogue()
    body = {"input_tokens": 1_000, "output_tokens": 500, "models": [V4_PRO], "as_of": "2026-06-01"} | extra
    response = client.post("/api/v1/comparisons", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    return json.loads(response.content)["id"]


def test_the_page_repriced_after_the_august_change_shows_the_difference_and_the_change(client):
    html = client.get(f"/c/{save(client)}", {"as_of": "2026-09-01"}).content.decode()
    # 1,000 x 0.435 + 500 x 0.87 = $0.00087 saved; 1,000 x 0.66 + 500 x 1.98 = $0.00165 off-peak.
    assert 'data-col="saved_total_usd" data-usd="0.00087"' in html
    assert 'data-col="total_usd" data-usd="0.00165"' in html
    assert 'data-col="difference_usd" data-usd="0.00078"' in html
    assert '<span title="Exactly 0.00078 USD">+$0.00078</span>' in html, "a difference is money, with $"
    assert "$0.66 in / $1.98 out per million tokens" in html
    assert "2026-08-17" in html


def test_the_page_without_as_of_shows_no_repricing_table(client):
    html = client.get(f"/c/{save(client)}").content.decode()
    assert 'name="as_of"' in html
    assert 'class="data repriced"' not in html


def test_a_bad_date_is_a_400_naming_the_field(client):
    response = client.get(f"/c/{save(client)}", {"as_of": "2026-13-45"})
    assert response.status_code == 400
    assert "as_of: " in response.content.decode()
    assert 'class="data repriced"' not in response.content.decode()


def test_the_saved_reasoning_assumption_is_billed_again_when_repriced(client):
    html = client.get(f"/c/{save(client, reasoning_tokens=2_000)}", {"as_of": "2026-09-01"}).content.decode()
    # Reasoning is billed as output: saved 1,000 x 0.435 + 2,500 x 0.87 = $0.00261;
    # then 1,000 x 0.66 + 2,500 x 1.98 = $0.00561.
    assert 'data-col="saved_total_usd" data-usd="0.00261"' in html
    assert 'data-col="total_usd" data-usd="0.00561"' in html
    assert "+ 2,000 reasoning (assumed)" in html


def test_cache_writes_are_billed_at_the_chosen_lifetimes_rate(client):
    load_seed_catalogue()
    body = {
        "input_tokens": 10_000,
        "output_tokens": 500,
        "models": ["anthropic/claude-sonnet-4-6"],
        "as_of": "2026-11-27",
        "cache_write_share": 0.5,
        "cache_write_lifetime": "1h",
    }
    response = client.post("/api/v1/estimate", json.dumps(body), content_type="application/json")
    (row,) = json.loads(response.content)["results"]
    # Anthropic: 5,000 x 3.00 + 5,000 x 6.00 (1-hour write) + 500 x 15 per million.
    written = (row["cache_write_tokens"], row["cache_write_lifetime"])
    assert (row["total_usd"], written) == ("0.0525", (5_000, "1h"))


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"cache_write_lifetime": "2h"}, "cache_write_lifetime"),
        ({"cached_input_share": 0.6, "cache_write_share": 0.5}, "cache_write_share"),
    ],
)
def test_an_impossible_cache_write_is_a_400_naming_the_field(client, extra, field):
    load_seed_catalogue()
    body = {"input_tokens": 1_000, "models": ["anthropic/claude-sonnet-4-6"]} | extra
    response = client.post("/api/v1/estimate", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["field"] == field


def test_a_saved_one_hour_cache_write_is_billed_again_at_that_lifetime_when_repriced(client):
    body = {"models": ["anthropic/claude-sonnet-4-6"], "input_tokens": 10_000, "output_tokens": 500}
    comparison = save(client, **body, cache_write_share=0.5, cache_write_lifetime="1h")
    html = client.get(f"/c/{comparison}", {"as_of": "2026-11-27"}).content.decode()
    # Same prices on both dates: 5,000 x 3.00 + 5,000 x 6.00 + 500 x 15 per million = $0.0525.
    assert 'data-col="total_usd" data-usd="0.0525"' in html
    assert 'data-col="difference_usd" data-usd="0"' in html
    assert "5,000 written to cache (1 h, assumed)" in html


def test_a_time_of_day_reprices_at_that_hours_band(client):
    # Friday 2026-11-27 02:00 UTC is 10:00 in Beijing, a peak hour: 1,000 x 1.32 + 500 x 3.96.
    html = client.get(f"/c/{save(client)}", {"as_of": "2026-11-27", "time": "02:00"}).content.decode()
    assert 'data-col="total_usd" data-usd="0.0033"' in html
    assert 'data-col="difference_usd" data-usd="0.00243"' in html


def test_a_bad_time_of_day_is_a_400_naming_the_field(client):
    response = client.get(f"/c/{save(client)}", {"as_of": "2026-11-27", "time": "25:00"})
    assert response.status_code == 400
    assert "time: &#x27;25:00&#x27; is not a time of day" in response.content.decode()
