"""Seeded, varied documents for proving the Claude engine equal to ctok (tests and bench).

English and code, CJK and Hangul, emoji sequences, long runs of spaces and newlines, ctok's own
marker glyphs and notation, contractions and case shapes, and random code points from every
Unicode category (marks, digits of other scripts, selectors, controls, private use, astral).
"""

from __future__ import annotations

import random

_WORD_TEXT = (
    "the of and to in is was for that with as on by it from at this be are an or which have "
    "not were but had one their all also has its new other more been first after two into who "
    "can time when would about there some only most over such may these made than many later "
    "licence software copyright permission notice warranty source code distribute modify "
    "tokenizer vocabulary estimate count price model message stream marker boundary "
)
WORDS = _WORD_TEXT.split()
CODE = [
    "def {w}(self, {v}=None):\n    return {v}\n",
    "for i in range({n}):\n\tif i % 2 == 0:\n\t\tprint(i, '{w}')\n",
    "class {W}({W}Base):\n    '''{w} {v}'''\n    x = [{n}, {n}] + {{'k': {n}}}\n",
    "if ({v} != {n} && {w}->{v}) {{ return {v} >= 0x{n}; }}\n",
    "    {v}_{w} = {W}.{v}({n}.5e-3) # {w}: {v}'s\n",
    '<div class="{w}">{W} &amp; {v}</div>\n',
]
MARKER_TEXT = ["\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3", "\ufdd4"] + [
    "⟨bow⟩",
    "⟨eow⟩",
    "⟨shift⟩",
    "⟨0x41⟩",
    "⟨",
    "⟩",
]
EMOJI = ["🙂", "👍🏽", "❤️", "☺️", "👨‍👩‍👧‍👦", "🇫🇷", "1️⃣", "🤖", "✈", "⚖️", "🏳️‍🌈"]
SPECIALS = (
    "İıẞßΣσςϴⓐⒶⅫⅻ½²①١٢٣۴०१꙾ꙮ"
    + "\u0301\u0308\u093f\u094d\u0711\u0730\ufe0f\ufe0e\u200d\u200b\ufeff\u00a0\u3000\u2028"
)
QUOTES = "\u2018\u2019\u201c\u201d\u201e'\"«»—–…•"
CONTRACTIONS = ["it's", "don't", "we'll", "they're", "I'm", "you've", "he'd", "'s", "O'Neil", "x'LL"]


def _word(rng: random.Random) -> str:
    if rng.random() < 0.8:
        word = rng.choice(WORDS)
    else:
        word = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(1, 12)))
    shape = rng.random()
    if shape < 0.15:
        return word.capitalize()
    if shape < 0.2:
        return word.upper()
    if shape < 0.23:
        return word[:1] + word[1:].upper()
    return word


def _cjk(rng: random.Random) -> str:
    ranges = [(0x4E00, 0x9FFF), (0x3040, 0x30FF), (0xAC00, 0xD7A3), (0x3001, 0x3003), (0xFF01, 0xFF5E)]
    ranges.append((0x20000, 0x2A6DF))
    return "".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(rng.randint(1, 30)))


def _random_code_points(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(1, 12)):
        top = rng.choice((0x80, 0x800, 0x3400, 0x10000, 0x10FFFF))
        code = rng.randint(0, top)
        if 0xD800 <= code <= 0xDFFF:
            code = 0xFFFD
        out.append(chr(code))
    return "".join(out)


def _spaces(rng: random.Random) -> str:
    return "".join(rng.choices(" \n\t", weights=(6, 3, 1), k=rng.choice((1, 1, 1, 2, 3, rng.randint(4, 60)))))


def segment(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        words = " ".join(_word(rng) for _ in range(rng.randint(1, 12)))
        return words + rng.choice([".", ",", "!", "?", ":", ";", ""])
    if kind < 0.6:
        w, v = _word(rng), rng.choice(WORDS)
        return rng.choice(CODE).format(w=w, v=v, W=w.capitalize(), n=rng.randint(0, 10 ** rng.randint(1, 9)))
    if kind < 0.67:
        return _cjk(rng)
    if kind < 0.72:
        return "".join(rng.choices(EMOJI, k=rng.randint(1, 4)))
    if kind < 0.77:
        return rng.choice(CONTRACTIONS)
    if kind < 0.82:
        return rng.choice(QUOTES) + _word(rng) + rng.choice(QUOTES)
    if kind < 0.86:
        return "".join(rng.choices(MARKER_TEXT, k=rng.randint(1, 3)))
    if kind < 0.91:
        return "".join(rng.choices(SPECIALS, k=rng.randint(1, 4))) + _word(rng)
    if kind < 0.95:
        return _random_code_points(rng)
    return rng.choice(["\x00", "\x07", "\r\n", "\x1f", "\ue123", "\u0e4d\u0e32", "Cafe\u0301", "n\u0303"])


def document(rng: random.Random, size: int) -> str:
    parts: list[str] = [_spaces(rng)] if rng.random() < 0.1 else []
    total = 0
    while total < size:
        part = segment(rng) + _spaces(rng)
        parts.append(part)
        total += len(part)
    return "".join(parts)


def documents(seed: int, total_chars: int, doc_chars: int = 3000) -> list[str]:
    """Documents of about ``doc_chars`` characters each, ``total_chars`` in all, from ``seed``."""
    rng = random.Random(seed)
    docs, total = [], 0
    while total < total_chars:
        doc = document(rng, rng.randint(1, doc_chars * 2))
        docs.append(doc)
        total += len(doc)
    return docs
