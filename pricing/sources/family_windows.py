"""Published context windows of base models, for ids that name their base model. Pure: no Django.

The last resort of the window fill: a model no source gives a window for, whose id names a base
model (``Llama-2``, ``Mixtral-8x7B``, ``text-davinci-003``) or whose maker's page names one, gets
the window that base model's maker published, with that page as the window's source. A rule is
a fact from its page, not a guess: an id that names no base model, or a fine-tune whose page does
not say its base, gets nothing. A host may serve less than the base model's window; the rule
gives what the model was released with. A window a page writes as "128K" is 128,000 tokens here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FamilyWindow:
    pattern: re.Pattern[str]  # searched in the lower-cased model id (host prefix included)
    tokens: int
    source_url: str
    base: str  # the base model, in words


def _rule(pattern: str, tokens: int, source_url: str, base: str) -> FamilyWindow:
    return FamilyWindow(re.compile(pattern), tokens, source_url, base)


OPENAI_GPT3 = "https://platform.openai.com/docs/models/gpt-3"
LLAMA_2 = "https://arxiv.org/abs/2307.09288"
LLAMA_3 = "https://ai.meta.com/blog/meta-llama-3/"
LLAMA_31 = "https://ai.meta.com/blog/meta-llama-3-1/"

# First match wins: a narrower rule (Llama 2 32K) comes before its family's.
FAMILY_WINDOWS: tuple[FamilyWindow, ...] = (
    _rule(r"^(ada|babbage|curie|davinci)$", 2_049, OPENAI_GPT3, "GPT-3 base model"),
    _rule(r"^text-(ada|babbage|curie)-001$", 2_049, OPENAI_GPT3, "GPT-3 InstructGPT model"),
    _rule(r"^text-davinci-00[23]$", 4_097, OPENAI_GPT3, "GPT-3.5 text-davinci model"),
    _rule(r"^gpt-3\.5-0301$", 4_096, "https://platform.openai.com/docs/models/gpt-3-5", "gpt-3.5-turbo-0301"),
    _rule(
        r"^gpt-35-16k$",
        16_384,
        "https://learn.microsoft.com/azure/ai-services/openai/concepts/legacy-models",
        "gpt-35-turbo-16k",
    ),
    _rule(r"^gpt-4o-2024-(0513|1120)$", 128_000, "https://platform.openai.com/docs/models/gpt-4o", "GPT-4o"),
    _rule(
        r"^(gpt-4-preview-1106|gpt4-turbo-preview|gpt-4-vision)$",
        128_000,
        "https://platform.openai.com/docs/models/gpt-4-turbo",
        "GPT-4 Turbo",
    ),
    _rule(
        r"llama-2-7b-32k", 32_768, "https://www.together.ai/blog/llama-2-7b-32k-instruct", "Llama-2-7B-32K"
    ),
    _rule(r"(llama-2|llama2|(^|/)l2-|-l2-)", 4_096, LLAMA_2, "Llama 2"),
    _rule(
        r"vicuna-(7|13)b-v1\.5$",
        4_096,
        "https://huggingface.co/lmsys/vicuna-13b-v1.5",
        "Llama 2 (Vicuna v1.5)",
    ),
    _rule(r"wizardlm-13b-v1\.2$", 4_096, "https://huggingface.co/WizardLMTeam/WizardLM-13B-V1.2", "Llama 2"),
    _rule(r"platypus2-70b", 4_096, "https://huggingface.co/garage-bAInd/Platypus2-70B-instruct", "Llama 2"),
    _rule(r"xwin-lm-70b", 4_096, "https://huggingface.co/Xwin-LM/Xwin-LM-70B-V0.1", "Llama 2"),
    _rule(r"codellama-(7|13|34)b", 16_384, "https://arxiv.org/abs/2308.12950", "Code Llama"),
    _rule(r"mistral-7b-instruct-v0\.1$", 8_192, "https://arxiv.org/abs/2310.06825", "Mistral 7B v0.1"),
    _rule(
        r"mistral-7b-instruct-v0\.2$",
        32_768,
        "https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.2",
        "Mistral 7B Instruct v0.2",
    ),
    _rule(r"mixtral-8x7b", 32_768, "https://arxiv.org/abs/2401.04088", "Mixtral 8x7B"),
    _rule(r"mixtral-8x22b", 65_536, "https://mistral.ai/news/mixtral-8x22b", "Mixtral 8x22B"),
    _rule(r"(^|/)mn-", 128_000, "https://mistral.ai/news/mistral-nemo", "Mistral NeMo"),
    _rule(r"(llama-3\.[13]-|llama3\.1-)", 128_000, LLAMA_31, "Llama 3.1 / 3.3"),
    _rule(r"(llama-3-(8b|70b)|llama-3-lumimaid)", 8_192, LLAMA_3, "Llama 3"),
    _rule(r"qwen1\.5-[0-9.]+b$", 32_768, "https://qwenlm.github.io/blog/qwen1.5/", "Qwen1.5"),
    _rule(r"qwen-2-72b-instruct$", 128_000, "https://qwenlm.github.io/blog/qwen2/", "Qwen2-72B-Instruct"),
    _rule(r"qwen-2\.5-(7|14|32|72)b$", 128_000, "https://qwenlm.github.io/blog/qwen2.5-llm/", "Qwen2.5"),
    _rule(r"qwq-32b-preview$", 32_768, "https://huggingface.co/Qwen/QwQ-32B-Preview", "QwQ-32B-Preview"),
    _rule(r"gemma-2b$", 8_192, "https://arxiv.org/abs/2403.08295", "Gemma 2B"),
    _rule(r"(^|/)phi-2$", 2_048, "https://huggingface.co/microsoft/phi-2", "Phi-2"),
    _rule(r"olmo-7b$", 2_048, "https://arxiv.org/abs/2402.00838", "OLMo 7B"),
    _rule(
        r"redpajama-incite-",
        2_048,
        "https://huggingface.co/togethercomputer/RedPajama-INCITE-7B-Base",
        "RedPajama-INCITE (GPT-NeoX)",
    ),
    _rule(r"alpaca-7b$", 2_048, "https://arxiv.org/abs/2302.13971", "LLaMA 7B (Alpaca)"),
    _rule(r"jamba-1[-.]5-", 256_000, "https://huggingface.co/ai21labs/AI21-Jamba-1.5-Mini", "Jamba 1.5"),
    _rule(r"jamba-1[-.]6-", 256_000, "https://huggingface.co/ai21labs/AI21-Jamba-Large-1.6", "Jamba 1.6"),
)


def family_window(model: str) -> FamilyWindow | None:
    """The first rule whose pattern the lower-cased ``model`` id contains, else ``None``."""
    name = model.lower()
    for rule in FAMILY_WINDOWS:
        if rule.pattern.search(name):
            return rule
    return None
