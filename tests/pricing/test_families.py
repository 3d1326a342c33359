"""The model -> tokenizer family rule recognises a model by what it is, wherever it is hosted.

Model ids below are the hosts' own spellings as they appear in the genai-prices 0.2.3 catalogue
(Bedrock, Vertex, Azure, OpenRouter, Together, Fireworks, Groq, Cloudflare).
"""

import gzip
import json
import re
from pathlib import Path

import pytest

from pricing.tokenizing.families import (
    ALIAS,
    AMBIGUOUS,
    GENERIC,
    NEWER_THAN_PUBLISHED,
    NO_VOCABULARY,
    PRICE_TIER,
    REASON_TEXT,
    UNRECOGNISED,
    assign,
    model_name,
)

FIXTURES = Path(__file__).parents[2] / "fixtures"


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
        # Hosts' spellings: Azure's region path, Azure's short names, SageMaker, Ollama, Replicate.
        ("azure", "eu/o1-mini-2024-09-12", "o200k_base"),
        ("azure", "us/o3-mini-2025-01-31", "o200k_base"),
        ("azure", "gpt35", "cl100k_base"),
        ("azure", "gpt4-turbo-preview", "cl100k_base"),
        ("openai", "ft:gpt-4o-2024-08-06:acme::abc123", "o200k_base"),
        ("openai", "ft:gpt-3.5-turbo-0125:acme::x", "cl100k_base"),
        # GPT-3: the first models on r50k, text-davinci-002/003 and Codex on p50k.
        ("openai", "davinci", "r50k_base"),
        ("text-completion-openai", "text-curie-001", "r50k_base"),
        ("azure", "text-ada-001", "r50k_base"),
        ("openai", "text-davinci-003", "p50k_base"),
        ("openai", "code-davinci-002", "p50k_base"),
        ("openai", "davinci-002", "cl100k_base"),
        ("together", "togethercomputer/GPT-JT-Moderation-6B", "r50k_base"),
        # Llama 2, Code Llama, LLaMA 1 and the families named after their fine-tunes: one vocabulary.
        ("together", "meta-llama/Llama-2-70b-chat-hf", "llama2"),
        ("sagemaker", "meta-textgeneration-llama-2-13b-f", "llama2"),
        ("ollama", "llama2:70b", "llama2"),
        (
            "replicate",
            "meta/llama-2-70b-chat:2c1608e18606fad2812020dc541930f2d0495ce32eee50074220b87300bc16e1",
            "llama2",
        ),
        ("anyscale", "codellama/CodeLlama-70b-Instruct-hf", "llama2"),
        ("openrouter", "gryphe/mythomax-l2-13b", "llama2"),
        ("together", "lmsys/vicuna-13b-v1.5", "llama2"),
        ("together", "togethercomputer/alpaca-7b", "llama2"),
        ("together", "WizardLM/WizardLM-13B-V1.2", "llama2"),
        ("openrouter", "meta-llama/llama-guard-2-8b", "llama3"),
        # Microsoft's Phi by its reports; DBRX on GPT-4's tokenizer.
        ("azure", "phi-3-mini-128k-instruct", "llama2"),
        ("azure", "phi-3.5-moe-instruct", "llama2"),
        ("azure", "phi-3-small-8k-instruct", "cl100k_base"),
        ("azure", "phi-4", "cl100k_base"),
        ("azure", "phi-4-mini-instruct", "o200k_base"),
        ("databricks", "databricks-dbrx-instruct", "cl100k_base"),
        # Mistral 7B fine-tunes named as such; LearnLM is a Gemini.
        ("anyscale", "HuggingFaceH4/zephyr-7b-beta", "mistral_spm_v3"),
        ("together", "openchat/openchat-3.5-1210", "mistral_spm_v3"),
        ("openrouter", "microsoft/wizardlm-2-7b", "mistral_spm_v3"),
        ("openrouter", "microsoft/wizardlm-2-8x22b", "mistral_spm_v3"),
        ("google", "learnlm-1.5-pro-experimental", "gemma3"),
        # Cohere Command R / R+ and Aya Expanse: one published vocabulary.
        ("cohere_chat", "command-r-plus-08-2024", "command_r"),
        ("aws", "cohere.command-r-v1:0", "command_r"),
        ("azure", "command-r-plus", "command_r"),
        ("openrouter", "cohere/command-r-08-2024", "command_r"),
        ("cohere", "c4ai-aya-expanse-32b", "command_r"),
        # A fine-tune whose maker names its base (docs/tokenizers.md cites each statement).
        ("openrouter", "nousresearch/hermes-4-405b", "llama3"),
        ("huggingface_nebius", "NousResearch/Hermes-4-70B", "llama3"),
        ("fireworks_ai", "accounts/fireworks/models/firefunction-v2", "llama3"),
        ("openrouter", "deepcogito/cogito-v2.1-671b", "deepseek_v3"),
        ("huggingface_together", "deepcogito/cogito-671b-v2.1", "deepseek_v3"),
        ("openrouter", "alpindale/goliath-120b", "llama2"),
        ("openrouter", "xwin-lm/xwin-lm-70b", "llama2"),
        ("perplexity", "pplx-70b-online", "llama2"),
        ("perplexity", "pplx-7b-chat", "mistral_spm_v3"),
        ("openrouter", "lizpreciatior/lzlv_70b_fp16_hf", "llama2"),
        ("openrouter", "sophosympatheia/midnight-rose-70b", "llama2"),
        ("openrouter", "pygmalionai/mythalion-13b", "llama2"),
        ("together", "Nexusflow/NexusRaven-V2-13B", "llama2"),
        ("together", "eleutherai/llemma_7b", "llama2"),
        ("openrouter", "alpindale/magnum-72b", "qwen2"),
        ("openrouter", "anthracite-org/magnum-v4-72b", "qwen2"),
        # A size is not a version: Code Llama 34B is Llama 2's vocabulary; Azure's 3.1 is "31".
        ("together", "codellama/CodeLlama-34b-Instruct-hf", "llama2"),
        ("deepinfra", "Phind/Phind-CodeLlama-34B-v2", "llama2"),
        ("azure_ai", "Meta-Llama-31-405B-Instruct", "llama3"),
        # Moving aliases of a family we have count with that family.
        ("anthropic", "claude-3-5-sonnet-latest", "claude"),
        ("mistral", "mistral-large-latest", "mistral_spm_v7"),
        ("google", "gemini-flash-latest", "gemma3"),
        ("openai", "chatgpt-4o-latest", "o200k_base"),
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
    assert assign("openrouter", "gryphe/mythomax-13b", published="Llama2").key == "llama2"
    assert assign("openrouter", "gryphe/mythomax-13b", published="Other").key == GENERIC


def test_the_name_outranks_a_published_tokenizer_that_names_a_broader_family():
    # OpenRouter publishes "GPT" for both vocabularies; the name tells cl100k from o200k.
    assert assign("openrouter", "openai/gpt-4-turbo", published="GPT").key == "cl100k_base"


@pytest.mark.parametrize(
    ("provider", "model", "reason", "family"),
    [
        ("zai", "GLM-5.1", NO_VOCABULARY, "Zhipu GLM"),
        ("moonshotai", "kimi-k2-turbo-preview", NO_VOCABULARY, "Moonshot Kimi"),
        ("openai", "gpt-6-astra", NEWER_THAN_PUBLISHED, "OpenAI GPT-6"),
        ("aws", "global.openai.gpt-6-sol", NEWER_THAN_PUBLISHED, "OpenAI GPT-6"),
        ("openrouter", "~unbiased/pareto-latest", ALIAS, ""),
        ("openrouter", "~openai/gpt-latest", ALIAS, "OpenAI"),
        ("fireworks_ai", "fireworks-ai-up-to-16b", PRICE_TIER, "Fireworks"),
        ("aws", "writer.palmyra-x5-v1:0", NO_VOCABULARY, "Writer Palmyra"),
        ("vertex_ai-code-text-models", "code-gecko@002", NO_VOCABULARY, "Google PaLM 2"),
        ("cloudflare", "@cf/meta/m2m100-1.2b", NO_VOCABULARY, "Meta M2M-100 (translation)"),
        ("openrouter", "minimax/minimax-m2.5", NO_VOCABULARY, "MiniMax"),
        ("groq", "meta-llama/llama-prompt-guard-2-86m", NO_VOCABULARY, "Meta Prompt Guard (mDeBERTa)"),
        ("together", "NousResearch/Nous-Hermes-2-Yi-34B", NO_VOCABULARY, "01.AI Yi"),
        ("ollama", "codegeex4", NO_VOCABULARY, "Zhipu GLM"),
        ("azure", "phi-2", NO_VOCABULARY, "Microsoft Phi"),
        ("huggingface_together", "deepcogito/cogito-v2-preview-llama-70B", AMBIGUOUS, "Meta Llama"),
        ("openrouter", "thedrummer/rocinante-12b", UNRECOGNISED, ""),
        ("huggingface_together", "deepcogito/cogito-v2-preview-llama-405B", AMBIGUOUS, "Meta Llama"),
        ("openrouter", "01-ai/yi-large", NO_VOCABULARY, "01.AI Yi"),
        ("openrouter", "prime-intellect/intellect-3", NO_VOCABULARY, "Zhipu GLM"),
        ("openrouter", "cohere/command-r7b-12-2024", NO_VOCABULARY, "Cohere Command A / R7B"),
        ("cohere_chat", "command-a-03-2025", NO_VOCABULARY, "Cohere Command A / R7B"),
        ("aws", "cohere.command-text-v14", NO_VOCABULARY, "Cohere Command (2023)"),
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


# Names of the families whose vocabulary the app has, written here apart from the rules: a model
# on the generic stand-in whose name says one of them is a rule that missed it.
OWN_VOCABULARY = re.compile(
    r"llama(?!-prompt-guard)|qwen|qwq|mistral|mixtral|codestral|deepseek|gemma|gemini|claude|grok"
    r"|gpt-?(3\.?5|4|5)|^o[1345](-|$)|davinci|curie|babbage|^ada$|text-ada|phi-?[34]|dbrx"
    r"|vicuna|alpaca|zephyr-7b|openchat[-_]?3\.5|gpt-jt?-|command-r\b|aya-expanse"
)


def catalogue_ids():
    """(provider, model) of every model a fresh install holds: the seed and the price history."""
    seed = json.loads((FIXTURES / "catalogue.json").read_text())["models"]
    with gzip.open(FIXTURES / "price_history.json.gz") as fh:
        history = json.load(fh)["models"]
    return sorted({(m["provider"], m["slug"]) for m in seed} | {(m["provider"], m["model"]) for m in history})


def sizes_only(found, name):
    """A Llama named by its size alone (``cogito-v2-preview-llama-70b``): 70B was Llama 2 and 3."""
    return found.reason == AMBIGUOUS and re.search(r"llama-\d+b", name) is not None


def test_no_model_on_the_stand_in_is_of_a_family_whose_vocabulary_the_app_has():
    ids = catalogue_ids()
    assert len(ids) > 2000
    missed = []
    for provider, model in ids:
        found, name = assign(provider, model), model_name(provider, model)[1]
        if found.key == GENERIC and not sizes_only(found, name) and OWN_VOCABULARY.search(name):
            missed.append(f"{provider}/{model}")
    assert missed == []


def test_every_model_on_the_stand_in_says_why():
    for provider, model in catalogue_ids():
        found = assign(provider, model)
        if found.key == GENERIC:
            assert found.reason in REASON_TEXT, f"{provider}/{model}"
