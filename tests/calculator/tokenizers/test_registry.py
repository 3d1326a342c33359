"""The registry's promises: exactness, lazy shared engines, parallel counting once per engine,
the cache, limits and clear errors."""

import ctok
import pytest

from calculator import tokenizers
from calculator.tokenizers import (
    TextTooLarge,
    TokenizerError,
    TokenizerUnavailable,
    UnknownTokenizer,
    count_tokens,
    count_tokens_many,
    registry,
)

EXACT = {
    "o200k_base",
    "cl100k_base",
    "p50k_base",
    "r50k_base",
    "llama2",
    "llama3",
    "llama4",
    "mistral_tekken",
    "mistral_spm_v3",
    "mistral_spm_v7",
    "deepseek_v3",
    "qwen2",
    "qwen3_5",
    "gemma3",
    "claude_legacy",
    "command_r",
}


def test_it_lists_every_key_with_exactness_note_and_licence():
    infos = {i.key: i for i in tokenizers.list_tokenizers()}
    assert {k for k, i in infos.items() if i.exact} == EXACT
    assert set(infos) - EXACT == {"gemini3", "claude", "claude_opus_4_7", "claude_5", "grok", "generic"}
    assert all(i.note and i.licence and i.family for i in infos.values())


def test_it_counts_empty_text_as_zero_tokens():
    assert all(count_tokens("", i.key) == 0 for i in tokenizers.list_tokenizers())


def test_it_counts_once_per_distinct_engine():
    registry.count_calls.clear()
    text = "a text nobody has counted yet: 7f1e"
    keys = ["o200k_base", "grok", "generic", "o200k_base", "gemma3", "gemini3", "llama3"]
    results = count_tokens_many(text, keys)
    assert set(results) == set(keys)
    assert registry.count_calls == {"o200k_base": 1, "gemma3": 1, "llama3": 1}
    assert results["grok"].tokens == results["o200k_base"].tokens
    assert results["grok"].exact is False and results["o200k_base"].exact is True


def test_it_serves_repeated_text_from_the_cache():
    registry.count_calls.clear()
    count_tokens_many("cached text 42", ["cl100k_base", "claude"])
    count_tokens_many("cached text 42", ["cl100k_base", "claude"])
    assert registry.count_calls == {"cl100k_base": 1, "claude": 1}


def test_it_subtracts_ctoks_message_frame_from_claude_counts():
    # Frames from TOKENIZERS.md: 7 (v3), 11 (v4.7), 6 (v4.8) tokens per message.
    for key, version, frame in [("claude", "3.0", 7), ("claude_opus_4_7", "4.7", 11), ("claude_5", "4.8", 6)]:
        text = "Token counting, offline."
        assert count_tokens(text, key) == ctok.token_count(text, version) - frame


def test_it_refuses_text_over_the_limit_naming_it(reconfigure):
    reconfigure(max_text_bytes=10)
    with pytest.raises(TextTooLarge, match="10 bytes"):
        count_tokens("é" * 6, "o200k_base")
    with pytest.raises(TextTooLarge):
        count_tokens_many("x" * 11, ["o200k_base"])


def test_it_refuses_lone_surrogates_with_a_clear_error():
    with pytest.raises(TokenizerError, match="surrogate"):
        count_tokens("a\ud800b", "o200k_base")


def test_it_raises_for_an_unknown_key():
    with pytest.raises(UnknownTokenizer):
        count_tokens_many("x", ["o200k_base", "nope"])


@pytest.mark.parametrize(
    ("text", "in_threads"),
    [("some text", False), ("some text " * 3_000, True)],
    ids=["in turn", "in threads"],
)
def test_it_reports_tokenizers_without_files_as_unavailable(tmp_path, reconfigure, text, in_threads):
    reconfigure(data_dir=tmp_path)
    assert not tokenizers.is_available("gemma3")
    with pytest.raises(TokenizerUnavailable):
        count_tokens("x", "gemma3")
    assert (len(text) >= registry.PARALLEL_FROM_CHARS) is in_threads  # each way of counting is tried
    results = count_tokens_many(text, ["gemma3", "claude"])
    assert results["gemma3"].available is False and results["gemma3"].tokens is None
    assert "gemma3.json" in results["gemma3"].note
    assert results["claude"].available is True  # ctok is a library, needs no file


def test_it_counts_a_long_claude_text_whole_exactly_as_ctok_does():
    lines = [f"Line {i} of ordinary English prose, with {i * 7} things in it.\n" for i in range(4000)]
    text = "".join(lines)  # ~250 KB, all different lines: nothing to extrapolate from
    result = count_tokens_many(text, ["claude"])["claude"]
    assert result.tokens == ctok.token_count(text, "3.0") - 7
    assert "extrapolated" not in result.note


@pytest.mark.parametrize(
    ("provider", "model", "key"),
    [
        ("openai", "gpt-4o-mini", "o200k_base"),
        ("openai", "gpt-5.4", "o200k_base"),
        ("openai", "o3", "o200k_base"),
        ("openai", "gpt-3.5-turbo", "cl100k_base"),
        ("anthropic", "claude-opus-4-6", "claude"),
        ("anthropic", "claude-3-5-haiku", "claude"),
        ("anthropic", "claude-opus-4-7", "claude_opus_4_7"),
        ("anthropic", "claude-sonnet-5", "claude_5"),
        ("anthropic", "claude-2.1", "claude_legacy"),
        ("google", "gemini-2.5-pro", "gemma3"),
        ("google", "gemini-3.1-pro", "gemini3"),
        ("deepseek", "deepseek-v4-pro", "deepseek_v3"),
        ("qwen", "qwen3.5-plus", "qwen3_5"),
        ("qwen", "qwen-2.5-72b", "qwen2"),
        ("mistral", "mistral-small-3.1", "mistral_tekken"),
        ("mistral", "mistral-large-2411", "mistral_spm_v7"),
        ("meta-llama", "llama-4-maverick", "llama4"),
        ("groq", "llama-3.3-70b", "llama3"),
        ("xai", "grok-4", "grok"),
        ("someone", "something", "generic"),
    ],
)
def test_it_picks_a_sensible_default_tokenizer(provider, model, key):
    assert tokenizers.default_tokenizer_for(provider, model) == key


def test_it_adds_chat_framing_only_when_asked_per_family():
    assert tokenizers.chat_overhead_tokens("o200k_base", 0) == 0
    assert tokenizers.chat_overhead_tokens("o200k_base", 2) == 6
    assert tokenizers.chat_overhead_tokens("claude_5", 1) == 6


def test_a_rust_panic_in_one_tokenizer_is_that_tokenizers_failure_not_the_requests(monkeypatch):
    # pyo3's PanicException derives from BaseException, past every ``except Exception``; tiktoken
    # raised one on "a\n" + a million spaces. Any panic must come back as the tokenizer's failure.
    class PanicException(BaseException):
        pass

    class Panicking:
        engine = "tiktoken"

        def count(self, text):
            raise PanicException("called `Result::unwrap()` on an `Err` value")

        def tokenize(self, text):
            raise PanicException("called `Result::unwrap()` on an `Err` value")

    real = registry._adapter
    monkeypatch.setattr(registry, "_adapter", lambda key: Panicking() if key == "qwen2" else real(key))
    text = "a panic on this text only"
    counts = registry.count_tokens_many(text, ["qwen2", "o200k_base"])
    assert counts["qwen2"].available is False and "failed on this text" in counts["qwen2"].note
    assert counts["o200k_base"].available is True and counts["o200k_base"].tokens > 0
    with pytest.raises(registry.TokenizerError, match="failed on this text"):
        registry.tokenize(text, "qwen2")
