"""Open-weight families' chat framing: the model's own Jinja chat template, rendered by
transformers (the code ``apply_chat_template`` runs), then counted with our engine.

The template and its special tokens come from the family's ``tokenizer_config.json`` (pinned
npm files, see ``assets``). The rendered text is split at the tokens the tokenizer adds as
single ids (its added tokens, one each); the text between them is counted with the family's engine,
exactly as a Hugging Face tokenizer splits added tokens before running its model.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..types import TokenizerUnavailable
from .conversation import FramingRefused

# tokenizer key -> the chat config file whose template its models use
CONFIGS = {
    "llama3": "llama3_chat.json",
    "qwen2": "qwen3_chat.json",
    "qwen3_5": "qwen3_chat.json",
    "deepseek_v3": "deepseek_v3_chat.json",
    "gemma3": "gemma3_chat.json",
    "gemini3": "gemma3_chat.json",
}


@functools.cache
def _template(data_dir: Path, filename: str) -> tuple[str, dict[str, str], re.Pattern[str]]:
    """(chat template, its bos/eos variables, a pattern splitting the special tokens out)."""
    from ..assets import ASSETS, is_verified

    path = data_dir / filename
    if not is_verified(path, ASSETS[filename].sha256):
        raise TokenizerUnavailable(f"chat template {filename} is missing or fails its SHA-256 check")
    config = json.loads(path.read_text(encoding="utf-8"))
    variables = {name: _token_text(config.get(name)) for name in ("bos_token", "eos_token")}
    # Every added token (special or not: Qwen's <tool_call> is not) is one id, matched before the model.
    specials = {v["content"] for v in config.get("added_tokens_decoder", {}).values()}
    if not specials:  # DeepSeek's config lists none: its tokenizer.json (pinned too) does
        specials = _tokenizer_json_specials(data_dir / "deepseek_v3.json")
    specials |= {v for v in variables.values() if v}
    alternation = "|".join(re.escape(s) for s in sorted(specials, key=len, reverse=True))
    return config["chat_template"], variables, re.compile(f"({alternation})")


def _token_text(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("content") or "")
    return str(value or "")


def _tokenizer_json_specials(path: Path) -> set[str]:
    from ..assets import ASSETS, is_verified

    if not is_verified(path, ASSETS[path.name].sha256):
        raise TokenizerUnavailable(f"{path.name} is missing or fails its SHA-256 check")
    added = json.loads(path.read_text(encoding="utf-8")).get("added_tokens", [])
    return {token["content"] for token in added}


def render(
    data_dir: Path, key: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None
) -> str:
    """The conversation as the model reads it, with the reply primed (add_generation_prompt)."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no "PyTorch was not found" per process
    from jinja2 import TemplateError
    from transformers.utils.chat_template_utils import render_jinja_template

    template, variables, _ = _template(data_dir, CONFIGS[key])
    renderer: Any = render_jinja_template  # annotated "-> str", it returns (texts, indices)
    try:
        rendered, _indices = renderer(
            conversations=[_adapt(key, messages)],
            tools=tools or None,
            chat_template=template,
            add_generation_prompt=True,
            **variables,
        )
    except (TemplateError, TypeError, KeyError, ValueError) as exc:
        raise FramingRefused(f"{CONFIGS[key]}: the chat template refuses this conversation ({exc})") from exc
    return str(rendered[0])


def _adapt(key: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """DeepSeek's template tells a tool-calling turn by ``content is none``, as the API sends it."""
    if key != "deepseek_v3":
        return messages
    return [m | {"content": None} if m.get("tool_calls") and not m.get("content") else m for m in messages]


def count_rendered(data_dir: Path, key: str, rendered: str, count: Callable[[str], int]) -> int:
    """Tokens of a rendered conversation: one per special token, ``count(text)`` for the rest."""
    _, _, specials = _template(data_dir, CONFIGS[key])
    total = 0
    for index, piece in enumerate(specials.split(rendered)):
        if index % 2:
            total += 1
        elif piece:
            total += count(piece)
    return total
