"""Re-assigning models' tokenizer keys by the family rule (``pricing.tokenizing.families``).

A key a person chose (``tokenizer_chosen``: the seed, the admin) is never touched; every other
model gets what the rule gives it now, so a better rule reaches the models imported before it.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from pricing.models import LanguageModel
from pricing.tokenizing.families import tokenizer_key_for


def reassign_tokenizers(*, dry_run: bool = False) -> Counter[tuple[str, str]]:
    """Give every model whose tokenizer no person chose the key the family rule gives it now.

    Returns how many models moved from which key to which; ``dry_run`` changes nothing.
    """
    moves: Counter[tuple[str, str]] = Counter()
    with transaction.atomic():
        automatic = LanguageModel.objects.filter(tokenizer_chosen=False).select_related("provider")
        for model in automatic.select_for_update(of=("self",)):
            key = tokenizer_key_for(model.provider.slug, model.slug)
            if key != model.tokenizer_key:
                moves[(model.tokenizer_key, key)] += 1
                if not dry_run:
                    LanguageModel.objects.filter(pk=model.pk).update(tokenizer_key=key)
    return moves
