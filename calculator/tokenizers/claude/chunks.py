"""Chunks of a text whose Claude streams do not depend on each other, and a shortcut for the
stream of the common ASCII chunk (``stream.stream`` stays the general rule)."""

from __future__ import annotations

import re

from .stream import BOW, CAPS, CONTRACTIONS, EOW, SHIFT, stream, tables


def chunks(body: str) -> tuple[list[str], str]:
    """``body`` as chunks (non-word text, then one word stretch) and a tail.

    Each chunk's stream ends in EOW, which no vocabulary piece crosses, and depends on nothing
    outside the chunk except that a word precedes it (the first chunk is the message head) and
    that this word's last character takes no right border. Where one does (a circled letter, say),
    the chunk after it is joined to it, so that context stays inside one chunk."""
    t = tables()
    parts = t.chunk.findall(body)
    tail = parts.pop() if parts and t.non_word_run.fullmatch(parts[-1]) else ""
    if not t.word_end_punct.search(body):
        return parts, tail
    joined, carry = [], ""
    for part in parts:
        part = carry + part
        carry = part if t.word_end_punct.match(part, len(part) - 1) else ""
        if not carry:
            joined.append(part)
    return joined, carry + tail


# An ASCII chunk: most chunks of English and code. Its units are spaces, digits (no markers) and
# punctuation runs (markers only towards a single space), then the word.
_SIMPLE_CHUNK = re.compile(r"([^A-Za-z]*)([A-Za-z]+)")
_ASCII_UNITS = re.compile(r"[ \t\n]+|[0-9]+|[^ \t\n0-9]+")


def ascii_case(word: str, caps_min: int | None) -> str:
    """``mark_case`` for an ASCII word (every letter cased, none exceptional)."""
    if word.islower():
        return word
    if caps_min is not None and len(word) >= caps_min and word.isupper():
        return CAPS + word.lower()
    if word[0].isupper() and (len(word) == 1 or word[1:].islower()):
        return SHIFT + word.lower()
    return word


def word_stream(word: str, caps_min: int | None, bow: bool = True) -> str:
    """The stream of an ASCII word: its case mark, BOW (after a seam), the word, EOW."""
    marked = ascii_case(word, caps_min)
    case = marked[0] if marked[0] in (SHIFT, CAPS) else ""
    return case + (BOW if bow else "") + marked[len(case) :] + EOW


def chunk_stream(chunk: str, caps_min: int | None) -> str:
    """``stream(chunk, head=False)``, with shortcuts for ASCII chunks."""
    if not chunk.isascii():
        return stream(chunk, caps_min, True, False)
    # The commonest chunks: a word, or one space (the seam, not written) and a word.
    if chunk.isalpha():
        return word_stream(chunk, caps_min)
    if chunk[0] == " " and chunk[1:].isalpha():
        return word_stream(chunk[1:], caps_min)
    simple = _SIMPLE_CHUNK.fullmatch(chunk)
    if simple is None:
        return stream(chunk, caps_min, True, False)
    return _prefixed_word_stream(simple.group(1), simple.group(2), caps_min)


def _prefixed_word_stream(prefix: str, word: str, caps_min: int | None) -> str:
    """The stream of an ASCII chunk: spaces, digits and punctuation, then a word."""
    parts = _ASCII_UNITS.findall(prefix)
    last = len(parts) - 1
    # A lone apostrophe right before the word opens it (it takes no BOW); before a contraction
    # suffix it is the word's boundary (the word takes none).
    quote = last >= 0 and parts[last] == "'"
    word_bow = not (quote and word in CONTRACTIONS)

    def writes_bow(j: int) -> bool:
        if j > last:
            return word_bow
        part = parts[j]
        return part[0] not in " \t\n0123456789" and parts[j - 1][-1] == " " and not (quote and j == last)

    out = []
    last_eow = True  # the previous chunk's word ended in EOW
    for i, part in enumerate(parts):
        if part[0] in " \t\n":
            # A lone space between an EOW and a BOW is the seam: it is not written.
            if not (part == " " and last_eow and writes_bow(i + 1)):
                out.append(part)
            last_eow = False
        elif part[0] in "0123456789":
            out.append(part)
            last_eow = False
        else:
            after = parts[i + 1] if i < last else word
            last_eow = after[:1] == " " and after[:2] != "  "
            out.append((BOW if i and writes_bow(i) else "") + part + (EOW if last_eow else ""))
    out.append(word_stream(word, caps_min, bow=word_bow))
    return "".join(out)
