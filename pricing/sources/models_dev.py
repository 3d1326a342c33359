"""Context windows from the models.dev catalogue, a second witness after LiteLLM. Pure: no Django.

models.dev lists the models of 130-odd hosts with ``limit.context`` (tokens). The catalogue takes a
window from it only for a model that has none, by the same vote as LiteLLM's (``limits``): every
models.dev entry of the model's bare id and every catalogue model of it with a window is a witness,
and the window more than half of them give is taken (none without a majority).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable

from pricing.sources.limits import Index, bare_id
from pricing.sources.records import PayloadError


def parse_models_dev(payload: bytes) -> list[tuple[str, str, int]]:
    """models.dev's JSON (gzip or plain) → ``(host, model id, context tokens)`` for every entry
    that gives a positive whole window; ``PayloadError`` when the shape is not models.dev's."""
    if payload[:2] == b"\x1f\x8b":
        try:
            payload = gzip.decompress(payload)
        except (OSError, EOFError) as error:
            raise PayloadError(f"models.dev data is not valid gzip: {error}") from error
    try:
        data = json.loads(payload)
    except ValueError as error:
        raise PayloadError(f"models.dev data is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise PayloadError("models.dev data must be an object of providers")
    entries = []
    for host, provider in data.items():
        models = provider.get("models") if isinstance(provider, dict) else None
        if not isinstance(models, dict):
            raise PayloadError(f"models.dev provider {host!r} has no 'models' object")
        for model_id, model in models.items():
            limit = model.get("limit") if isinstance(model, dict) else None
            tokens = limit.get("context") if isinstance(limit, dict) else None
            if isinstance(tokens, int) and not isinstance(tokens, bool) and tokens > 0:
                entries.append((str(host), str(model_id), tokens))
    return entries


def windows_index(
    entries: Iterable[tuple[str, str, int]], known: Iterable[tuple[str, str, int]] = ()
) -> Index:
    """A ``limits`` index of bare ids only: models.dev's host ids are not the catalogue's, so no
    entry is matched by its own key; ``known`` are the catalogue's ``(provider, model, tokens)``."""
    bare: dict[str, Counter[int]] = {}
    for _host, model, tokens in [*entries, *known]:
        if tokens:
            bare.setdefault(bare_id(model), Counter())[tokens] += 1
    return {}, bare
