"""Published numbers (TOKENIZERS.md, Google's and Mistral's documentation)."""

import pytest

from calculator.tokenizers import count_tokens, tokenize

REFERENCE_KEYS = ["o200k_base", "cl100k_base", "llama3", "gemma3", "deepseek_v3", "qwen2"]


@pytest.mark.parametrize("key", REFERENCE_KEYS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello", 1),
        ("Hello, world!", 4),
        ("The quick brown fox jumps over the lazy dog", 9),
    ],
)
def test_it_matches_the_reference_counts(key, text, expected):
    assert count_tokens(text, key) == expected


def test_it_counts_gemma_3_what_is_your_name_as_five_tokens():
    assert count_tokens("What is your name?", "gemma3") == 5


def test_it_gives_mistrals_documented_tekken_ids():
    tokens, _ = tokenize("Hello, how are you?", "mistral_tekken")
    assert [t.id for t in tokens] == [22177, 1044, 2606, 1584, 1636, 1063]


def test_it_counts_pasted_special_tokens_as_plain_text():
    assert count_tokens("<|endoftext|>", "o200k_base") > 1
    assert count_tokens("<bos>", "gemma3") > 1
    assert count_tokens("<s>", "mistral_spm_v3") > 1
