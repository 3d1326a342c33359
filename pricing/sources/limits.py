"""Context windows one source knows and another lacks, matched by model id. Pure: no Django.

genai-prices gives no context window for about a third of its models; LiteLLM's map has many of
them, under the same id (case aside) or, for a model a host resells (``openrouter``'s
``openai/gpt-4o``, ``together``'s ``meta-llama/...``), under its maker's bare id.
"""

from __future__ import annotations

from collections.abc import Iterable

from pricing.sources.records import PriceRecord


def context_index(records: Iterable[PriceRecord]) -> tuple[dict[str, int], dict[str, int]]:
    """(``provider/model`` → tokens, bare model id → tokens where every source entry agrees)."""
    exact: dict[str, int] = {}
    bare: dict[str, set[int]] = {}
    for record in records:
        if not record.context_window:
            continue
        exact.setdefault(record.key.lower(), record.context_window)
        bare.setdefault(_bare(record.model), set()).add(record.context_window)
    return exact, {name: sizes.pop() for name, sizes in bare.items() if len(sizes) == 1}


def context_window_for(provider: str, model: str, index: tuple[dict[str, int], dict[str, int]]) -> int | None:
    """The context window of ``provider/model`` from ``index``: its own entry, else its maker's."""
    exact, bare = index
    return exact.get(f"{provider}/{model}".lower()) or bare.get(_bare(model))


def _bare(model: str) -> str:
    return model.rsplit("/", 1)[-1].lower()
