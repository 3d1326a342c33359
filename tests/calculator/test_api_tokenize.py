"""POST /api/v1/tokenize and GET /api/v1/tokenizers."""

import json

import pytest

from tests.reference import deepseek_count, tiktoken_encoding

pytestmark = pytest.mark.django_db
CJK = "敏捷的棕色狐狸跳过了懒狗。日本語のテキストも数えます。"


def post(client, body):
    response = client.post("/api/v1/tokenize", json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def test_it_returns_ids_and_offsets_that_tile_the_text(client):
    text = "Hello, 世界! 🦊‍🔥 <|endoftext|>"
    status, body = post(client, {"text": text, "tokenizer": "o200k_base"})
    assert status == 200
    assert [t["id"] for t in body["tokens"]] == tiktoken_encoding("o200k_base").encode_ordinary(text)
    assert "".join(text[t["start"] : t["end"]] for t in body["tokens"]) == text
    assert all(t["text"] == text[t["start"] : t["end"]] for t in body["tokens"])
    assert body["count"] == len(body["tokens"]) and body["boundaries_real"] is True


def test_cjk_token_counts_match_the_reference(client):
    _, body = post(client, {"text": CJK, "tokenizer": "deepseek_v3"})
    assert body["count"] == deepseek_count(CJK)
    assert body["chars_per_token"] == f"{len(CJK) / deepseek_count(CJK):.2f}"


def test_claude_boundaries_are_labelled_illustrative(client):
    _, body = post(client, {"text": "Hello, world!", "tokenizer": "claude"})
    assert body["exact"] is False and body["boundaries_real"] is False


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"text": "x", "tokenizer": "nope"}, 400, "tokenizer"),
        ({"text": "x"}, 400, "tokenizer"),
        ({"tokenizer": "o200k_base"}, 400, "text"),
        ({"text": "x", "tokenizer": "o200k_base", "extra": 1}, 400, "extra"),
    ],
)
def test_bad_input_names_the_field(client, body, status, field):
    got_status, got = post(client, body)
    assert got_status == status and got["error"]["field"] == field


def test_the_tokenizer_list_says_exactness_availability_and_licence(client):
    body = json.loads(client.get("/api/v1/tokenizers").content)
    by_key = {t["key"]: t for t in body["results"]}
    assert by_key["o200k_base"]["exact"] is True and by_key["o200k_base"]["available"] is True
    assert by_key["claude"]["exact"] is False
    assert "Llama" in by_key["llama3"]["licence"]
    assert all(t["note"] and t["licence"] for t in body["results"])


@pytest.fixture
def no_time_to_split():
    from calculator import tokenizers

    before = tokenizers.registry.settings
    tokenizers.configure(count_deadline_seconds=0.0)
    yield
    tokenizers.registry.settings = before


def test_a_long_text_past_the_deadline_gets_a_503_and_the_next_request_is_served(client, no_time_to_split):
    status, body = post(client, {"text": "\u3000" * 500_000 + "x", "tokenizer": "gemma3"})
    assert status == 503, body
    assert body["error"]["code"] == "count_deadline" and "COUNT_DEADLINE_SECONDS" in body["error"]["message"]
    status, body = post(client, {"text": "Hello", "tokenizer": "o200k_base"})
    assert status == 200 and body["count"] == 1
