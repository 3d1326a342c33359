"""Images in a conversation cost what each model's maker publishes, wherever the model is hosted.

Expected counts are the providers' published worked examples: OpenAI's vision guide (GPT-4o
family, 1024 x 1024 high detail -> 765 tokens, 2048 x 4096 -> 1,105, low detail -> 85),
Anthropic's vision guide (1092 x 1092 -> 1,590, 200 x 200 -> 54, 1000 x 1000 -> 1,334) and
Google's Gemini token guide (Gemini 2: 258 per image with both sides at most 384 px; Gemini 3:
1,120 at the default media resolution).
"""

import base64
import io
import json

import pytest
from PIL import Image

from calculator.fidelity import ModelRef, average_counts
from calculator.image_counts import count_images
from calculator.tokenizers.chat.conversation import parse_conversation
from calculator.tokenizers.chat.image_parts import ImagePart
from pricing.services.seed import load_seed_catalogue

QUESTION = "What is in this picture?"


def conversation(*sizes, detail="high"):
    parts = [{"type": "text", "text": QUESTION}]
    for width, height in sizes:
        parts.append(
            {
                "type": "image_url",
                "image_url": {"url": "https://example.invalid/photo.jpg", "detail": detail},
                "width": width,
                "height": height,
            }
        )
    return [{"role": "user", "content": parts}]


def post(client, body, url="/api/v1/estimate"):
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def rows(client, messages, models):
    status, body = post(client, {"messages": messages, "models": models})
    assert status == 200, body
    return {f"{r['provider']}/{r['model']}": r for r in body["results"]}


@pytest.fixture
def seeded(db):
    load_seed_catalogue()


@pytest.mark.parametrize(
    ("size", "detail", "tokens"),
    [((1024, 1024), "high", 765), ((2048, 4096), "high", 1105), ((4096, 8192), "low", 85)],
)
def test_gpt_4_1_rows_count_images_by_openais_published_tiles(client, seeded, size, detail, tokens):
    row = rows(client, conversation(size, detail=detail), ["openai/gpt-4.1"])["openai/gpt-4.1"]
    assert row["image_tokens"] == tokens
    assert row["input_tokens"] == row["text_tokens"] + row["chat_overhead_tokens"] + tokens
    assert row["image_rule"].startswith("OpenAI's published image rule")


@pytest.mark.parametrize(("side", "tokens"), [(200, 54), (1000, 1334), (1092, 1590)])
def test_claude_rows_count_images_by_anthropics_published_rule(client, seeded, side, tokens):
    key = "anthropic/claude-sonnet-4-6"
    row = rows(client, conversation((side, side)), [key])[key]
    assert row["image_tokens"] == tokens
    assert row["image_rule"].startswith("Anthropic's published image rule")


def test_gemini_rows_count_images_by_googles_published_rule(client, seeded):
    found = rows(
        client, conversation((384, 384)), ["google/gemini-2.0-flash", "google/gemini-3.1-pro-preview"]
    )
    assert found["google/gemini-2.0-flash"]["image_tokens"] == 258
    assert found["google/gemini-3.1-pro-preview"]["image_tokens"] == 1120


def test_two_images_in_one_conversation_add_up(client, seeded):
    row = rows(client, conversation((1024, 1024), (200, 200), detail="low"), ["openai/gpt-4.1"])
    assert row["openai/gpt-4.1"]["image_tokens"] == 85 + 85


def test_a_model_without_a_published_rule_says_its_images_are_not_counted(client, seeded):
    found = rows(client, conversation((512, 512)), ["openai/gpt-4.1-mini", "groq/llama-3.3-70b-versatile"])
    for row in found.values():
        assert row["image_tokens"] is None and "not counted" in row["image_rule"]
        assert row["input_tokens"] == row["text_tokens"] + row["chat_overhead_tokens"]
    assert "32 px patches" in found["openai/gpt-4.1-mini"]["image_rule"]


def test_a_data_url_image_is_counted_at_the_size_in_its_header(client, seeded):
    buffer = io.BytesIO()
    Image.new("RGB", (1024, 1024), (0, 90, 200)).save(buffer, "PNG")
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    messages = [
        {"role": "user", "content": [{"type": "image_url", "image_url": {"url": url, "detail": "high"}}]}
    ]
    assert rows(client, messages, ["openai/gpt-4.1"])["openai/gpt-4.1"]["image_tokens"] == 765


def test_a_text_only_conversation_has_no_image_columns_filled(client, seeded):
    row = rows(client, [{"role": "user", "content": QUESTION}], ["openai/gpt-4.1"])["openai/gpt-4.1"]
    assert (row["image_tokens"], row["image_rule"]) == (None, None)


def test_a_bad_image_size_is_a_400_naming_the_field(client, seeded):
    messages = conversation((1024, 0))
    status, body = post(client, {"messages": messages, "models": ["openai/gpt-4.1"]})
    assert status == 400 and body["error"]["field"] == "messages[0].content[1].height"


def test_an_image_without_a_size_is_a_400_that_says_images_are_never_fetched(client, seeded):
    messages = [
        {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://a.invalid/x"}}]}
    ]
    status, body = post(client, {"messages": messages, "models": ["openai/gpt-4.1"]})
    assert status == 400 and body["error"]["field"] == "messages[0].content[0].width"
    assert "never fetched" in json.dumps(body)


def test_tokenize_counts_images_apart_for_the_named_model(client, seeded):
    body = {"messages": conversation((1092, 1092)), "tokenizer": "claude", "model": "claude-sonnet-4-6"}
    status, answer = post(client, body, "/api/v1/tokenize")
    assert status == 200, answer
    assert answer["image_tokens"] == 1590
    parts = answer["content_tokens"] + answer["framing_tokens"] + answer["tools_tokens"]
    assert answer["count"] == parts + 1590


@pytest.mark.parametrize(
    ("provider", "model", "tokenizer", "tokens"),
    [
        ("aws", "global.anthropic.claude-opus-4-6-v1:0", "claude", 1590),
        ("aws", "us.anthropic.claude-3-5-haiku-20241022-v1:0", "claude", 1590),
        ("google", "claude-opus-4-6@20250514", "claude", 1590),  # Claude on Vertex, filed under google
        ("openrouter", "anthropic/claude-sonnet-4.6", "claude", 1590),
        ("openrouter", "openai/gpt-4o", "o200k_base", 765),
        ("azure", "gpt-4o-2024-08-06", "o200k_base", 765),
        ("openrouter", "google/gemini-2.0-flash-001", "gemma3", 258 * 4),  # two 768 px tiles a side
        ("aws", "openai.gpt-oss-120b-1:0", "o200k_base", None),
    ],
)
def test_a_hosted_model_counts_images_by_its_makers_rule(provider, model, tokenizer, tokens):
    side = 1092 if tokenizer == "claude" else 1024
    if tokenizer == "gemma3":
        side = 1536
    detail = "high"
    assert count_images(provider, model, tokenizer, [ImagePart(side, side, detail)]).tokens == tokens


def test_a_jsonl_average_counts_images_per_request():
    ref = ModelRef("openai", "gpt-4.1", "o200k_base")
    with_images = parse_conversation(conversation((1024, 1024)))
    low = parse_conversation(conversation((1024, 1024), detail="low"))
    averaged = average_counts([ref], [with_images, low])[ref.key]
    assert averaged.image_tokens == (765 + 85) // 2
