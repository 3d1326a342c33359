"""A model's public page never prints "None": an unknown context window or output cap says so."""

import re

from pricing.models import LanguageModel
from pricing.services.seed import load_seed_catalogue


def test_a_model_without_a_context_window_or_output_cap_reads_unknown(client, db):
    load_seed_catalogue()
    model = LanguageModel.objects.select_related("provider").first()
    LanguageModel.objects.filter(pk=model.pk).update(context_window=None, max_output_tokens=None)
    html = client.get(f"/models/{model.provider.slug}/{model.slug}").content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "None" not in text
    assert re.search(r"Context window\s*</dt>\s*<dd>unknown</dd>", html)
    assert re.search(r"Max output\s*</dt>\s*<dd>unknown</dd>", html)
