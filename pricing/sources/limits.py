"""Context windows one source knows and another lacks, matched by model id. Pure: no Django.

genai-prices gives no context window for about a third of its models; LiteLLM's map has many of
them, under the same id (case aside) or, for a model a host resells (``openrouter``'s
``openai/gpt-4o``, ``together``'s ``meta-llama/...``), under its maker's bare id. Where LiteLLM has
no entry at all, the catalogue's own models are the second witness: a host's copy of a model gets
the window every catalogue model of that bare id agrees on (``known``). A bare id drops a routing
variant (OpenRouter's ``:free``, ``:extended``) and a weight format (``-fp8``, ``-bf16``): the
same model served another way has the same window.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pricing.sources.records import PriceRecord

# (provider/model → tokens, bare id → tokens where every entry agrees)
Index = tuple[dict[str, int], dict[str, int]]

VARIANT = re.compile(r":[a-z0-9._-]+$")
WEIGHT_FORMAT = re.compile(r"-(fp8|fp16|bf16|fp4|nvfp4|int4|int8|awq|gptq)$")


def context_index(records: Iterable[PriceRecord], known: Iterable[tuple[str, str, int]] = ()) -> Index:
    """LiteLLM's ``records`` first; ``known`` (``(provider, model, tokens)`` the catalogue holds)
    only where no record names the bare id."""
    exact: dict[str, int] = {}
    bare: dict[str, set[int]] = {}
    for record in records:
        if not record.context_window:
            continue
        exact.setdefault(record.key.lower(), record.context_window)
        bare.setdefault(bare_id(record.model), set()).add(record.context_window)
    held: dict[str, set[int]] = {}
    for _provider, model, tokens in known:
        if tokens:
            held.setdefault(bare_id(model), set()).add(tokens)
    for name, sizes in held.items():
        bare.setdefault(name, sizes)
    return exact, {name: sizes.pop() for name, sizes in bare.items() if len(sizes) == 1}


def context_window_for(provider: str, model: str, index: Index) -> int | None:
    """The context window of ``provider/model`` from ``index``: its own entry, else its maker's."""
    exact, bare = index
    return exact.get(f"{provider}/{model}".lower()) or bare.get(bare_id(model))


def bare_id(model: str) -> str:
    """``openrouter``'s ``meta-llama/Llama-3-8B-Instruct:free`` → ``llama-3-8b-instruct``."""
    name = model.rsplit("/", 1)[-1].lower()
    return WEIGHT_FORMAT.sub("", VARIANT.sub("", name))
