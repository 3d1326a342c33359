"""The Claude engine gives exactly ctok 1.3.0's counts: ctok is the reference, never our output.

The 10 MB proof runs on demand: ``.venv/bin/python bench/claude_equality.py``.
"""

import ctok
import pytest
from ctok.normalize import _hard_kind, _stray_mark, classify

from calculator.tokenizers.claude import chunks as claude_chunks
from calculator.tokenizers.claude import stream as cs
from calculator.tokenizers.claude.engine import ClaudeEngine

from .adversarial import adversarial_texts
from .claude_corpus import documents
from .corpus import CORPUS

FAMILIES = [("v3", "3.0"), ("v4.7", "4.7"), ("v4.8", "4.8")]
EDGES = [
    "",
    " a",
    "  a",
    "'s",
    "it's a 'test' x 'REXX don't I'M",
    "\u0301abc x \u0301 y a\u0301b",
    "١٢٣ ab a ١٢٣ b ½ ² ①",
    "\ufdd0\ufdd1 x \ufdd4 ⟨bow⟩ ⟨0x41⟩",
    "İstanbul ISTANBUL STRASSE ẞ ΣΑΣ Σας ϴ",
    "❤️ ☺️ a❤️b ⚖️x",
    "a" + "\n" * 40,
    "\n\n\n",
    "\x00x\x07",
    "ⓐ's Ⓐ x",
    "𠀀𠀁 🙂🙂🙂 ꙮ औ अ",
    "x" + " " * 200 + "y\t\t\t\n    z",
]


@pytest.fixture(scope="module", params=FAMILIES, ids=[f for f, _ in FAMILIES])
def family(request):
    key, version = request.param
    return ClaudeEngine(key), version


def reference(text: str, version: str, engine: ClaudeEngine) -> int:
    return ctok.token_count(text, version) - engine.frame


def test_every_bmp_character_falls_in_the_class_ctok_gives_it():
    wrong = []
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or cs.is_selector(char):  # selectors ride; tested through counts
            continue
        expected = {"wordy": cs.W, "digit": cs.D, "punct": cs.P, "space": cs.S}.get(classify(char))
        if expected is None:
            expected = {"punct": cs.HP, "number": cs.HN, "letter": cs.HL}[_hard_kind(char)]
        stray_differs = expected == cs.W and cs.stray_capable(char) != _stray_mark(char)
        if cs.char_class(char) != expected or stray_differs:
            wrong.append(hex(code))
    assert wrong == []


def test_it_counts_the_test_corpus_and_the_edge_cases_as_ctok_does(family):
    engine, version = family
    differences = [t for t in CORPUS + EDGES if engine.count(t) != reference(t, version, engine)]
    assert differences == []


def test_it_counts_200_kb_of_generated_text_as_ctok_does(family):
    engine, version = family
    docs = documents(seed=14, total_chars=200_000)
    differences = [d[:80] for d in docs if engine.count(d) != reference(d, version, engine)]
    assert differences == []


def test_a_long_text_counted_in_chunks_equals_ctok_counting_it_whole(family):
    engine, version = family
    text = "".join(documents(seed=7, total_chars=60_000)) + " ⓐ's Ⓐ'll x"  # joined chunks too
    assert len(claude_chunks.chunks(cs.prepare(text, engine.fold_quotes, engine.frame_bow).body)[0]) > 1000
    assert engine.count(text) == reference(text, version, engine)


def test_chunk_streams_join_into_the_stream_of_the_whole_text(family):
    engine, _ = family
    for doc in documents(seed=3, total_chars=30_000):
        body = cs.prepare(doc, engine.fold_quotes, engine.frame_bow).body
        parts, tail = claude_chunks.chunks(body)
        if not parts:
            continue
        joined = cs.stream(parts[0], engine.caps_min, engine.frame_bow, True)
        joined += "".join(claude_chunks.chunk_stream(part, engine.caps_min) for part in parts[1:])
        joined += cs.stream(tail, engine.caps_min, engine.frame_bow, False) if tail else ""
        assert joined == cs.stream(body, engine.caps_min, engine.frame_bow, True)


def test_a_repeated_text_is_counted_from_the_chunk_table_with_the_same_result(family):
    engine, version = family
    text = "The same sentence, again and again; it's cached.\n" * 300
    first = engine.count(text)
    assert len(engine._tiler.chunks)  # the chunks were kept
    assert engine.count(text) == first == reference(text, version, engine)


def test_a_character_no_piece_covers_costs_its_byte_floor_as_in_ctok(family):
    engine, version = family
    for text in ["\U0002a6d6", "a\U0001f9ff b", "\ufdd2\ufdd2", "\u0b9f\u0bbf x"]:
        assert engine.count(text) == reference(text, version, engine)


@pytest.mark.parametrize("name", sorted(adversarial_texts(10)))
def test_long_runs_and_machine_pastes_count_as_ctok_counts_them(family, name):
    engine, version = family
    run = adversarial_texts(20_000)[name]
    for text in (run, f"x {run} y", f"Word{run}word"):  # a run alone, between words, glued to them
        assert engine.count(text) == reference(text, version, engine)
