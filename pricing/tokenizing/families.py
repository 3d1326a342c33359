"""Which tokenizer family counts a catalogue model: a rule on what the model is, wherever it is hosted.

Pure (no Django): the price import uses it for models it creates, the calculator for defaults and
the coverage report. The keys are those of ``calculator.tokenizers``; ``generic`` (o200k standing in,
an estimate) when no family is recognised, with the reason.

A host's id is first reduced to the maker's model name (``aws/us.anthropic.claude-opus-4-6-v1:0``
-> ``claude-opus-4-6``; ``fireworks/accounts/fireworks/models/llama-v3p1-70b`` -> ``llama-3.1-70b``),
so one rule on the name serves Bedrock, Vertex, Azure, OpenRouter, Groq, Together and Fireworks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GENERIC = "generic"

# Reason codes for models left on ``generic``; the coverage report groups by them.
NO_VOCABULARY = "no_vocabulary"  # a known family whose tokenizer is not published on any registry
NEWER_THAN_PUBLISHED = "newer_than_published"  # a family we have, but a generation after its vocabulary
ALIAS = "alias"  # a moving alias or a router: which model answers changes over time
UNRECOGNISED = "unrecognised"  # a name no rule knows (fine-tunes, routers, new makers)
PRICE_TIER = "price_tier"  # a host's price for any model of a size class, not one model
AMBIGUOUS = "ambiguous"  # the id names a family we have but not which of its vocabularies
REASON_TEXT = {
    NO_VOCABULARY: "its maker publishes no tokenizer we can ship offline",
    NEWER_THAN_PUBLISHED: "a generation newer than any published vocabulary of its family",
    ALIAS: "a moving alias or router: the model behind it changes",
    UNRECOGNISED: "no rule recognises the model name",
    PRICE_TIER: "a host's price tier for any model of a size, not one model",
    AMBIGUOUS: "the id names the family but not the generation, whose vocabularies differ",
}

# Bedrock's ``[region.]vendor.model`` ids: the vendors and region prefixes it uses.
_BEDROCK_VENDORS = (
    "anthropic|meta|mistral|amazon|cohere|ai21|deepseek|openai|qwen|moonshotai|moonshot|zai|google|"
    "writer|nvidia|minimax|twelvelabs|stability|luma"
)
_REGIONS = "us|eu|apac|ap|jp|au|ca|global|regional|us-gov"
# Path segments that are a host's region or namespace, never the maker (``azure/eu/o1-2024-12-17``).
_NOT_A_VENDOR = {"@cf", "accounts", "models", "publishers", *_REGIONS.split("|")}
_BEDROCK = re.compile(rf"^(?:(?:{_REGIONS})\.)?({_BEDROCK_VENDORS})\.(.+)$")
# OpenRouter's variants (``:batch``), Bedrock's versions (``-v1:0``), Vertex's (``@20251101``).
_VARIANTS = "batch|free|beta|extended|thinking|online|nitro|floor|exacto"
_SUFFIXES = re.compile(rf"(?::(?:{_VARIANTS})|-v\d+:\d+|:\d+|@[\w.-]+)$")


@dataclass(frozen=True)
class Assignment:
    """A model's tokenizer key, and for ``generic`` why (a reason code and the family, if known)."""

    key: str
    reason: str = ""
    family: str = ""


def model_name(provider_slug: str, model_slug: str) -> tuple[str, str]:
    """(vendor hint, the maker's model name), lower case, with the host's wrapping removed."""
    vendor, name = provider_slug.lower(), model_slug.lower().strip()
    name = re.sub(r"^ft:", "", name)  # an OpenAI fine-tune counts like its base model
    for _ in range(3):  # suffixes stack: ``-v1:0``, ``:batch`` after ``-v1``
        name = _SUFFIXES.sub("", name)
    parts = [p for p in name.split("/") if p and p not in _NOT_A_VENDOR]
    if len(parts) > 1:
        vendor, name = parts[-2].lstrip("~"), parts[-1]
    elif parts:
        name = parts[0]
    bedrock = _BEDROCK.match(name)
    if bedrock:
        vendor, name = bedrock.group(1), re.sub(r"-v\d+$", "", bedrock.group(2))
    # Fireworks writes versions as ``v3p1`` / ``k2p5``: the maker's ``3.1`` / ``k2.5``.
    name = re.sub(r"(\d)p(\d)", r"\1.\2", name)
    name = re.sub(r"llama-v(\d)", r"llama-\1", name)
    return vendor, name


def _version(name: str, word: str) -> tuple[int, int] | None:
    """(major, minor) after ``word`` (``claude-opus-4-6``, ``claude-3-5-haiku``, ``gemini-2.5``)."""
    match = re.search(rf"{word}-(?:[a-z]+-)*(\d{{1,2}})(?![\d])(?:[.-](\d)(?!\d))?", name)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2) or 0)


def _claude(name: str) -> Assignment:
    version = _version(name, "claude")
    if re.search(r"claude-instant", name) or (version and version[0] <= 2):
        return Assignment("claude_legacy")
    if version is None:  # ``claude-sonnet-latest`` and other aliases: the current families' estimate
        return Assignment("claude")
    major, minor = version
    if major >= 5 or (major == 4 and minor >= 8):
        return Assignment("claude_5")
    if major == 4 and minor == 7:
        return Assignment("claude_opus_4_7")
    return Assignment("claude")


def _gemini(name: str) -> Assignment:
    version = _version(name, "gemini")
    if version is not None and (version[0] >= 4 or version >= (3, 1)):
        return Assignment("gemini3")  # newer, unpublished vocabulary: the gemini3 estimate says so
    return Assignment("gemma3")


def _openai(name: str, vendor: str) -> Assignment | None:
    if "gpt-oss" in name:
        return Assignment("o200k_base")
    gpt = re.search(r"gpt-(\d)(?!\d)", name)
    if gpt and int(gpt.group(1)) >= 6:
        return Assignment(GENERIC, NEWER_THAN_PUBLISHED, "OpenAI GPT-6")
    if re.search(
        r"gpt-?4o|gpt-4\.\d|gpt-5|chatgpt|gpt-image|gpt-realtime|gpt-audio|codex|computer-use", name
    ):
        return Assignment("o200k_base")
    if re.match(r"o\d(-|$)", name) and vendor in ("openai", "azure", "openrouter", "github-copilot", ""):
        return Assignment("o200k_base")
    # GPT-3: text-davinci-002/003 and Codex on p50k, the first GPT-3 models on r50k (tiktoken's
    # model table); davinci-002 and babbage-002 (2023) on cl100k.
    if re.search(r"text-davinci-00[23]|code-davinci|code-cushman", name):
        return Assignment("p50k_base")
    # EleutherAI's GPT-J (and Together's GPT-JT tuned from it) uses GPT-2's BPEs: r50k.
    if re.search(r"^(ada|babbage|curie|davinci)$|text-(ada|babbage|curie|davinci)-001|gpt-jt?-", name):
        return Assignment("r50k_base")
    if re.search(r"gpt-?4|gpt-?3\.?5|text-embedding|davinci-002|babbage-002", name):
        return Assignment("cl100k_base")
    return None


# Open-weight families, first match wins (DeepSeek's distillations keep the student's tokenizer).
_OPEN_WEIGHT: list[tuple[str, Assignment]] = [
    (r"distill-llama", Assignment("llama3")),
    # Microsoft's reports: Phi-3 and 3.5 (mini, medium, MoE, vision) use Llama 2's tokenizer; Phi-3
    # small and Phi-4 tiktoken's cl100k (padded to 100,352); Phi-4 mini and multimodal o200k.
    (r"(^|-)phi-?3(\.5)?-small", Assignment("cl100k_base")),
    (r"(^|-)phi-?3", Assignment("llama2")),
    (r"(^|-)phi-?4-(mini|multimodal)", Assignment("o200k_base")),
    (r"(^|-)phi-?4", Assignment("cl100k_base")),
    (r"dbrx", Assignment("cl100k_base")),  # Databricks: "DBRX uses the GPT-4 tokenizer" (tiktoken)
    (r"distill-qwen|r1-\d+-qwen", Assignment("qwen2")),
    (r"deepseek|r1-1776", Assignment("deepseek_v3")),
    (r"qwen-?3\.[5-9]|qwen-?[4-9]", Assignment("qwen3_5")),
    (r"qwen|qwq|qvq", Assignment("qwen2")),
    # (``llama-405b`` and ``codellama-34b`` name sizes, not versions; Azure writes 3.1 as ``llama-31``)
    (r"llama-?4(?!\d)|llama-guard-4", Assignment("llama4")),
    # Llama Guard 2 is a Llama 3 8B model.
    (r"llama-?3(?:[123](?=-))?(?!\d)|llama-guard-[23]|(^|-)l3\d?(\.\d)?-", Assignment("llama3")),
    # Llama 2, Code Llama and LLaMA 1 share one vocabulary, and so do the families named after
    # LLaMA 1 / 2 fine-tunes (Alpaca, Vicuna, Platypus 2, WizardLM 1.x; WizardLM-2 is Mistral's).
    (
        r"llama-?2|codellama|code-llama|(^|-)l2-|vicuna|alpaca|platypus2|wizardlm-(?!2-)\d+b",
        Assignment("llama2"),
    ),
    # Fine-tunes whose maker names the base (docs/tokenizers.md cites each): Nous Research's Hermes 4
    # 70B / 405B (Llama 3.1), Fireworks' FireFunction v2 (Llama 3 70B), Deep Cogito's v2.1 671B
    # (DeepSeek-V3-Base), Goliath 120B (two Llama 2 70B fine-tunes, one of them Xwin-LM 70B),
    # Perplexity's pplx-7b / pplx-70b (Mistral 7B / Llama 2 70B); Llama 2 and Code Llama merges and
    # tunes (lzlv 70B, Midnight Rose 70B, Mythalion 13B, NexusRaven V2 13B, Llemma 7B); Anthracite's
    # Magnum 72B v1 / v2 (Qwen2 72B) and v4 (Qwen2.5 72B).
    (r"hermes-4-(70b|405b)|firefunction-v2", Assignment("llama3")),
    (r"cogito-(v2\.1-)?671b", Assignment("deepseek_v3")),
    (r"magnum-(v[124]-)?72b", Assignment("qwen2")),
    (
        r"goliath-120b|xwin-lm-70b|^pplx-70b-|lzlv_70b|midnight-rose-70b|mythalion-13b"
        r"|nexusraven-v2-13b|llemma_7b",
        Assignment("llama2"),
    ),
    (r"^pplx-7b-", Assignment("mistral_spm_v3")),
    (r"llama(?!-prompt-guard)", Assignment(GENERIC, AMBIGUOUS, "Meta Llama")),
    (r"gemma", Assignment("gemma3")),
    # Cohere: Command R and R+ (03-2024, 08-2024) and Aya Expanse share one published vocabulary;
    # Command A and R7B are not shown to (their vocabulary is on no registry), nor the 2023 models.
    (r"command-r\b|aya-expanse", Assignment("command_r")),
]


def _open_weight(name: str) -> Assignment | None:
    return next((found for pattern, found in _OPEN_WEIGHT if re.search(pattern, name)), None)


# Mistral's model names, and fine-tunes of NeMo (``mn-``, ``...nemo``) and Mixtral 8x22B.
_MISTRAL_NAMES = (
    r"mistral|mixtral|codestral|ministral|magistral|pixtral|devstral|voxtral|nemo(?!tron)|(^|-)mn-|8x22b"
    # Fine-tunes of Mistral 7B v0.1 named as such by their families: Zephyr 7B, OpenChat 3.5,
    # WizardLM-2 7B (read as Mistral 7B below).
    r"|zephyr-7b|openchat[-_]?3\.5|wizardlm-2-7b"
)


def _mistral(name: str) -> Assignment | None:
    if not re.search(_MISTRAL_NAMES, name):
        return None
    if re.search(
        r"large-(2407|2402)|codestral-(2405|22b)|mixtral|mistral-7b|8x22b|8x7b|zephyr|openchat|wizardlm-2-7b",
        name,
    ):
        return Assignment("mistral_spm_v3")
    if re.search(r"large-2411|large-latest", name):
        return Assignment("mistral_spm_v7")
    return Assignment("mistral_tekken")


# Families known by name whose tokenizer no registry ships: generic, and the report says which.
_WITHOUT_VOCABULARY: list[tuple[str, str]] = [
    (r"kimi|moonshot", "Moonshot Kimi"),
    (r"glm|codegeex", "Zhipu GLM"),
    (r"m2m100", "Meta M2M-100 (translation)"),
    (r"minimax|^m\d+(\.\d+)?(-|$)", "MiniMax"),
    (r"command-a|command-r7b", "Cohere Command A / R7B"),
    (r"command|^c4ai|cohere", "Cohere Command (2023)"),
    (r"nova|titan", "Amazon Nova / Titan"),
    (r"jamba", "AI21 Jamba"),
    (r"ernie", "Baidu ERNIE"),
    (r"nemotron", "NVIDIA Nemotron"),
    (r"granite", "IBM Granite"),
    (r"mimo", "Xiaomi MiMo"),
    (r"sonar", "Perplexity Sonar"),
    (r"phi-", "Microsoft Phi"),
    (r"muse-", "Meta Muse"),
    (r"(^|-)(ling|ring)-", "inclusionAI Ling"),
    (r"palmyra", "Writer Palmyra"),
    (r"palm|bison|gecko|unicorn", "Google PaLM 2"),
    (r"^hy-?\d|^hy-mt|hunyuan", "Tencent Hunyuan"),
    (r"internlm", "Shanghai AI Lab InternLM"),
    (r"seed|doubao", "ByteDance Seed"),
    (r"lfm", "Liquid LFM"),
    (r"(^|-)yi-(\d|large)", "01.AI Yi"),
    # Prime Intellect's INTELLECT-3 is GLM-4.5-Air-Base trained further (its technical report).
    (r"intellect-3", "Zhipu GLM"),
    (r"luminous", "Aleph Alpha Luminous"),
    (r"^j2-|jurassic", "AI21 Jurassic-2"),
    (r"(^|-)mpt-", "MosaicML MPT"),
    (r"prompt-guard", "Meta Prompt Guard (mDeBERTa)"),
    (r"^step-", "StepFun Step"),
    (r"solar", "Upstage Solar"),
    (r"olmo", "AllenAI OLMo"),
    (r"reka", "Reka"),
    (r"mercury", "Inception Mercury"),
    (r"inflection", "Inflection"),
    (r"apertus", "Swiss AI Apertus"),
    (r"baichuan", "Baichuan"),
    (r"longcat", "Meituan LongCat"),
    (r"redpajama|stripedhyena", "Together RedPajama / StripedHyena"),
]

# OpenRouter's model list names a tokenizer per model (``architecture.tokenizer``): used when the
# name alone says nothing (fine-tunes such as ``sao10k/l3-euryale-70b`` are published as Llama3).
PUBLISHED = {
    "llama2": "llama2",
    "llama3": "llama3",
    "llama4": "llama4",
    "qwen": "qwen2",
    "qwen3": "qwen2",
    "deepseek": "deepseek_v3",
    "mistral": "mistral_tekken",
    "gemini": "gemma3",
    "claude": "claude",
    "grok": "grok",
    "gpt": "o200k_base",
}


def assign(provider_slug: str, model_slug: str, published: str | None = None) -> Assignment:
    """The model's tokenizer key and, when it is ``generic``, why."""
    vendor, name = model_name(provider_slug, model_slug)
    found = _by_name(name, vendor)
    if found is not None and found.key != GENERIC:
        return found
    hint = PUBLISHED.get((published or "").strip().lower())
    if hint:
        return Assignment(hint)
    if found is not None:
        return found
    by_vendor = _by_vendor(vendor)
    if by_vendor:
        return Assignment(by_vendor)
    for pattern, family in _WITHOUT_VOCABULARY:
        if re.search(pattern, name):
            return Assignment(GENERIC, NO_VOCABULARY, family)
    if re.match(r"fireworks-ai-", name):
        return Assignment(GENERIC, PRICE_TIER, "Fireworks")
    if re.search(r"latest|router|pareto|^auto$", name):
        return Assignment(GENERIC, ALIAS, "OpenAI" if name.startswith("gpt-") else "")
    return Assignment(GENERIC, UNRECOGNISED)


# A maker's own API (or a path naming the maker) with a model name no rule above knows.
_VENDORS = [
    (r"^deepseek", "deepseek_v3"),
    (r"^(qwen|alibaba|dashscope)$", "qwen2"),
    (r"^(mistral|mistralai)$", "mistral_tekken"),
    (r"^anthropic$", "claude"),
    (r"^(xai|x-ai)$", "grok"),
]


def _by_vendor(vendor: str) -> str | None:
    return next((key for pattern, key in _VENDORS if re.search(pattern, vendor)), None)


def _by_name(name: str, vendor: str) -> Assignment | None:
    if "claude" in name:
        return _claude(name)
    if "gemini" in name or name.startswith("learnlm"):  # LearnLM: Google's Gemini tuned for learning
        return _gemini(name)
    if "grok" in name:
        return Assignment("grok")
    return _openai(name, vendor) or _open_weight(name) or _mistral(name)


def tokenizer_key_for(provider_slug: str, model_slug: str, published: str | None = None) -> str:
    """A sensible tokenizer key for a model imported without one; ``generic`` when unknown."""
    return assign(provider_slug, model_slug, published).key
