"""Inputs at their extremes: dates with any UTC offset (PostgreSQL refuses past +/-15:59), model
ids with any code point (a lone surrogate, a NUL), page and date parameters at the ends of their
ranges. Each answers a 4xx naming the field, never a 5xx, on every endpoint and page that takes them.

The probes first (the ones a visitor found), then Hypothesis over the same shapes. Run on
PostgreSQL too: that is where the offsets and the NUL used to fail.
"""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator.models import Comparison
from pricing.services.seed import load_seed_catalogue

SWEEP = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

USAGE = {"input_tokens": 1000, "output_tokens": 10}


@pytest.fixture
def site(client, db, settings):
    settings.API_RATE_LIMIT_REQUESTS = 0
    load_seed_catalogue()
    return client


@pytest.fixture
def comparison_id(site):
    response = site.post(
        "/api/v1/comparisons",
        {"text": "hello", "models": ["openai/gpt-4.1"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return json.loads(response.content)["id"]


def moment_requests(moment, comparison_id):
    """Every way a moment reaches the site: (method, path, data)."""
    q = quote(moment, safe="")
    return [
        ("get", f"/api/v1/models?as_of={q}", None),
        ("get", f"/api/v1/models/openai/gpt-4.1/prices?as_of={q}", None),
        ("post", "/api/v1/estimate", {"text": "hi", "models": ["openai/gpt-4.1"], "as_of": moment}),
        ("post", "/api/v1/comparisons", {"text": "hi", "models": ["openai/gpt-4.1"], "as_of": moment}),
        ("post", "/api/v1/bill", {"model": "openai/gpt-4.1", "usage": USAGE, "at": moment}),
        ("get", f"/api/v1/comparisons/{comparison_id}/reprice?as_of={q}", None),
        ("get", f"/models?as_of={q}", None),
        ("get", f"/c/{comparison_id}?as_of={q}", None),
    ]


def send(client, method, path, data):
    if method == "get":
        return client.get(path)
    body = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return client.post(path, body, content_type="application/json")


def assert_not_5xx(response):
    assert response.status_code < 500, (response.status_code, response.content[:300])


@pytest.mark.parametrize("offset", ["+16:00", "-16:00", "+23:59", "-23:59", "+15:59", "-00:01"])
def test_a_moment_with_any_utc_offset_is_read_on_every_endpoint(site, comparison_id, offset):
    for method, path, data in moment_requests(f"2025-06-01T12:00:00{offset}", comparison_id):
        response = send(site, method, path, data)
        assert response.status_code in (200, 201), (path, response.status_code, response.content[:300])


def test_a_far_offset_means_the_same_instant_in_utc(site):
    east = json.loads(site.get("/api/v1/models?as_of=2025-06-01T20:00:00%2B20:00").content)
    utc = json.loads(site.get("/api/v1/models?as_of=2025-06-01T00:00:00Z").content)
    assert east["as_of"] == utc["as_of"] == "2025-06-01T00:00:00+00:00"


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_a_moment_past_the_calendar_in_utc_is_a_400_naming_the_field(site, comparison_id, moment):
    for method, path, data in moment_requests(moment, comparison_id):
        response = send(site, method, path, data)
        if path.startswith("/api/"):
            assert response.status_code == 400, (path, response.status_code)
            assert json.loads(response.content)["error"]["field"] in {"as_of", "at"}
        else:  # the pages show the form again with the message
            assert_not_5xx(response)
            assert b"outside the calendar" in response.content, path


@pytest.mark.parametrize("model", ["openai/gpt-4.1\ud800", "\udfff/x", "openai/gpt\x00-4.1", "a\x00/b"])
def test_a_model_id_no_catalogue_can_hold_is_an_unknown_model(site, model):
    bill = send(site, "post", "/api/v1/bill", {"model": model, "usage": USAGE})
    assert bill.status_code == 400
    assert json.loads(bill.content)["error"]["field"] == "model"
    estimate = send(site, "post", "/api/v1/estimate", {"text": "hi", "models": [model]})
    assert estimate.status_code == 400
    assert json.loads(estimate.content)["error"]["field"] == "models"


@pytest.mark.parametrize("path", ["/changes", "/changes/feed"])
@pytest.mark.parametrize("query", ["to=9999-12-31", "from=9999-12-31", "from=0001-01-01&to=0001-01-01"])
def test_the_changes_at_the_ends_of_the_calendar_answer(site, path, query):
    assert site.get(f"{path}?{query}").status_code == 200


def offset_moments():
    offset = st.tuples(st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 59)).map(
        lambda t: f"{t[0]}{t[1]:02}:{t[2]:02}"
    )
    day = st.dates().map(lambda d: d.isoformat())
    clock = st.times().map(lambda t: t.isoformat())
    return st.one_of(
        st.tuples(day, clock, offset).map(lambda p: f"{p[0]}T{p[1]}{p[2]}"),
        day,
        st.tuples(day, clock).map(lambda p: f"{p[0]}T{p[1]}Z"),
        st.text(max_size=40),
    )


@SWEEP
@given(moment=offset_moments())
def test_no_moment_makes_a_5xx(site, comparison_id, moment):
    for method, path, data in moment_requests(moment, comparison_id):
        assert_not_5xx(send(site, method, path, data))


@SWEEP
@given(provider=st.text(max_size=12), model=st.text(max_size=24))
def test_no_model_id_makes_a_5xx(site, provider, model):
    key = f"{provider}/{model}"
    assert_not_5xx(send(site, "post", "/api/v1/bill", {"model": key, "usage": USAGE}))
    assert_not_5xx(send(site, "post", "/api/v1/estimate", {"text": "hi", "models": [key]}))


def extreme_number():
    return st.one_of(
        st.integers(-(10**30), 10**30).map(str),
        st.sampled_from(["0", "-1", "1e9", "NaN", "inf", "", "%00", "9" * 400]),
    )


def extreme_date():
    return st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(["0000-01-01", "9999-12-31", "10000-01-01", "2025-02-30", "%00"]),
    )


@SWEEP
@given(page=extreme_number(), since=extreme_date(), until=extreme_date(), as_of=extreme_date())
def test_no_page_or_date_parameter_makes_a_5xx(site, page, since, until, as_of):
    for path in (
        f"/changes?page={page}&from={since}&to={until}",
        f"/changes/feed?from={since}&to={until}",
        f"/models?page={page}&as_of={as_of}&all=1",
        f"/api/v1/models?as_of={as_of}",
    ):
        assert_not_5xx(site.get(path))


def test_the_comparison_fixture_is_saved(comparison_id):
    assert Comparison.objects.filter(pk=comparison_id).exists()
