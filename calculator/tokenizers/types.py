"""The small frozen values and errors of the tokenizer API (no Django, no heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass


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


class TokenizerError(Exception):
    """Base of every error this package raises on purpose."""


class UnknownTokenizer(TokenizerError):
    """No tokenizer has this key."""


class TokenizerUnavailable(TokenizerError):
    """The tokenizer is known but its vocabulary file is missing or fails its SHA-256 check."""


class TextTooLarge(TokenizerError):
    """The text's UTF-8 encoding exceeds the configured limit (named in the message)."""
