"""One model, one row: other API ids of a model are alias rows that point at it.

An alias row (``alias_of`` set) is never listed and never priced from then on; a lookup by its
id resolves to the model it names. A row that was a model of its own before it became an alias
keeps its old price versions (history is never deleted), but no table shows them.
"""

from __future__ import annotations

from collections.abc import Iterable

from pricing.models import LanguageModel
from pricing.sources.records import MODEL_ALIASES


def link_aliases(*, model: LanguageModel, names: Iterable[str]) -> int:
    """Make each of ``names`` (same provider) an alias of ``model``; returns how many changed."""
    changed = 0
    for name in names:
        if name == model.slug:
            continue
        alias, created = LanguageModel.objects.get_or_create(
            provider=model.provider,
            slug=name[:200],
            defaults={
                "name": f"{model.name} (alias {name})"[:200],
                "tokenizer_key": model.tokenizer_key,
                "alias_of": model,
                "notes": f"Another API id of {model.key}.",
            },
        )
        if not created and alias.alias_of_id != model.pk:
            LanguageModel.objects.filter(pk=alias.pk).update(alias_of=model, featured=False)
        changed += created or alias.alias_of_id != model.pk
    return changed


def link_known_aliases() -> int:
    """Apply the catalogue's own alias table (``MODEL_ALIASES``) to the models present."""
    changed = 0
    for (provider, alias), canonical in MODEL_ALIASES.items():
        model = LanguageModel.objects.filter(provider__slug=provider, slug=canonical).first()
        if model is not None and model.alias_of_id is None:
            changed += link_aliases(model=model, names=[alias])
    return changed


def canonical(model: LanguageModel) -> LanguageModel:
    """The row a lookup of ``model`` should answer with."""
    return model.alias_of if model.alias_of_id else model  # type: ignore[return-value]
