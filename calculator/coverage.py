"""Tokenizer coverage of the catalogue: how many models are counted with their own family's
tokenizer (exact or estimate), and which fall back to ``generic`` and why, grouped by reason."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from pricing.models import LanguageModel
from pricing.tokenizing.families import GENERIC, REASON_TEXT, assign

from . import tokenizers

CHOSEN = "chosen"
PENDING = "pending"  # the rule now knows the family; ``manage.py assign_tokenizers`` has not run
EXAMPLES = 5


def coverage() -> dict[str, Any]:
    """Counts over every catalogue model; ``generic`` models grouped by (reason, family)."""
    listed = LanguageModel.objects.filter(alias_of__isnull=True)  # an alias is not another model
    rows = listed.values_list("provider__slug", "slug", "tokenizer_key", "tokenizer_chosen")
    exactness = {info.key: info.exact for info in tokenizers.list_tokenizers()}
    totals: Counter[str] = Counter()
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for provider, slug, key, chosen in rows.order_by("provider__slug", "slug"):
        totals["models"] += 1
        if key != GENERIC:
            totals["exact" if exactness.get(key) else "estimate"] += 1
            continue
        totals[GENERIC] += 1
        assignment = assign(provider, slug)
        reason = CHOSEN if chosen else assignment.reason or PENDING
        groups[(reason, assignment.family)].append(f"{provider}/{slug}")
    return {
        "models": totals["models"],
        "own_family_exact": totals["exact"],
        "own_family_estimate": totals["estimate"],
        "generic": totals[GENERIC],
        "generic_by_reason": [
            {
                "reason": reason,
                "family": family or None,
                "explanation": _explain(reason, family),
                "models": len(keys),
                "examples": keys[:EXAMPLES],
            }
            for (reason, family), keys in sorted(groups.items(), key=lambda item: -len(item[1]))
        ],
    }


def _explain(reason: str, family: str) -> str:
    if reason == CHOSEN:
        return "a person chose the generic tokenizer for these models"
    if reason == PENDING:
        return "the family rule now recognises these models: run manage.py assign_tokenizers"
    text = REASON_TEXT.get(reason, reason)
    return f"{family}: {text}" if family else text
