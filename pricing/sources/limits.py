"""Context windows one source knows and another lacks, matched by model id. Pure: no Django.

genai-prices gives no context window for about a third of its models; LiteLLM's map has many of
them, under the same id (case aside) or, for a model a host resells (``openrouter``'s
``openai/gpt-4o``, ``together``'s ``meta-llama/...``), under its maker's bare id. The catalogue's own
models are a second set of witnesses (``known``): a host's copy of a model gets the window its
maker's entry and the other hosts give.

Witnesses of one bare id do not always agree (128,000 against 131,072 tokens; one host serving a
shorter window): the window most of them give is taken, and none when no window has a majority.
A bare id drops a routing variant (OpenRouter's ``:free``, ``:extended``) and a weight format
(``-fp8``, ``-bf16``): the same model served another way. A host's dated snapshot of a model
(``deepseek-v4-pro-0813``) that nothing names falls back to the model's undated id.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from pricing.sources.records import PriceRecord

# (provider/model → tokens, bare id → how many witnesses give each window)
Index = tuple[dict[str, int], dict[str, Counter[int]]]

VARIANT = re.compile(r":[a-z0-9._-]+$")
WEIGHT_FORMAT = re.compile(r"-(fp8|fp16|bf16|fp4|nvfp4|int4|int8|awq|gptq)$")
SNAPSHOT_SUFFIX = re.compile(r"-\d{4}$")


def context_index(records: Iterable[PriceRecord], known: Iterable[tuple[str, str, int]] = ()) -> Index:
    """LiteLLM's ``records`` and ``known`` (``(provider, model, tokens)`` the catalogue holds)."""
    exact: dict[str, int] = {}
    bare: dict[str, Counter[int]] = {}
    for record in records:
        if record.context_window:
            exact.setdefault(record.key.lower(), record.context_window)
            bare.setdefault(bare_id(record.model), Counter())[record.context_window] += 1
    for _provider, model, tokens in known:
        if tokens:
            bare.setdefault(bare_id(model), Counter())[tokens] += 1
    return exact, bare


def context_window_for(provider: str, model: str, index: Index) -> int | None:
    """The context window of ``provider/model`` from ``index``: its own entry, else what most
    witnesses of its bare id (else of its undated id) give."""
    exact, bare = index
    own = exact.get(f"{provider}/{model}".lower())
    if own:
        return own
    name = bare_id(model)
    for key in (name, SNAPSHOT_SUFFIX.sub("", name)):
        if key in bare:
            return majority(bare[key])
    return None


def majority(sizes: Counter[int]) -> int | None:
    """The window more than half the witnesses give, else ``None``."""
    size, count = sizes.most_common(1)[0]
    return size if count * 2 > sum(sizes.values()) else None


def bare_id(model: str) -> str:
    """``openrouter``'s ``meta-llama/Llama-3-8B-Instruct:free`` → ``llama-3-8b-instruct``."""
    name = model.rsplit("/", 1)[-1].lower()
    return WEIGHT_FORMAT.sub("", VARIANT.sub("", name))
