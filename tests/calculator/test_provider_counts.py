"""The provider's own count, against a local server speaking each endpoint's protocol."""

import socket

import pytest

from calculator import provider_counts
from calculator.tokenizers.chat.conversation import parse_conversation

from . import provider_server
from .provider_server import KEY

TEXT = "The quick brown fox jumps over the lazy dog"


@pytest.fixture
def server():
    running = provider_server.start()
    yield running
    running.shutdown()


def configure(base: str, timeout: float = 2.0) -> None:
    provider_counts.configure(
        anthropic_api_key=KEY,
        anthropic_base_url=base,
        gemini_api_key=KEY,
        gemini_base_url=base,
        xai_api_key=KEY,
        xai_base_url=base,
        timeout_seconds=timeout,
    )


@pytest.fixture(autouse=True)
def off_afterwards():
    yield
    provider_counts.configure()


def base_of(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_it_is_off_without_a_key():
    provider_counts.configure()
    assert provider_counts.provider_for("claude", "anthropic") is None


def test_anthropics_count_comes_back_without_the_one_message_frame_and_is_cached(server):
    configure(base_of(server))
    assert provider_counts.provider_for("claude", "anthropic") == "anthropic"
    first = provider_counts.count("anthropic", "claude-opus-4-6", "claude", text=TEXT)
    again = provider_counts.count("anthropic", "claude-opus-4-6", "claude", text=TEXT)
    assert (first.tokens, first.label) == (9, "exact (provider count)")  # 9 words; frame 7 removed
    assert again == first and len(server.requests) == 1
    path, headers, body = server.requests[0]
    assert body == {"model": "claude-opus-4-6", "messages": [{"role": "user", "content": TEXT}]}
    assert KEY in (headers.get("x-api-key"), headers.get("Authorization", "").removeprefix("Bearer "))
    assert "anthropic-version" in headers


def test_a_conversation_goes_to_anthropic_with_its_system_prompt_and_tools(server):
    configure(base_of(server))
    conversation = parse_conversation(
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Weather in Paris?"}],
        [{"type": "function", "function": {"name": "get_weather", "description": "Weather now."}}],
    )
    counted = provider_counts.count("anthropic", "claude-opus-4-6", "claude", conversation=conversation)
    _, _, body = server.requests[0]
    assert body["system"] == "Be brief." and body["tools"][0]["name"] == "get_weather"
    assert counted.tokens == 7 + 2 + 3  # the stand-in counts the frame, system and message words


def test_geminis_count_tokens_is_called_through_its_sdk(server):
    configure(base_of(server))
    counted = provider_counts.count("google", "gemini-3.1-pro", "gemini3", text=TEXT)
    path, headers, _ = server.requests[0]
    assert counted.tokens == 9 and path.startswith("/v1beta/models/gemini-3.1-pro:countTokens")
    assert headers["x-goog-api-key"] == KEY


def test_xais_tokenize_endpoint_counts_the_token_ids(server):
    configure(base_of(server))
    counted = provider_counts.count("xai", "grok-4", "grok", text=TEXT)
    assert counted.tokens == 9 and server.requests[0][1]["Authorization"] == f"Bearer {KEY}"


def test_a_provider_that_is_down_falls_back_and_says_so_without_the_key():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens here once the socket closes
    configure(f"http://127.0.0.1:{port}")
    for provider, model, key in [
        ("anthropic", "claude-opus-4-6", "claude"),
        ("google", "gemini-3.1-pro", "gemini3"),
    ]:
        counted = provider_counts.count(provider, model, key, text=TEXT)
        assert counted.tokens is None and counted.label.startswith("offline count:")
        assert KEY not in counted.label


def test_a_provider_that_never_answers_falls_back_at_the_timeout():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts the connection, never answers
        configure(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.5)
        counted = provider_counts.count("xai", "grok-4", "grok", text=TEXT)
    assert counted.tokens is None and "offline count" in counted.label


def test_a_wrong_key_is_a_labelled_fallback_with_the_status(server):
    configure(base_of(server))
    provider_counts.settings.anthropic_api_key = "sk-wrong"
    counted = provider_counts.count("anthropic", "claude-opus-4-6", "claude", text=TEXT)
    assert counted.tokens is None and "401" in counted.label and "sk-wrong" not in counted.label
    assert "sk-wrong" not in repr(provider_counts.settings)


def test_a_gemini_conversation_with_a_system_prompt_is_counted_offline_and_says_why(server):
    configure(base_of(server))
    conversation = parse_conversation(
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    )
    counted = provider_counts.count("google", "gemini-3.1-pro", "gemini3", conversation=conversation)
    assert counted.tokens is None and "user and model turns only" in counted.label and not server.requests


def test_a_gemini_conversation_of_user_and_model_turns_is_sent_as_contents(server):
    configure(base_of(server))
    conversation = parse_conversation(
        [{"role": "user", "content": "Hi there"}, {"role": "assistant", "content": "Hello you"}]
    )
    counted = provider_counts.count("google", "gemini-3.1-pro", "gemini3", conversation=conversation)
    _, _, body = server.requests[0]
    assert counted.tokens == 4 and [c["role"] for c in body["contents"]] == ["user", "model"]
