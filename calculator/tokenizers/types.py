"""The small frozen values and errors of the tokenizer API (no Django, no heavy imports)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

# A Unicode normalisation form, as unicodedata.normalize takes it.
NormalForm = Literal["NFC", "NFD", "NFKC", "NFKD"]


@dataclass(frozen=True)
class TokenizerInfo:
    """What a tokenizer is: ``exact`` for the models named in ``note``, otherwise an estimate."""

    key: str
    name: str
    engine: str
    exact: bool
    note: str
    licence: str
    family: str


@dataclass(frozen=True)
class Token:
    """One token: ``start``/``end`` are character (``str`` index) offsets into the original text,
    ``end`` exclusive; ``text`` is ``original[start:end]`` so the texts concatenate to the input."""

    id: int | None
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class TokenCount:
    """The count of one text by one tokenizer; ``tokens`` is None when ``available`` is False."""

    tokenizer: str
    tokens: int | None
    exact: bool
    available: bool
    note: str


@dataclass(frozen=True)
class Settings:
    """What the host application passes in through ``configure`` (this package reads no Django).

    ``max_text_bytes`` bounds one text's UTF-8 encoding; ``count_deadline_seconds`` bounds the
    wait for one text's counts; ``long_run_workers`` is how many helper processes encode the long
    runs tiktoken would otherwise encode holding the interpreter lock (0: in the request's process).
    """

    data_dir: Path = Path("var/tokenizers")
    max_text_bytes: int = 5 * 1024 * 1024
    count_deadline_seconds: float = 10.0
    long_run_workers: int = 2


@runtime_checkable
class Adapter(Protocol):
    """What every engine offers the registry, whatever library runs it."""

    engine: str

    def count(self, text: str) -> int:
        """Tokens of ``text`` alone: no BOS/EOS, no chat frame."""
        ...

    def tokenize(self, text: str) -> tuple[Sequence[Token], bool]:
        """Tokens with ids and character offsets; the flag is False for an illustrative tiling."""
        ...


class Loader(Protocol):
    """Builds one engine from the files in ``settings.data_dir`` (slow: the registry calls it
    once per engine and settings)."""

    def __call__(self, settings: Settings) -> Adapter: ...


class TokenizerError(Exception):
    """Base of every error this package raises on purpose."""


class UnknownTokenizer(TokenizerError):
    """No tokenizer has this key."""


class TokenizerUnavailable(TokenizerError):
    """The tokenizer is known but its vocabulary file is missing or fails its SHA-256 check."""


class TextTooLarge(TokenizerError):
    """The text's UTF-8 encoding exceeds the configured limit (named in the message)."""


class CountDeadline(TokenizerError):
    """Counting the text ran past the configured deadline (named in the message); the count goes
    on in its thread and is cached when it ends, but nobody waits for it."""
