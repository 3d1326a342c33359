"""Filling missing context windows from models.dev and from base models' published windows."""

import gzip
import json
from pathlib import Path

import pytest

from pricing.history.models_dev import newest_data
from pricing.models import LanguageModel, Provider
from pricing.services.context_windows import fill_missing_windows
from pricing.sources.family_windows import family_window
from pricing.sources.models_dev import parse_models_dev
from pricing.sources.records import PayloadError

MODELS_DEV = {
    "togetherai": {"models": {"acme/Widget-7B": {"limit": {"context": 32768, "output": 4096}}}},
    "deepinfra": {
        "models": {
            "acme/widget-7b": {"limit": {"context": 32768}},
            "acme/widget-9b": {"limit": {"context": 8192}},
            "gpt-5.4": {"limit": {"context": 400000}},
            "no-limit": {"name": "no limit given"},
        }
    },
}


def payload(data: object = MODELS_DEV) -> bytes:
    return gzip.compress(json.dumps(data).encode())


def test_parse_reads_context_limits_from_gzip_and_skips_entries_without_one():
    assert sorted(parse_models_dev(payload())) == [
        ("deepinfra", "acme/widget-7b", 32768),
        ("deepinfra", "acme/widget-9b", 8192),
        ("deepinfra", "gpt-5.4", 400000),
        ("togetherai", "acme/Widget-7B", 32768),
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x1f\x8bnot gzip", "gzip"),
        (b"[1]", "object of providers"),
        (b'{"x": {"y": 1}}', "'x' has no 'models'"),
    ],
)
def test_parse_names_what_is_wrong(raw, message):
    with pytest.raises(PayloadError, match=message):
        parse_models_dev(raw)


@pytest.mark.parametrize(
    ("model", "tokens"),
    [
        ("togethercomputer/Llama-2-7B-32K-Instruct", 32_768),
        ("NousResearch/Nous-Hermes-llama-2-7b", 4_096),
        ("jondurbin/airoboros-l2-70b", 4_096),
        ("text-davinci-003", 4_097),
        ("davinci", 2_049),
        ("mistralai/Mistral-7B-Instruct-v0.2", 32_768),
        ("neversleep/llama-3.1-lumimaid-8b", 128_000),
        ("meta-llama/Meta-Llama-3-8B-Instruct-Lite", 8_192),
    ],
)
def test_family_rules_give_the_base_models_published_window(model, tokens):
    rule = family_window(model)
    assert rule is not None and rule.tokens == tokens and rule.source_url.startswith("https://")


@pytest.mark.parametrize("model", ["davinci-002", "openchat-3.5-1210", "Austism/chronos-hermes-13b", "gpt35"])
def test_ids_that_name_no_base_model_get_no_family_window(model):
    assert family_window(model) is None


@pytest.fixture
def models(db):
    host = Provider.objects.create(slug="host", name="Host")

    def make(slug, window=None, source=""):
        return LanguageModel.objects.create(
            provider=host,
            slug=slug,
            name=slug,
            context_window=window,
            context_window_source=source,
            tokenizer_key="generic",
        )

    return make


def test_fill_takes_the_models_dev_vote_then_the_family_window_and_never_replaces_one(models):
    widget = models("acme/widget-7b")
    llama = models("meta/llama-2-13b-chat")
    unknown = models("acme/gizmo")
    curated = models("gpt-5.4", window=1_050_000)

    result = fill_missing_windows(parse_models_dev(payload()), "models.dev data in models-dev 9.9")

    for model in (widget, llama, unknown, curated):
        model.refresh_from_db()
    assert (
        widget.context_window,
        widget.context_window_source.startswith("models.dev data in models-dev 9.9"),
    ) == (
        32768,
        True,
    )
    assert (llama.context_window, llama.context_window_source) == (
        4096,
        "Llama 2's published window: https://arxiv.org/abs/2307.09288",
    )
    assert unknown.context_window is None
    assert (curated.context_window, curated.context_window_source) == (1_050_000, "")
    assert (result.from_models_dev, result.from_family) == (1, 1)
    assert result.disagreements == [
        "host/gpt-5.4: models.dev gives 400,000 tokens; the catalogue's 1,050,000 stands"
    ]


def test_no_majority_no_models_dev_window(models):
    models("acme/widget-9b", window=4096)  # the catalogue's witness against models.dev's 8,192
    twin = models("other/widget-9b")
    fill_missing_windows(parse_models_dev(payload()), "models.dev")
    twin.refresh_from_db()
    assert twin.context_window is None


def test_offline_uses_the_cached_copy_else_says_why(tmp_path: Path):
    unreachable = "http://127.0.0.1:9/simple"
    data, said = newest_data(tmp_path, base_url=unreachable, timeout_s=2)
    assert data is None and "no copy is cached" in said

    (tmp_path / "models-dev").mkdir()
    (tmp_path / "models-dev" / "1.0.9.json.gz").write_bytes(b"old")
    (tmp_path / "models-dev" / "1.0.10.json.gz").write_bytes(payload())
    data, said = newest_data(tmp_path, base_url=unreachable, timeout_s=2)
    assert data is not None and data.version == "1.0.10" and "using the cached 1.0.10" in said
    assert len(parse_models_dev(data.payload)) == 4


def test_an_admins_window_drops_the_imports_source_and_the_page_shows_it(client, editor, gpt_54):
    LanguageModel.objects.filter(pk=gpt_54.pk).update(
        context_window_source="models.dev data in models-dev 9.9"
    )
    client.force_login(editor)
    url = f"/admin/pricing/languagemodel/{gpt_54.pk}/change/"
    assert "models.dev data in models-dev 9.9" in client.get(url).content.decode()

    page = client.get(url).context
    form = page["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    for inline in page["inline_admin_formsets"]:  # the read-only price history: its management form
        management = inline.formset.management_form
        data.update({f"{management.prefix}-{key}": value for key, value in management.initial.items()})
        for row in inline.formset.forms:
            data[f"{row.prefix}-id"] = row.instance.pk
            data[f"{row.prefix}-model"] = gpt_54.pk
    data.update(context_window=900_000, provider=gpt_54.provider_id, tier="flagship", featured="on")
    response = client.post(url, data)
    assert response.status_code == 302
    gpt_54.refresh_from_db()
    assert (gpt_54.context_window, gpt_54.context_window_source) == (900_000, "")
