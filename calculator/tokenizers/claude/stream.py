"""Text -> Claude's marked stream, the input of the minimum-count tiling (``claude.engine``).

This follows the normalisation that ctok 1.3.0 documents (NFC, stripped controls and private use,
folded spaces and, for v3, curly quotes), then cuts the text into units by character class and
writes word boundaries (``BOW``/``EOW``) and case markers (``SHIFT``/``CAPS``) in as glyphs. The
rules are ctok's measured ones; the code is ours, built for speed: characters are classified once
per process into tables, units come from one compiled regex, and callers may split a text into
chunks whose streams do not depend on each other (``CHUNK``), so repeated chunks are counted once.
Equality with ctok is proven by tests over every BMP code point's class and over a 10 MB corpus.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

BOW, EOW, PAD, SHIFT, CAPS = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3", "\ufdd4"
MARKERS = frozenset((BOW, EOW, SHIFT, CAPS))
# Literal marker glyphs in the text are moved to five private-use code points (all other private
# use was stripped before), so they never read as markers; they price as the literal they stand for.
ESCAPES = {0xFDD0 + i: 0xE000 + i for i in range(5)}
UNESCAPE = {chr(e): chr(g) for g, e in ESCAPES.items()}

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x01-\x08\x0b-\x1f\x7f\x80-\x9f]")  # every Cc but TAB, LF and NUL
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
# str.translate walks a non-ASCII text slowly; these find first whether there is anything to map.
_CURLY = re.compile("[\u2018\u2019\u201c\u201d]")
_GLYPHS = re.compile("[\ufdd0-\ufdd4]")
# Every character a step below strips, folds or escapes (NFC creates none of them): a text with
# none of these (nearly every text) is only NFC-normalised, after one scan instead of six.
_ODD = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\u0e4d\u2018\u2019\u201c\u201d"
    "\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\ufdd0-\ufdd4]"
)
_SEAM = re.compile(EOW + " ([" + SHIFT + CAPS + "]*)" + BOW)

CONTRACTIONS = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})
PUNCT_SYMBOLS = frozenset("—»«•°„–−£§€…√→（№†└│།·─═█")
IDEOGRAPHIC_SYMBOLS = frozenset("〄〒〓〠〶〷〾〿")
SYMBOL_LETTERS = ((0x16EE, 0x16F0), (0x2160, 0x2188), (0x24B6, 0x24E9), (0xA6E6, 0xA6EF))
CASE_PAIRS = {"\u1c89": "\u1c8a", "\ua7cb": "\u0264"}  # Unicode 16 pairs the models know
CASED_NEW = frozenset(CASE_PAIRS) | frozenset(CASE_PAIRS.values())
UNCASED = frozenset("\u03f4")
HARD_BMP = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0xAC00, 0xD7A3))
HARD_MARKS = frozenset((0x3005, 0x3006, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B, 0x303C))
SELECTORS = (0xFE00, 0xFE0F)

# Unit kinds: word, stray marks, ASCII-ish digits, ASCII punctuation, space, and the three kinds a
# hard (isolated-path) run splits into: punctuation-like, number, letter.
W, M, D, P, S, HP, HN, HL = "W", "M", "D", "P", "S", "Hp", "Hn", "Hl"


def normalize(text: str, fold_quotes: bool) -> str:
    """ctok's irreversible normalisation (NFC plus the measured folds), before any marker."""
    if not text.isascii():
        text = _SURROGATE.sub("\ufffd", text)
        text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text).replace("\x00", " ")
    if not text.isascii():
        text = _PRIVATE.sub("", text.replace("\u0e4d\u0e32", "\u0e33"))
        if fold_quotes and _CURLY.search(text):
            text = text.translate(_QUOTES)
        text = _SPACES.sub(" ", text)
    return text


@dataclass(frozen=True)
class Prepared:
    """A normalised text ready for the stream: ``body`` without the content-final newlines
    (``tail_newlines`` of them, priced by the frame's newline ladder) or an absorbed head space."""

    body: str
    tail_newlines: int
    dropped_head: bool


def prepare(text: str, fold_quotes: bool, frame_bow: bool) -> Prepared:
    if not _ODD.search(text):
        norm = text if text.isascii() else unicodedata.normalize("NFC", text)
    else:
        norm = normalize(text, fold_quotes)
        if not norm.isascii() and _GLYPHS.search(norm):
            norm = norm.translate(ESCAPES)
    body = norm.rstrip("\n")
    # The frame ends in a BOW that stands for one leading space, if the raw text supplied it.
    drop = frame_bow and text.startswith(" ") and body[:1] == " " and body[1:2] != " "
    return Prepared(body[1:] if drop else body, len(norm) - len(body), drop)


# ---- character tables (computed once per process from this Python's Unicode data) -----------


@cache
def _regex_marks() -> tuple[frozenset[str], frozenset[str]]:
    """BMP marks and Alphabetic marks as the ``regex`` package's Unicode data reads them (ctok
    asks ``regex`` for both properties, and its Unicode version can be newer than ``unicodedata``)."""
    import regex  # type: ignore[import-untyped]

    mark, alpha = regex.compile(r"\p{M}"), regex.compile(r"\p{Alphabetic}")
    marks = frozenset(chr(o) for o in range(0x10000) if not 0xD800 <= o <= 0xDFFF and mark.fullmatch(chr(o)))
    return marks, frozenset(c for c in marks if alpha.fullmatch(c))


def _is_mark(c: str) -> bool:
    return c in _regex_marks()[0]


def _derived_alphabetic(c: str) -> bool:
    return c in _regex_marks()[1]


def is_selector(c: str) -> bool:
    return SELECTORS[0] <= ord(c) <= SELECTORS[1]


def _separator_mark(c: str) -> bool:
    """A non-Alphabetic BMP mark closes a word (it is not a selector)."""
    return ord(c) < 0x10000 and _is_mark(c) and not is_selector(c) and not _derived_alphabetic(c)


def punct_like(c: str) -> bool:
    """Whether a character takes border markers like punctuation (escaped glyphs as themselves)."""
    c = UNESCAPE.get(c, c)
    o = ord(c)
    if o >= 0x10000:
        return False
    if _separator_mark(c):
        return True
    cat = unicodedata.category(c)
    if 0x3001 <= o <= 0x303F and (cat[0] == "P" or c in IDEOGRAPHIC_SYMBOLS):
        return False  # ideographic punctuation stays inside the ideograph run
    return cat[0] in "PS" or cat in ("Cf", "Cn")


def digit_border(c: str) -> bool:
    """Non-ASCII digits and other numbers below U+10000 take border markers; ASCII ones do not."""
    cat = unicodedata.category(c)
    return (cat == "No" or (cat == "Nd" and not c.isascii())) and ord(c) < 0x10000


def char_class(c: str) -> str:
    """The unit kind a character opens (W for every word character, stray or not)."""
    o = ord(c)
    if o >= 0x10000:
        return HL
    if c in CASED_NEW:
        return W
    cat = unicodedata.category(c)
    if cat[0] == "Z" or c in "\t\n\r\f\v":
        return S
    if any(lo <= o <= hi for lo, hi in SYMBOL_LETTERS):
        return W
    if cat == "Nd" and (o < 0x80 or 0x0660 <= o <= 0x0669 or 0x06F0 <= o <= 0x06F9):
        return D
    if (o < 0x80 and cat[0] in "PS") or c in PUNCT_SYMBOLS:
        return P
    if is_selector(c):
        pass  # a hard character, riding whatever hard unit it follows
    elif _is_mark(c):
        if _derived_alphabetic(c):
            return W
    elif cat[0] == "L" and not (any(lo <= o <= hi for lo, hi in HARD_BMP) or o in HARD_MARKS):
        return W
    return HP if punct_like(c) else HN if digit_border(c) else HL


def stray_capable(c: str) -> bool:
    """A word mark that opens a stray word where no letter precedes it (not a Syriac vowel)."""
    o = ord(c)
    return unicodedata.combining(c) != 0 and not (o == 0x0711 or 0x0730 <= o <= 0x073F)


def _char_set(codes: list[int]) -> str:
    """A regex character class body for ``codes`` (sorted), as ranges."""
    parts, start, prev = [], codes[0], codes[0]
    for code in codes[1:] + [-2]:
        if code != prev + 1:
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = code
        prev = code
    return "".join(parts)


@dataclass(frozen=True)
class Tables:
    unit: re.Pattern[str]  # one match per unit, group index = kind
    # Non-word stuff then one word stretch (streams independent of context), or the trailing
    # non-word run. Without that second branch the trailing run is scanned again from each of its
    # characters (quadratic: 20,000 spaces took 2 s); with it the run is one match.
    chunk: re.Pattern[str]
    word_end_punct: re.Pattern[str]  # word characters that take right borders: chunks unsafe
    upper: re.Pattern[str]
    punct_like: frozenset[str]  # BMP characters that take border markers (astral ones never do)
    non_word_run: re.Pattern[str]  # the trailing run ``chunk`` may end with


KIND_OF_GROUP = (W, M, D, P, S, HP, HN, HL)


@cache
def tables() -> Tables:
    groups: dict[str, list[int]] = {k: [] for k in (W, M, D, P, S, HP, HN, HL, "sel", "up", "wp", "pl")}
    for o in range(0x10000):
        if 0xD800 <= o <= 0xDFFF:
            continue
        c = chr(o)
        kind = char_class(c)
        if is_selector(c):
            groups["sel"].append(o)
        elif kind == W and stray_capable(c):
            groups[M].append(o)
        else:
            groups[kind].append(o)
        if kind == W and is_upper(c):
            groups["up"].append(o)
        if kind == W and punct_like(c):
            groups["wp"].append(o)
        if punct_like(c):
            groups["pl"].append(o)
    sets = {k: _char_set(v) for k, v in groups.items()}
    word = sets[W] + sets[M]
    hl, sel = sets[HL] + "\U00010000-\U0010ffff", sets["sel"]
    unit = re.compile(
        f"([{sets[W]}][{word}]*)|([{sets[M]}]+)|([{sets[D]}]+)|([{sets[P]}]+)|([{sets[S]}]+)"
        f"|([{sets[HP]}][{sets[HP]}{sel}]*)|([{sets[HN]}][{sets[HN]}{sel}]*)|([{hl}{sel}]+)"
    )
    chunk = re.compile(f"[^{word}]*[{word}]+|[^{word}]+\\Z")
    punct = frozenset(map(chr, groups["pl"]))
    wp, up = re.compile(f"[{sets['wp']}]"), re.compile(f"[{sets['up']}]")
    return Tables(unit, chunk, wp, up, punct, non_word_run=re.compile(f"[^{word}]+"))


# ---- case ----------------------------------------------------------------------------------


def lower(c: str) -> str:
    return c if c in UNCASED else CASE_PAIRS.get(c, c.lower())


def lower_span(span: str) -> str:
    return span.lower() if span.isascii() else "".join(map(lower, span))


def is_upper(c: str) -> bool:
    """A capital lowers to something else (Lu letters without a lower form read as caseless)."""
    return c not in UNCASED and (c in CASE_PAIRS or (c.isupper() and lower(c) != c))


def is_lower(c: str) -> bool:
    return c in CASE_PAIRS.values() or c.islower()


def _unlowerable(c: str) -> bool:
    return (
        (c in CASED_NEW or unicodedata.category(c)[0] in "LM")
        and not is_lower(c)
        and (not is_upper(c) or lower(c) == c)
    )


def mark_case(span: str, caps_min: int | None) -> str:
    """A word -> CAPS + lower (all capitals, long enough), SHIFT + lower (one leading capital),
    or itself; measured exceptions: ẞ blocks both, İ stays literal, caseless letters block CAPS."""
    if "ẞ" in span:
        return span
    if "İ" in span:
        if is_upper(span[0]) and span[0] != "İ" and not any(is_upper(c) for c in span[1:] if c != "İ"):
            return SHIFT + lower(span[0]) + "".join(c if c == "İ" else lower(c) for c in span[1:])
        return span
    if caps_min is not None and len(span) >= caps_min:
        cased = [c for c in span if is_upper(c) or is_lower(c)]
        if cased and all(map(is_upper, cased)) and not any(map(_unlowerable, span)):
            return CAPS + lower_span(span).replace("ς", "σ")
    if lower(span[0]) != span[0] and is_upper(span[0]) and not any(map(is_upper, span[1:])):
        return SHIFT + lower_span(span)
    return span


# ---- the marked stream ---------------------------------------------------------------------


def _punct_like(c: str) -> bool:
    return c in tables().punct_like  # a fixed table: no per-character cache grows with input


def hard_bow(body: str) -> bool:
    return is_selector(body[0]) or _punct_like(body[0])


def hard_eow(body: str) -> bool:
    return is_selector(body[-1]) or _punct_like(body[-1])


def digit_run(body: str) -> bool:
    """All one category, and that category is decimal digit (Nd) or other number (No)."""
    cat = unicodedata.category(body[0])
    return cat in ("Nd", "No") and all(unicodedata.category(c) == cat for c in body[1:])


def units(body: str) -> tuple[list[str], list[str]]:
    """Kinds and texts of the maximal units of ``body`` (hard runs already split by kind)."""
    kinds, texts = [], []
    for match in tables().unit.finditer(body):
        kinds.append(KIND_OF_GROUP[match.lastindex - 1])  # type: ignore[operator]
        texts.append(match.group())
    return kinds, texts


class _Units:
    """The neighbourhood questions the marker rules ask about unit ``i``."""

    def __init__(self, body: str, head_space: bool) -> None:
        self.kinds, self.texts = units(body)
        self.n = len(self.kinds)
        self.head_space = head_space  # does a space (the frame's BOW) stand left of unit 0?

    def space_left(self, i: int) -> bool:
        if i == 0:
            return self.head_space
        return self.kinds[i - 1] == S and self.texts[i - 1][-1] == " "

    def space_right(self, i: int) -> bool:
        """Only one space counts: a run of two or more kills the marker."""
        if i + 1 >= self.n or self.kinds[i + 1] != S:
            return False
        text = self.texts[i + 1]
        return text[0] == " " and text[:2] != "  "

    def opens_word(self, i: int) -> bool:
        """A lone apostrophe before a word opens that word (its boundary is not absorbed)."""
        return self.texts[i] == "'" and i + 1 < self.n and self.kinds[i + 1] in (W, M)

    def right_border(self, j: int) -> bool:
        kind, text = self.kinds[j], self.texts[j]
        return (
            kind == P
            or hard_eow(text)
            or (kind in (D, HP, HN, HL) and digit_run(text) and digit_border(text[-1]))
        )

    def contraction(self, i: int) -> bool:
        """``it's``: the apostrophe is the word's opening boundary, unless what precedes the
        apostrophe writes a right border of its own."""
        return (
            self.texts[i] in CONTRACTIONS
            and i > 0
            and self.texts[i - 1] == "'"
            and (i < 2 or not self.right_border(i - 2))
        )


def _word(u: _Units, i: int, caps_min: int | None) -> str:
    text = u.texts[i]
    fused = i > 0 and u.kinds[i - 1] == M  # the stray marks before it opened this word
    if fused:
        return text + EOW
    has_upper = not text.islower() if text.isascii() else tables().upper.search(text) is not None
    marked = mark_case(text, caps_min) if has_upper else text
    case = marked[0] if marked[0] in (SHIFT, CAPS) else ""
    bow = "" if u.contraction(i) else BOW
    return case + bow + marked[len(case) :] + EOW


def _other(u: _Units, i: int) -> str:
    kind, text = u.kinds[i], u.texts[i]
    if kind == S:
        return text
    if kind == M:
        return BOW + text + ("" if i + 1 < u.n and u.kinds[i + 1] == W else EOW)
    if kind == P or (kind != D and (hard_bow(text) or hard_eow(text))):
        bow = u.space_left(i) and not u.opens_word(i) and (kind == P or hard_bow(text))
        eow = u.space_right(i) and (kind == P or hard_eow(text))
    elif digit_run(text):
        bow = digit_border(text[0]) and u.space_left(i)
        eow = digit_border(text[-1]) and u.space_right(i)
    else:
        return text
    return (BOW if bow else "") + text + (EOW if eow else "")


def _head(u: _Units) -> str:
    """What the frame's trailing BOW becomes when the first unit does not absorb it."""
    kind, text = u.kinds[0], u.texts[0]
    quote = u.opens_word(0)
    own = not quote and (
        kind in (W, P, M)
        or hard_bow(text)
        or (kind in (D, HP, HN, HL) and digit_run(text) and digit_border(text[0]))
        or (kind == S and text[0] == " ")
    )
    return "" if own else " " if quote else BOW


def stream(body: str, caps_min: int | None, frame_bow: bool, head: bool) -> str:
    """The marked stream of ``body``. ``head``: it opens the message (the frame's BOW is left of
    it); otherwise it follows a word, whose stream ended in EOW (a chunk of a longer text)."""
    u = _Units(body, head and frame_bow)
    if not u.n:
        return BOW if head and frame_bow else ""
    out = [_head(u)] if head and frame_bow else []
    for i, kind in enumerate(u.kinds):
        out.append(_word(u, i, caps_min) if kind == W else _other(u, i))
    marked = "".join(out)
    if not head and _SEAM.match(EOW + marked):
        marked = marked[1:]  # the single space after the previous chunk's word is the seam
    return _SEAM.sub(EOW + r"\1" + BOW, marked)
