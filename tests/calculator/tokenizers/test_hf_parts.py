"""Gemma 3's counts by parts (cut before spaces where no merge can cross) equal the whole text's."""

from calculator.tokenizers import registry
from calculator.tokenizers.engines.hf import space_cut

from .claude_corpus import documents
from .corpus import CORPUS


def test_the_ids_of_the_parts_are_the_ids_of_the_whole_text():
    adapter = registry._adapter("gemma3")
    assert adapter.cut is not None
    for text in CORPUS + documents(seed=21, total_chars=150_000) + ["a > </b> x", "<start_of_turn>user hi"]:
        parts = adapter.cut.split(text)
        encoded = adapter.tokenizer.encode_batch(parts, add_special_tokens=False)
        assert [i for enc in encoded for i in enc.ids] == adapter.encode_ids(text), text[:80]


def test_a_long_text_counts_the_same_with_an_empty_or_a_full_part_table():
    adapter = registry._adapter("gemma3")
    text = "".join(documents(seed=22, total_chars=60_000))
    whole = len(adapter.encode_ids(text))
    adapter.forget()
    assert adapter.count(text) == whole
    assert adapter.count(text) == whole


def test_a_tokenizer_without_the_space_to_piece_normaliser_is_never_cut():
    assert space_cut({"model": {"type": "BPE", "vocab": {"a": 0}}, "normalizer": None}) is None


def test_no_cut_follows_a_character_that_some_piece_joins_to_the_next_space():
    replace = {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}
    cut = space_cut({"model": {"type": "BPE", "vocab": {"x\u2581y": 0}}, "normalizer": replace})
    assert cut.split("ax by x z") == ["ax by", " x z"]
