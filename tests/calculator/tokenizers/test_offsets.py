"""Token character ranges tile the original text, for every tokenizer."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator.tokenizers import list_tokenizers, tokenize

from .corpus import CORPUS

FAST_KEYS = [i.key for i in list_tokenizers() if i.engine != "ctok"]
ALL_KEYS = [i.key for i in list_tokenizers()]


def assert_tiles(text, tokens):
    assert "".join(t.text for t in tokens) == text
    position = 0
    for token in tokens:
        assert token.start == position and token.end >= token.start
        assert token.text == text[token.start : token.end]
        position = token.end
    assert position == len(text)


@pytest.mark.parametrize("key", ALL_KEYS)
def test_it_reproduces_the_input_by_concatenating_token_texts(key):
    for text in CORPUS:
        assert_tiles(text, tokenize(text, key)[0])


@pytest.mark.parametrize(
    "key", ["cl100k_base", "o200k_base", "deepseek_v3", "gemma3", "mistral_spm_v3", "qwen2"]
)
def test_it_maps_text_after_cjk_to_its_character_position(key):
    text = "中文分词 and then"
    tokens, _ = tokenize(text, key)
    assert_tiles(text, tokens)
    last = tokens[-1]
    assert last.text.strip() == "then" and last.start in (text.index(" then"), text.index("then"))
    assert "".join(t.text for t in tokens if t.start < 4).startswith("中文分词")


def test_it_gives_a_split_emoji_to_the_token_holding_its_first_byte():
    tokens, _ = tokenize("a🙂", "llama3")
    assert [t.text for t in tokens if t.text][-1] in {"🙂", "a🙂"}
    assert_tiles("a🙂", tokens)
    for token in tokens:
        assert token.start <= token.end


def test_it_keeps_a_zwj_family_emoji_intact_across_byte_tokens():
    text = "👨‍👩‍👧"
    tokens, _ = tokenize(text, "gemma3")
    assert_tiles(text, tokens)
    assert [t.text for t in tokens if t.text] == ["👨", "\u200d", "👩", "\u200d", "👧"]


def test_it_maps_qwen_nfc_tokens_back_to_the_decomposed_original():
    text = "Cafe\u0301 au lait"
    tokens, _ = tokenize(text, "qwen2")
    assert_tiles(text, tokens)
    assert any("e\u0301" in t.text for t in tokens)


def test_it_says_claude_boundaries_are_not_real():
    tokens, real = tokenize("Hello, world!", "claude")
    assert real is False and all(t.id is None for t in tokens)
    assert_tiles("Hello, world!", tokens)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(st.characters(exclude_categories=["Cs"]), max_size=40), key=st.sampled_from(ALL_KEYS))
def test_it_always_covers_the_text_without_overlap(text, key):
    assert_tiles(text, tokenize(text, key)[0])


@pytest.mark.parametrize("key", ["claude", "claude_opus_4_7", "claude_5"])
@pytest.mark.parametrize("text", ["\x1f", "ab\x1f", "\x00x\x07"])
def test_claude_spans_cover_control_characters_ctok_folds_away(key, text):
    tokens, _ = tokenize(text, key)
    assert_tiles(text, tokens)
    assert all(t.end > t.start for t in tokens)


def test_tokens_are_made_when_read_and_equal_the_tiling_by_hand():
    from calculator.tokenizers.engines.offsets import make_tokens
    from calculator.tokenizers.types import Token

    # Untidy ends: a dip (3 after 4), and a last end short of the text, stretched to its length.
    tokens = make_tokens("héllo wörld", [7, 8, 9, 10], [2, 4, 3, 9])
    expected = [Token(7, "hé", 0, 2), Token(8, "ll", 2, 4), Token(9, "", 4, 4), Token(10, "o wörld", 4, 11)]
    assert tokens == expected and list(tokens) == expected and len(tokens) == 4
    assert tokens[-1] == expected[-1] and tokens[1:3] == expected[1:3] and tokens[:99] == expected
    assert make_tokens("ab", [None, None], [1, 2])[0] == Token(None, "a", 0, 1)
    with pytest.raises(IndexError):
        tokens[4]
    with pytest.raises(ValueError, match="3 ids for 2 token ends"):
        make_tokens("ab", [1, 2, 3], [1, 2])
