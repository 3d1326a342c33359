"""Conversations and the provider's own count through POST /api/v1/estimate, /tokenize and exports."""

import json
import logging

import pytest

from calculator import provider_counts
from pricing.services.seed import load_seed_catalogue
from tests.calculator.tokenizers.test_chat_framing import MESSAGES, TOOLS, reference_count
from tests.reference import DATA_DIR, tiktoken_encoding

from . import provider_server
from .provider_server import KEY

pytestmark = pytest.mark.django_db
TEXT = "The quick brown fox jumps over the lazy dog"


@pytest.fixture(autouse=True)
def seeded(db):
    load_seed_catalogue()


@pytest.fixture(autouse=True)
def provider_counts_off():
    provider_counts.configure()
    yield
    provider_counts.configure()


@pytest.fixture
def anthropic_stand_in():
    server = provider_server.start()
    provider_counts.configure(
        anthropic_api_key=KEY, anthropic_base_url=f"http://127.0.0.1:{server.server_address[1]}"
    )
    yield server
    server.shutdown()


def post(client, body, url="/api/v1/estimate"):
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def row(body, key):
    return next(r for r in body["results"] if f"{r['provider']}/{r['model']}" == key)


def test_a_conversation_is_counted_with_each_familys_framing(client):
    models = ["openai/gpt-4.1-mini", "groq/llama-3.3-70b-versatile", "groq/qwen/qwen3-32b"]
    status, body = post(client, {"messages": MESSAGES, "tools": TOOLS, "models": models})
    assert status == 200, body
    llama, qwen = row(body, models[1]), row(body, models[2])
    assert qwen["input_tokens"] == reference_count(DATA_DIR, "qwen2", MESSAGES, TOOLS)
    assert qwen["framing"] == "exact" and qwen["tools_tokens"] > 0
    # Llama 3's template has no tool format: its tools are counted as JSON text, the rest exactly.
    assert llama["input_tokens"] - llama["tools_tokens"] == reference_count(DATA_DIR, "llama3", MESSAGES)
    assert all(r["text_tokens"] + r["chat_overhead_tokens"] == r["input_tokens"] for r in body["results"])


def test_openai_rows_follow_the_published_recipe_and_say_it_is_documented(client):
    status, body = post(client, {"messages": MESSAGES, "models": ["openai/gpt-4.1-mini"]})
    encoding = tiktoken_encoding("o200k_base")
    mini = row(body, "openai/gpt-4.1-mini")
    assert mini["text_tokens"] == sum(len(encoding.encode(m["content"])) for m in MESSAGES)
    assert mini["chat_overhead_tokens"] == 3 + sum(3 + len(encoding.encode(m["role"])) for m in MESSAGES)
    assert (mini["framing"], mini["quality"]) == ("documented", "exact (official vocabulary)")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"messages": [{"role": "wizard", "content": "x"}]}, "messages[0].role"),
        ({"messages": [{"role": "user", "content": 1}]}, "messages[0].content"),
        ({"messages": MESSAGES, "text": "x"}, "text"),
        ({"messages": MESSAGES, "chat_messages": 2}, "chat_messages"),
        ({"text": "x", "tools": TOOLS}, "tools"),
    ],
)
def test_a_bad_conversation_is_refused_naming_the_field(client, body, field):
    status, answer = post(client, body)
    assert status == 400 and answer["error"]["field"] == field


def test_tokenize_splits_a_conversation_into_content_framing_and_tools(client):
    status, body = post(
        client,
        {"messages": MESSAGES, "tools": TOOLS, "tokenizer": "qwen2", "model": "qwen3-32b"},
        "/api/v1/tokenize",
    )
    assert status == 200, body
    assert body["count"] == reference_count(DATA_DIR, "qwen2", MESSAGES, TOOLS)
    assert body["content_tokens"] + body["framing_tokens"] + body["tools_tokens"] == body["count"]
    assert body["framing"] == "exact"


def test_claude_rows_become_the_providers_exact_count_and_are_cached(client, anthropic_stand_in):
    body = {"text": TEXT, "models": ["anthropic/claude-opus-4-6", "openai/gpt-4.1-mini"]}
    _, first = post(client, body)
    _, again = post(client, body)
    claude = row(first, "anthropic/claude-opus-4-6")
    assert claude["text_tokens"] == 9  # the stand-in's count (one per word), its 7-token frame removed
    assert (claude["count_source"], claude["quality"], claude["exact"]) == (
        "exact (provider count)",
        "exact (provider count)",
        True,
    )
    assert row(first, "openai/gpt-4.1-mini")["count_source"] == "offline tokenizer"
    assert row(again, "anthropic/claude-opus-4-6")["text_tokens"] == 9
    assert len(anthropic_stand_in.requests) == 1


def test_with_the_provider_down_claude_rows_fall_back_and_say_so(client, anthropic_stand_in):
    anthropic_stand_in.shutdown()
    anthropic_stand_in.server_close()
    _, body = post(client, {"text": TEXT, "models": ["anthropic/claude-opus-4-6"]})
    claude = row(body, "anthropic/claude-opus-4-6")
    assert claude["count_source"].startswith("offline count: the anthropic count failed")
    assert claude["text_tokens"] is not None and claude["quality"].startswith("≈")


def test_the_key_never_reaches_an_export_a_page_or_a_log(client, anthropic_stand_in, caplog):
    caplog.set_level(logging.DEBUG)
    status, saved = post(
        client, {"text": TEXT, "models": ["anthropic/claude-opus-4-6"]}, "/api/v1/comparisons"
    )
    assert status == 201
    csv_text = client.get(saved["csv_url"]).content.decode()
    assert "exact (provider count)" in csv_text
    for text in (
        csv_text,
        client.get(saved["json_url"]).content.decode(),
        client.get(saved["url"]).content.decode(),
    ):
        assert KEY not in text
    assert KEY not in caplog.text


def test_many_conversations_give_per_request_averages(client):
    short = [{"role": "user", "content": "Hi"}]
    _, body = post(
        client,
        {"conversations": [{"messages": MESSAGES}, {"messages": short}], "models": ["openai/gpt-4.1-mini"]},
    )
    encoding = tiktoken_encoding("o200k_base")

    def recipe(messages):
        return 3 + sum(
            3 + len(encoding.encode(m["role"])) + len(encoding.encode(m["content"])) for m in messages
        )

    mini = row(body, "openai/gpt-4.1-mini")
    assert mini["input_tokens"] in {
        (recipe(MESSAGES) + recipe(short)) // 2,
        (recipe(MESSAGES) + recipe(short) + 1) // 2,
    }
    low, high = sorted((recipe(MESSAGES), recipe(short)))
    spread = f"input from {low:,} to {high:,} tokens a conversation"
    assert mini["note"].startswith(f"Per-request average of 2 conversations ({spread}).")


def test_a_bad_conversation_among_many_is_named_by_its_place(client):
    bad = {"conversations": [{"messages": MESSAGES}, {"messages": [{"role": "wizard", "content": "x"}]}]}
    status, answer = post(client, bad)
    assert status == 400 and answer["error"]["field"] == "conversations[1].messages[0].role"
