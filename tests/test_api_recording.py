"""The API answers a fixed set of requests exactly as the recording says.

tests/fixtures/api_recording.json was written by the hand-written API before its port to
django-ninja (``RECORD_API=1 pytest tests/test_api_recording.py`` rewrites it): it is the
specification the port must keep. What a run cannot reproduce is masked: the clock (elapsed_ms,
created_at, verified_at), a saved comparison's random id, and database ids (a price version is
named by its model and start instead, which is what the id stands for).
"""

import csv
import io
import json
import os
from pathlib import Path

import pytest

from pricing.services.seed import load_seed_catalogue

RECORDING = Path(__file__).parent / "fixtures" / "api_recording.json"
AS_OF = "2026-06-01"
TEXT = "Translate to French: the invoice is overdue. 請求書の支払期限が過ぎています。 🦊"
MODELS = [
    "openai/gpt-4.1-mini",
    "openai/gpt-5.4",
    "anthropic/claude-opus-4-6",
    "deepseek/deepseek-chat",
    "google/gemini-2.5-flash",
    "groq/llama-3.3-70b-versatile",
]

JSON_REQUESTS: list[tuple[str, str, object]] = [
    ("estimate text", "/api/v1/estimate", {"text": TEXT, "models": MODELS, "as_of": AS_OF}),
    (
        "estimate tokens batch cache",
        "/api/v1/estimate",
        {
            "input_tokens": 300_000,
            "output_tokens": 1000,
            "models": MODELS,
            "as_of": AS_OF,
            "batch": True,
            "cached_input_share": 0.25,
            "requests_per_month": 12_000,
        },
    ),
    (
        "estimate featured as of",
        "/api/v1/estimate",
        {"input_tokens": 800, "output_tokens": 250, "as_of": AS_OF},
    ),
    (
        "estimate old price",
        "/api/v1/estimate",
        {"input_tokens": 1000, "models": MODELS[3:4], "as_of": "2025-01-15"},
    ),
    (
        "estimate preset chat",
        "/api/v1/estimate",
        {"preset": "support_bot", "chat_messages": 3, "text": "Hi", "as_of": AS_OF},
    ),
    ("tokenize o200k", "/api/v1/tokenize", {"text": TEXT, "tokenizer": "o200k_base"}),
    ("tokenize deepseek", "/api/v1/tokenize", {"text": TEXT, "tokenizer": "deepseek_v3"}),
    ("tokenize claude", "/api/v1/tokenize", {"text": TEXT, "tokenizer": "claude"}),
    ("error unknown field", "/api/v1/estimate", {"text": "x", "colour": "red"}),
    ("error bad date", "/api/v1/estimate", {"text": "x", "as_of": "2025-02-30"}),
    ("error unknown model", "/api/v1/estimate", {"text": "x", "models": ["openai/gpt-9"]}),
    ("error bad type text", "/api/v1/estimate", {"text": 42}),
    ("error bad type batch", "/api/v1/estimate", {"text": "x", "batch": "yes"}),
    ("error fraction", "/api/v1/estimate", {"text": "x", "output_tokens": 1.5}),
    ("error negative", "/api/v1/estimate", {"text": "x", "requests_per_month": -1}),
    ("error share", "/api/v1/estimate", {"text": "x", "cached_input_share": 1.5}),
    ("error both", "/api/v1/estimate", {"text": "x", "input_tokens": 5}),
    ("error nothing", "/api/v1/estimate", {}),
    ("error model nul", "/api/v1/estimate", {"text": "x", "models": ["openai\x00/gpt-4.1-mini"]}),
    ("error unknown tokenizer", "/api/v1/tokenize", {"text": "x", "tokenizer": "nope"}),
    ("error tokenize extra", "/api/v1/tokenize", {"text": "x", "tokenizer": "o200k_base", "extra": 1}),
    ("error comparison save_text", "/api/v1/comparisons", {"text": "x", "save_text": "yes"}),
    ("error comparison nul", "/api/v1/comparisons", {"text": "a\x00b", "save_text": True}),
]
GET_REQUESTS = [
    ("models", "/api/v1/models"),
    ("models as of", "/api/v1/models?as_of=2025-01-15&provider=deepseek"),
    ("models featured", "/api/v1/models?featured=true&as_of=2026-06-01"),
    ("models search", "/api/v1/models?search=llama&as_of=2026-06-01"),
    ("price history", "/api/v1/models/deepseek/deepseek-chat/prices?as_of=2025-06-01"),
    ("price history slash", "/api/v1/models/groq/meta-llama/llama-4-scout-17b-16e-instruct/prices"),
    ("tokenizers", "/api/v1/tokenizers"),
    ("presets", "/api/v1/budgets/presets"),
    ("error unknown model 404", "/api/v1/models/openai/gpt-9/prices"),
    ("error models bad date", "/api/v1/models?as_of=yesterday"),
    ("error nul in query", "/api/v1/models?search=a%00b"),
]
CLOCK_KEYS = {"elapsed_ms", "created_at", "verified_at"}


def version_names():
    from pricing.models import PriceVersion

    return {
        v.pk: f"{v.model.provider.slug}/{v.model.slug}@{v.effective_from.isoformat()}"
        for v in PriceVersion.objects.select_related("model__provider")
    }


def masked(value, names, comparison_id=None):
    """The response with clock values, random ids and database ids replaced as the docstring says."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in CLOCK_KEYS and item is not None:
                out[key] = "<clock>"
            elif key == "price_version" and isinstance(item, int):
                out[key] = names.get(item, item)
            else:
                out[key] = masked(item, names, comparison_id)
        return out
    if isinstance(value, list):
        return [masked(item, names, comparison_id) for item in value]
    if isinstance(value, str) and comparison_id:
        return value.replace(comparison_id, "<id>")
    return value


def answer(response):
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)
    return response.content.decode()


def record(client):
    """(name, status, masked body) for every request, in order."""
    names = version_names()
    out = []
    for name, url, body in JSON_REQUESTS:
        response = client.post(url, json.dumps(body), content_type="application/json")
        out.append([name, response.status_code, masked(answer(response), names)])
    for name, url in GET_REQUESTS:
        response = client.get(url)
        out.append([name, response.status_code, masked(answer(response), names)])
    out.extend(record_raw(client, names))
    out.extend(record_comparison(client, names))
    return out


def record_raw(client, names):
    """Bodies that are not a JSON object of the right kind: malformed, form-encoded, too large."""
    cases = [
        ("error malformed json", b'{"text": "x"', "application/json"),
        ("error array body", b'["text"]', "application/json"),
        ("error lone surrogate", b'{"text": "bad \\ud800 text"}', "application/json"),
        ("error 415 form", b"text=x", "application/x-www-form-urlencoded"),
        ("error 415 text/plain", b'{"text": "x"}', "text/plain"),
    ]
    out = []
    for name, raw, content_type in cases:
        response = client.post("/api/v1/estimate", raw, content_type=content_type)
        out.append([name, response.status_code, masked(answer(response), names)])
    return out


def record_comparison(client, names):
    body = {"text": TEXT, "models": MODELS, "as_of": AS_OF, "save_text": True, "output_tokens": 200}
    response = client.post("/api/v1/comparisons", json.dumps(body), content_type="application/json")
    saved = json.loads(response.content)
    cid = saved["id"]
    out = [["comparison", response.status_code, masked(saved, names, cid)]]
    for suffix in (".json", ".csv", ""):
        got = client.get(f"/c/{cid}{suffix}")
        content = answer(got) if suffix else got.status_code
        if suffix == ".csv":
            content = masked_csv(content, names)
        out.append([f"comparison{suffix or ' page'}", got.status_code, masked(content, names, cid)])
    return out


def masked_csv(text, names):
    """The CSV export with its price version ids named as in the JSON (ids differ between databases)."""
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("price_version")
    for row in rows[1:]:
        row[column] = names[int(row[column])]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    load_seed_catalogue()


def test_the_api_answers_the_recorded_requests_as_recorded(client, seeded, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    settings.API_RATE_LIMIT_REQUESTS = 0
    got = record(client)
    big = client.post(
        "/api/v1/estimate", json.dumps({"text": "a" * 200_000}), content_type="application/json"
    )
    got.append(["error 413", big.status_code, json.loads(big.content)])
    if os.environ.get("RECORD_API"):
        RECORDING.parent.mkdir(exist_ok=True)
        RECORDING.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    expected = json.loads(RECORDING.read_text())
    assert [g[0] for g in got] == [e[0] for e in expected]
    differing = [
        name
        for (name, status, body), (_, want_status, want_body) in zip(got, expected, strict=True)
        if (status, without_additions(name, status, body)) != (want_status, want_body)
    ]
    assert differing == []


# Token fidelity (issue 13) added, without changing any recorded value: each row's count quality,
# who counted it, how its chat framing is known and its tool tokens; each tokenizer's quality and
# the catalogue's coverage; the same row fields as CSV columns after the recorded ones; and
# tokenize's split of a conversation (null for a text); a conversation's image tokens and their rule.
ROW_ADDITIONS = ("quality", "count_source", "framing", "tools_tokens", "image_tokens", "image_rule")
# Issue 21: since when no source lists the model (null for the seed's models).
ROW_ADDITIONS += ("missing_upstream_since",)
# Issue 21: tokenizers added since the recording (GPT-3's two vocabularies, Llama 2's and Cohere's).
TOKENIZERS_ADDED = ("p50k_base", "r50k_base", "llama2", "command_r")
# Fields the price history (issue 11) added: how a price's start is known, and why a row has none.
HISTORY_ROW_FIELDS = ("effective_from_earliest", "start_basis", "price_note")
HISTORY_VERSION_FIELDS = (
    "effective_from_earliest",
    "start_basis",
    "start",
    "evidence",
    "withdrawn_at",
    "withdrawn_reason",
)

# The bill page (issue 12) added an assumed cache write: its share and lifetime in the inputs, its
# tokens and lifetime in each row and CSV. No recorded request writes to the cache.
CACHE_WRITE_FIELDS = ("cache_write_share", "cache_write_tokens", "cache_write_lifetime")

# The page issue (22) added the rates each row was charged ($/M) to every row and CSV, and moved
# the CSV's metadata line into the JSON and HTTP headers (its first line is the header row; the
# recording's line was removed by hand).
RATE_FIELDS = ("input_usd_per_mtok", "output_usd_per_mtok", "cached_input_usd_per_mtok")


def without_additions(name, status, body):
    """The fields added since the recording: an estimate's table columns (the port, for the page's
    script), token fidelity's fields and the price history's."""
    if name.startswith("estimate") and status == 200:
        assert body.pop("columns")[0]["name"] == "name"
    if isinstance(body, dict) and status in (200, 201):
        if name.startswith(("estimate", "comparison")):
            for row in body.get("results", []):
                for field in ROW_ADDITIONS:
                    row.pop(field)
        if name.startswith("tokenize "):  # a conversation's split: null for a text
            split = ("content_tokens", "framing_tokens", "tools_tokens", "framing", "framing_source")
            for field in (*split, "image_tokens", "image_rule"):
                assert body.pop(field) is None
        if name == "tokenizers":
            assert body.pop("coverage")["models"] > 0
            keys = [row["key"] for row in body["results"]]
            assert set(TOKENIZERS_ADDED) <= set(keys)
            body["results"] = [row for row in body["results"] if row["key"] not in TOKENIZERS_ADDED]
            for row in body["results"]:
                assert row.pop("quality")["label"]
    if name.startswith(("estimate", "comparison")):
        _drop(body, HISTORY_ROW_FIELDS)
        _drop(body, CACHE_WRITE_FIELDS)
        _drop(body, RATE_FIELDS)
    elif name.startswith(("models", "price history")):
        _drop(body, HISTORY_VERSION_FIELDS)
    if name.startswith("price history") and isinstance(body, dict):
        body.pop("sources")  # the catalogue issue's comparison of sources (null: one source here)
    if name == "comparison.csv":
        return _without_csv_additions(body)
    return body


def _drop(value, names):
    if isinstance(value, dict):
        for key in names:
            value.pop(key, None)
        for item in value.values():
            _drop(item, names)
    elif isinstance(value, list):
        for item in value:
            _drop(item, names)


def _without_csv_additions(text):
    rows = list(csv.reader(io.StringIO(text)))
    added = ROW_ADDITIONS + CACHE_WRITE_FIELDS + RATE_FIELDS
    keep = [i for i, column in enumerate(rows[0]) if column not in added]
    out = io.StringIO()
    csv.writer(out).writerows([row[i] for i in keep] for row in rows)
    return out.getvalue()
