"""Mistral's SentencePiece counts by parts (cut at single spaces) equal the whole text's."""

import pytest

from calculator.tokenizers import registry
from calculator.tokenizers.engines.part_counts import LONGEST_KEPT, PART_OVERHEAD_BYTES, PartCounts
from calculator.tokenizers.engines.spm import WORD_CUT

from .claude_corpus import documents
from .corpus import CORPUS


@pytest.mark.parametrize("key", ["mistral_spm_v3", "mistral_spm_v7"])
def test_the_ids_of_the_parts_are_the_ids_of_the_whole_text(key):
    processor = registry._adapter(key).processor
    texts = CORPUS + documents(seed=11, total_chars=150_000)
    for text in texts:
        parts = WORD_CUT.split(text)
        by_parts = [i for ids in processor.encode(parts) for i in ids]
        assert by_parts == processor.encode(text), text[:80]


@pytest.mark.parametrize("key", ["mistral_spm_v3", "mistral_spm_v7"])
def test_a_long_text_counts_the_same_with_an_empty_or_a_full_part_table(key):
    adapter = registry._adapter(key)
    text = "".join(documents(seed=12, total_chars=60_000))
    whole = len(adapter.processor.encode(text))
    adapter.forget()
    assert adapter.count(text) == whole
    assert adapter.count(text) == whole  # from the table now


def test_a_part_table_stays_bounded_and_its_totals_right_when_it_overflows():
    calls: list[list[str]] = []

    def count_many(parts: list[str]) -> list[int]:
        calls.append(parts)
        return [len(part) for part in parts]

    table = PartCounts(count_many, max_bytes=3 * (PART_OVERHEAD_BYTES + 5))
    texts = [["ab", "c", "ab"], ["c", "def", "ghij", "ab"], ["ab", "c"], ["klmno", "ab"]]
    for parts in texts:
        assert table.total(parts) == sum(map(len, parts))
        assert len(table) <= 3 and table.size_bytes() <= 3 * (PART_OVERHEAD_BYTES + 5)
    assert sorted(calls[0]) == ["ab", "c"]  # each distinct part counted once
    assert table.total(["x"] * 1000) == 1000 and calls[-1] == ["x"]


def test_a_long_part_is_counted_but_not_kept():
    table = PartCounts(lambda parts: [len(part) for part in parts])
    long_run = " " * (LONGEST_KEPT + 1)
    assert table.total([long_run, "a", long_run]) == 2 * len(long_run) + 1
    assert len(table) == 1 and table.size_bytes() == 1 + PART_OVERHEAD_BYTES
