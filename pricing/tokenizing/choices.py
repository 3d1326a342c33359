"""The tokenizer keys an admin may choose for a model.

The keys belong to ``calculator.tokenizers``, and pricing may not import calculator (the layers
run calculator → pricing), so the calculator app passes them in when it is ready. Until it does
(pricing alone, in a script), no choices are known and the admin falls back to free text.
"""

from __future__ import annotations

from collections.abc import Iterable

_choices: tuple[tuple[str, str], ...] = ()


def register_tokenizer_choices(choices: Iterable[tuple[str, str]]) -> None:
    """Set the (key, label) pairs offered wherever a model's tokenizer is chosen."""
    global _choices
    _choices = tuple(sorted(choices))


def tokenizer_choices() -> tuple[tuple[str, str], ...]:
    return _choices
