"""Fill the context windows no price source gave: models.dev's vote, then the base model's published
window (``pricing.sources.family_windows``). A window the catalogue holds is never replaced; each
filled one records its source on the model (``context_window_source``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pricing.models import LanguageModel
from pricing.sources.family_windows import family_window
from pricing.sources.limits import context_window_for
from pricing.sources.models_dev import windows_index


@dataclass
class WindowFill:
    from_models_dev: int = 0
    from_family: int = 0
    disagreements: list[str] = field(default_factory=list)  # models.dev's vote against the catalogue's window


def fill_missing_windows(models_dev: list[tuple[str, str, int]], models_dev_label: str) -> WindowFill:
    """Fill every model without a window from ``models_dev`` entries (the catalogue's own models
    of the id voting with them), else from its base model's published window."""
    result = WindowFill()
    models = list(LanguageModel.objects.select_related("provider").order_by("pk"))
    known = [(m.provider.slug, m.slug, m.context_window) for m in models if m.context_window]
    index = windows_index(models_dev, known)
    # What models.dev alone says, to note where it disagrees with a window the catalogue holds.
    alone = windows_index(models_dev)
    for model in models:
        if model.context_window:
            said = context_window_for(model.provider.slug, model.slug, alone) if models_dev else None
            if said and said != model.context_window:
                whose = f" (from {model.context_window_source})" if model.context_window_source else ""
                result.disagreements.append(
                    f"{model.key}: models.dev gives {said:,} tokens; "
                    f"the catalogue's {model.context_window:,}{whose} stands"
                )
            continue
        tokens = context_window_for(model.provider.slug, model.slug, index) if models_dev else None
        if tokens:
            where = f"{models_dev_label}, the window most of its id's models give"
            result.from_models_dev += 1
        else:
            rule = family_window(model.slug)
            if rule is None:
                continue
            tokens, where = rule.tokens, f"{rule.base}'s published window: {rule.source_url}"
            result.from_family += 1
        LanguageModel.objects.filter(pk=model.pk, context_window__isnull=True).update(
            context_window=tokens, context_window_source=where[:500]
        )
        model.context_window = tokens
    return result
