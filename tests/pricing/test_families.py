"""The model -> tokenizer family rule recognises a model by what it is, wherever it is hosted.

Model ids below are the hosts' own spellings as they appear in the genai-prices 0.2.3 catalogue
(Bedrock, Vertex, Azure, OpenRouter, Together, Fireworks, Groq, Cloudflare).
"""

import pytest

from pricing.tokenizing.families import (
    ALIAS,
    GENERIC,
    NEWER_THAN_PUBLISHED,
    NO_VOCABULARY,
    assign,
    model_name,
)


@pytest.mark.parametrize(
    ("provider", "model", "key"),
    [
        ("aws", "openai.gpt-5.4", "o200k_base"),
        ("aws", "deepseek.r1-v1:0", "deepseek_v3"),
        ("aws", "global.anthropic.claude-opus-4-6-v1:0", "claude"),
        ("aws", "us.anthropic.claude-3-5-haiku-20241022-v1:0", "claude"),
        ("aws", "eu.anthropic.claude-opus-4-7", "claude_opus_4_7"),
        ("aws", "regional.anthropic.claude-sonnet-5-5", "claude_5"),
        ("aws", "meta.llama3-1-70b-instruct-v1:0", "llama3"),
        ("aws", "mistral.mixtral-8x7b-instruct-v0:1", "mistral_spm_v3"),
        ("google", "claude-opus-4-5@20251101", "claude"),
        ("google", "claude-opus-4-8", "claude_5"),
        ("azure", "gpt-4o-mini", "o200k_base"),
        ("azure", "gpt-35-turbo", "cl100k_base"),
        ("openrouter", "anthropic/claude-opus-4.6", "claude"),
        ("openrouter", "anthropic/claude-opus-4.7:batch", "claude_opus_4_7"),
        ("openrouter", "~anthropic/claude-sonnet-latest", "claude"),
        ("openrouter", "openai/gpt-4o:extended", "o200k_base"),
        ("openrouter", "openai/gpt-3.5-turbo-0613", "cl100k_base"),
        ("openrouter", "google/gemini-2.5-pro:batch", "gemma3"),
        ("openrouter", "google/gemini-3.5-flash", "gemini3"),
        ("openrouter", "x-ai/grok-4.5", "grok"),
        ("openrouter", "qwen/qwen3-8b", "qwen2"),
        ("openrouter", "qwen/qwen3.6-plus", "qwen3_5"),
        ("openrouter", "deepseek/deepseek-r1-distill-llama-70b", "llama3"),
        ("openrouter", "deepseek/deepseek-r1-0528-qwen3-8b", "qwen2"),
        ("openrouter", "sao10k/l3.3-euryale-70b", "llama3"),
        ("openrouter", "mistralai/mistral-large-2512", "mistral_tekken"),
        ("openrouter", "thedrummer/unslopnemo-12b", "mistral_tekken"),
        ("together", "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "llama3"),
        ("together", "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", "llama4"),
        ("fireworks", "accounts/fireworks/models/llama-v3p1-70b-instruct", "llama3"),
        ("fireworks", "deepseek-v4p1-flash-1017-us", "deepseek_v3"),
        ("groq", "meta-llama/llama-guard-4-12b", "llama4"),
        ("groq", "openai/gpt-oss-20b", "o200k_base"),
        ("cloudflare", "@cf/openai/gpt-oss-20b", "o200k_base"),
        ("openai", "ft:gpt-4o-mini", "o200k_base"),
        ("deepseek", "deepseek-chat", "deepseek_v3"),
        ("mistral", "open-mistral-nemo", "mistral_tekken"),
    ],
)
def test_a_hosted_model_gets_its_makers_tokenizer(provider, model, key):
    assert assign(provider, model).key == key


@pytest.mark.parametrize(
    ("provider", "model", "name"),
    [
        ("aws", "us.anthropic.claude-opus-4-6-v1:0", "claude-opus-4-6"),
        ("fireworks", "accounts/fireworks/models/llama-v3p1-70b-instruct", "llama-3.1-70b-instruct"),
        ("openrouter", "openai/gpt-5.1:batch", "gpt-5.1"),
        ("google", "claude-3-opus@20240229", "claude-3-opus"),
    ],
)
def test_a_hosts_id_is_reduced_to_the_makers_model_name(provider, model, name):
    assert model_name(provider, model)[1] == name


def test_openrouters_published_tokenizer_decides_when_the_name_says_nothing():
    assert assign("openrouter", "gryphe/mythomax-13b").key == GENERIC
    assert assign("openrouter", "gryphe/mythomax-13b", published="Llama3").key == "llama3"
    assert assign("openrouter", "gryphe/mythomax-13b", published="Other").key == GENERIC


def test_the_name_outranks_a_published_tokenizer_that_names_a_broader_family():
    # OpenRouter publishes "GPT" for both vocabularies; the name tells cl100k from o200k.
    assert assign("openrouter", "openai/gpt-4-turbo", published="GPT").key == "cl100k_base"


@pytest.mark.parametrize(
    ("provider", "model", "reason", "family"),
    [
        ("zai", "GLM-5.1", NO_VOCABULARY, "Zhipu GLM"),
        ("moonshotai", "kimi-k2-turbo-preview", NO_VOCABULARY, "Moonshot Kimi"),
        ("together", "meta-llama/Llama-2-70b-chat-hf", NO_VOCABULARY, "Meta Llama 2"),
        ("openai", "gpt-6-astra", NEWER_THAN_PUBLISHED, "OpenAI GPT-6"),
        ("openrouter", "~unbiased/pareto-latest", ALIAS, ""),
    ],
)
def test_a_model_left_on_generic_says_why(provider, model, reason, family):
    assignment = assign(provider, model)
    assert (assignment.key, assignment.reason, assignment.family) == (GENERIC, reason, family)


def test_the_openrouter_import_keeps_the_tokenizer_openrouter_publishes():
    from pathlib import Path

    from pricing.sources import openrouter

    payload = (Path(__file__).parents[2] / "fixtures/payloads/openrouter_excerpt.json").read_bytes()
    published = {r.model: r.tokenizer_family for r in openrouter.parse(payload).records}
    assert published["meta-llama/llama-4-maverick"] == "Llama4"
    assert published["anthropic/claude-opus-4.6"] == "Claude"
