"""Conversation mode on the calculator page: pasted JSON messages and a dropped .jsonl log are
counted with each family's framing; the rows say how good each count is."""

import json

import pytest
from playwright.sync_api import expect

from tests.reference import tiktoken_encoding

from .helpers import TIMEOUT_MS, row

pytestmark = pytest.mark.browser

MINI = "openai/gpt-4.1-mini"
MESSAGES = [
    {"role": "system", "content": "You are a terse assistant."},
    {"role": "user", "content": "What is the capital of France?"},
]


def recipe(messages) -> int:
    """OpenAI's published recipe, counted by tiktoken: 3 + role + content per message, +3."""
    encoding = tiktoken_encoding("o200k_base")
    return 3 + sum(3 + len(encoding.encode(m["role"])) + len(encoding.encode(m["content"])) for m in messages)


def test_pasted_messages_are_counted_with_their_chat_framing(calculator):
    calculator.check("#source-conversation")
    calculator.fill("#text", json.dumps(MESSAGES))

    cell = row(calculator, MINI).locator('td[data-col="input_tokens"]')
    expect(cell).to_have_attribute("data-value", str(recipe(MESSAGES)), timeout=TIMEOUT_MS)
    quality = row(calculator, MINI).locator('td[data-col="quality"]')
    expect(quality).to_contain_text("exact (official vocabulary)")
    expect(calculator.locator("#token-stats")).to_contain_text(
        f"{recipe(MESSAGES)} tokens", timeout=TIMEOUT_MS
    )


def test_a_dropped_jsonl_log_gives_per_request_averages(calculator, tmp_path):
    short = [{"role": "user", "content": "Hi"}]
    log = tmp_path / "log.jsonl"
    log.write_text(json.dumps({"messages": MESSAGES}) + "\n" + json.dumps(short) + "\n")
    calculator.set_input_files("#file", str(log))

    expect(calculator.locator("#source-conversation")).to_be_checked()
    cell = row(calculator, MINI).locator('td[data-col="input_tokens"]')
    average = (recipe(MESSAGES) + recipe(short)) / 2
    expect(cell).to_have_attribute("data-value", str(round(average)), timeout=TIMEOUT_MS)


def test_json_that_is_not_a_conversation_is_refused_next_to_the_text(calculator):
    calculator.check("#source-conversation")
    calculator.fill("#text", '{"hello": 1}')
    expect(calculator.locator("#error-text")).to_contain_text('{"messages": [...]}', timeout=TIMEOUT_MS)


def test_the_token_view_shows_a_conversations_framing_apart_from_its_content(calculator):
    calculator.check("#source-conversation")
    calculator.fill("#text", json.dumps(MESSAGES))
    encoding = tiktoken_encoding("o200k_base")
    content = sum(len(encoding.encode(m["content"])) for m in MESSAGES)
    stats = calculator.locator("#token-stats")
    expect(stats).to_contain_text(f"{content} content", timeout=TIMEOUT_MS)
    expect(stats).to_contain_text(f"{recipe(MESSAGES) - content} chat framing (documented)")


def test_a_pasted_image_is_counted_apart_by_openais_published_rule(calculator):
    # OpenAI's vision guide: a 1024 x 1024 image at high detail costs GPT-4o-class models 765 tokens.
    question = "What is in this picture?"
    image = {"url": "https://example.invalid/photo.png", "detail": "high"}
    parts = [
        {"type": "text", "text": question},
        {"type": "image_url", "image_url": image, "width": 1024, "height": 1024},
    ]
    calculator.check("#source-conversation")
    calculator.fill("#text", json.dumps([{"role": "user", "content": parts}]))

    cell = row(calculator, "openai/gpt-4.1").locator('td[data-col="input_tokens"]')
    text_only = recipe([{"role": "user", "content": question}])
    expect(cell).to_have_attribute("data-value", str(text_only + 765), timeout=TIMEOUT_MS)
    expect(cell).to_contain_text("incl. 765 image")


def paste(page, text: str) -> None:
    """What a paste does to the text box: its value, then an input event of type insertFromPaste."""
    page.evaluate(
        """text => {
            const box = document.getElementById("text");
            box.value = text;
            box.dispatchEvent(new InputEvent("input", {inputType: "insertFromPaste", bubbles: true}));
        }""",
        text,
    )


def test_pasted_chat_json_is_read_as_a_conversation_with_a_switch_back_to_text(calculator):
    paste(calculator, json.dumps(MESSAGES))
    expect(calculator.locator("#source-conversation")).to_be_checked()
    note = calculator.locator("#conversation-note")
    expect(note).to_contain_text("Read as a chat conversation of 2 messages")
    cell = row(calculator, MINI).locator('td[data-col="input_tokens"]')
    expect(cell).to_have_attribute("data-value", str(recipe(MESSAGES)), timeout=TIMEOUT_MS)

    calculator.get_by_role("button", name="Count it as plain text").click()
    plain = len(tiktoken_encoding("o200k_base").encode_ordinary(json.dumps(MESSAGES)))
    expect(cell).to_have_attribute("data-value", str(plain), timeout=TIMEOUT_MS)
    expect(note).to_contain_text("Counted as plain text")


def test_pasted_prose_stays_text(calculator):
    prose = "[citation needed] is not a conversation."
    paste(calculator, prose)
    # Counted as the plain text it is (and the estimate answered before the test ends).
    plain = len(tiktoken_encoding("o200k_base").encode_ordinary(prose))
    cell = row(calculator, MINI).locator('td[data-col="input_tokens"]')
    expect(cell).to_have_attribute("data-value", str(plain), timeout=TIMEOUT_MS)
    expect(calculator.locator("#conversation-note")).to_be_hidden()
    assert calculator.locator("#source-conversation").is_checked() is False


def test_a_jsonl_log_says_how_many_conversations_were_averaged_and_their_spread(calculator):
    short = [{"role": "user", "content": "Hi"}]
    paste(calculator, json.dumps({"messages": MESSAGES}) + "\n" + json.dumps(short))
    note = calculator.locator("#conversation-note")
    low, high = sorted((recipe(MESSAGES), recipe(short)))
    expect(note).to_contain_text("A log of 2 conversations", timeout=TIMEOUT_MS)
    expect(note).to_contain_text(f"input from {low} to {high} tokens a conversation")


def test_the_message_editor_writes_a_conversation_without_json(calculator):
    calculator.fill("#text", "What is the capital of France?")
    calculator.locator("#message-editor > summary").click()
    messages = calculator.locator(".m-message")
    expect(messages).to_have_count(2)  # a system message to fill, and the text as the user's
    messages.nth(0).get_by_label("Content").fill(MESSAGES[0]["content"])
    expect(calculator.locator("#source-conversation")).to_be_checked()
    cell = row(calculator, "openai/gpt-4.1").locator('td[data-col="input_tokens"]')
    expect(cell).to_have_attribute("data-value", str(recipe(MESSAGES)), timeout=TIMEOUT_MS)

    # An image by its size: OpenAI's published example, 1024 x 1024 at high detail = 765 tokens.
    messages.nth(1).get_by_role("button", name="Add an image by size").click()
    image = messages.nth(1).locator(".m-image")
    image.get_by_label("Width px").fill("1024")
    image.get_by_label("Height px").fill("1024")
    image.get_by_label("Detail").select_option("high")
    expect(cell).to_have_attribute("data-value", str(recipe(MESSAGES) + 765), timeout=TIMEOUT_MS)
    written = json.loads(calculator.locator("#text").input_value())
    assert written["messages"][0] == MESSAGES[0] and written["messages"][1]["role"] == "user"

    calculator.get_by_role("button", name="Add a message").click()
    expect(messages).to_have_count(3)
    expect(messages.nth(2).get_by_label("Role")).to_have_value("assistant")
    # An empty assistant turn still costs its framing (and the estimate answers before the end).
    with_turn = recipe([*MESSAGES, {"role": "assistant", "content": ""}]) + 765
    expect(cell).to_have_attribute("data-value", str(with_turn), timeout=TIMEOUT_MS)


def test_the_message_editor_fits_a_phone(calculator):
    calculator.set_viewport_size({"width": 390, "height": 844})
    calculator.locator("#message-editor > summary").click()
    calculator.locator(".m-message").nth(1).get_by_role("button", name="Add an image by size").click()
    expect(calculator.locator(".m-image")).to_have_count(1)
    assert calculator.evaluate("document.documentElement.scrollWidth") <= 390
    # Its messages still count as on a desktop (and the estimate answers before the test ends).
    calculator.locator(".m-image").get_by_role("button", name="Remove image").click()
    for index, message in enumerate(MESSAGES):
        calculator.locator(".m-message").nth(index).get_by_label("Content").fill(message["content"])
    cell = row(calculator, MINI).locator('td[data-col="input_tokens"]')
    expect(cell).to_have_attribute("data-value", str(recipe(MESSAGES)), timeout=TIMEOUT_MS)
