"""Hostile structure, beside schemathesis (which generates from the schema): Hypothesis-made JSON
documents (deep and wide trees, long strings, every Unicode plane, lone surrogate escapes, huge
and tiny numbers, duplicate keys) and raw bytes posted to every JSON endpoint, and hostile query
strings and path segments sent to every GET endpoint. Never a 5xx; every refusal in the error shape.

The endpoints come from the generated OpenAPI document, so an endpoint added later is swept too.
Examples per run: 150 JSON documents + 60 byte bodies + 80 GETs = 290 requests (derandomized in CI).
"""

import json
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator.urls import api_v1
from config.api import MAX_JSON_DEPTH
from pricing.services.seed import load_seed_catalogue

DOCUMENT = api_v1.get_openapi_schema()
POSTS = sorted(p for p, ops in DOCUMENT["paths"].items() if "requestBody" in ops.get("post", {}))
GETS = sorted(p for p, ops in DOCUMENT["paths"].items() if "get" in ops)
FIELDS = sorted(
    {name for schema in DOCUMENT["components"]["schemas"].values() for name in schema.get("properties", {})}
)
SWEEP = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def scalar_json():
    """Scalars as JSON text, including what Python's json module makes of extremes."""
    return st.one_of(
        st.just("null"),
        st.sampled_from(["true", "false", "1e999999999", "-1e-999999999", "1E400", "0.0000001", "-0", "NaN"]),
        st.integers(min_value=-(10**400), max_value=10**400).map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(json.dumps),
        st.text(max_size=300).map(json.dumps),
        st.text(max_size=5000).map(lambda t: json.dumps(t, ensure_ascii=False)),
        st.sampled_from(['"\\ud800"', '"a\\udfffb"', '"\\udbff\\u0041"', '"\\u0000"']),
    )


def json_text():
    """A JSON document as text: objects may repeat a key, arrays may be wide."""

    def extend(children):
        key = st.one_of(st.sampled_from(FIELDS), st.text(max_size=20)).map(json.dumps)
        array = st.lists(children, max_size=40).map(lambda items: "[" + ",".join(items) + "]")
        obj = st.lists(st.tuples(key, children), max_size=12).map(
            lambda pairs: "{" + ",".join(f"{k}:{v}" for k, v in pairs) + "}"
        )
        return array | obj

    tree = st.recursive(scalar_json(), extend, max_leaves=60)
    deep = st.tuples(st.integers(MAX_JSON_DEPTH - 2, 6000), st.sampled_from(["[]", "{}"]), scalar_json()).map(
        lambda d: ('{"text":' if d[1] == "{}" else "[") + _nest(*d) + ("}" if d[1] == "{}" else "]")
    )
    wide = st.integers(1000, 20000).map(lambda n: '{"models": [' + ",".join(['"a/b"'] * n) + "]}")
    return st.one_of(
        tree, deep, wide, tree.map(lambda t: '{"text": "x", "output_tokens": 1, "junk": ' + t + "}")
    )


def _nest(depth, brackets, leaf):
    opening, closing = ('{"a":', "}") if brackets == "{}" else ("[", "]")
    return opening * depth + leaf + closing * depth


def assert_error_shape(response):
    assert response.status_code < 500, (response.status_code, response.content[:300])
    if response.status_code >= 400:
        body = json.loads(response.content)
        assert set(body) == {"error"} and isinstance(body["error"]["message"], str) and body["error"]["code"]


@pytest.fixture
def api_client(client, db, settings):
    settings.API_RATE_LIMIT_REQUESTS = 0
    load_seed_catalogue()
    return client


def test_every_json_endpoint_is_swept():
    assert POSTS == [
        "/api/v1/bill",
        "/api/v1/comparisons",
        "/api/v1/estimate",
        "/api/v1/tokenize",
        "/api/v1/usage/imports",
    ]
    assert "/api/v1/models/{provider}/{model}/prices" in GETS


@SWEEP
@given(path=st.sampled_from(POSTS), body=json_text())
def test_no_json_document_makes_a_5xx(api_client, path, body):
    assert_error_shape(
        api_client.post(path, body.encode("utf-8", "surrogatepass"), content_type="application/json")
    )


@settings(SWEEP, max_examples=60)
@given(path=st.sampled_from(POSTS), body=st.binary(max_size=3000))
def test_no_byte_body_makes_a_5xx(api_client, path, body):
    assert_error_shape(api_client.post(path, body, content_type="application/json"))


def hostile_value():
    return st.one_of(
        st.binary(max_size=200).map(lambda b: quote(b, safe="")),
        st.text(max_size=200).map(lambda t: quote(t.encode("utf-8", "surrogatepass"), safe="")),
        st.integers(10_000, 100_000).map(lambda n: "x" * n),
        st.sampled_from(
            ["1", "true", "0000-00-00", "9999-12-31T23:59:59+14:00", "2025-02-30", "%", "%zz", "[]"]
        ),
    )


@settings(SWEEP, max_examples=80)
@given(
    path=st.sampled_from(GETS),
    names=st.lists(st.sampled_from(["as_of", "provider", "search", "featured", "x", ""]), max_size=4),
    values=st.lists(hostile_value(), min_size=4, max_size=4),
    segments=st.lists(hostile_value(), min_size=2, max_size=2),
)
def test_no_query_string_or_path_segment_makes_a_5xx(api_client, path, names, values, segments):
    url = re.sub(r"\{provider\}", segments[0] or "x", path)
    url = re.sub(r"\{model\}", segments[1] or "x", url)
    query = "&".join(f"{name}={value}" for name, value in zip(names, values, strict=False))
    assert_error_shape(api_client.get(f"{url}?{query}"))


@pytest.mark.parametrize("path", POSTS)
def test_a_body_nested_5000_deep_is_a_400_naming_the_problem(api_client, path):
    response = api_client.post(
        path, '{"text": ' + "[" * 5000 + "]" * 5000 + "}", content_type="application/json"
    )
    assert response.status_code == 400
    error = json.loads(response.content)["error"]
    assert error["code"] == "too_deep" and "64 levels" in error["message"]


def test_64_levels_are_read_and_65_are_refused_unread(api_client):
    def nested(arrays):  # the object itself is one level
        return '{"models": ' + "[" * arrays + '"a/b"' + "]" * arrays + "}"

    at_limit = json.loads(
        api_client.post("/api/v1/estimate", nested(63), content_type="application/json").content
    )
    over = json.loads(
        api_client.post("/api/v1/estimate", nested(64), content_type="application/json").content
    )
    assert (at_limit["error"]["code"], at_limit["error"]["field"]) == ("invalid", "models")
    assert over["error"]["code"] == "too_deep"
