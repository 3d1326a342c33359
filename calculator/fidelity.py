"""Per-model token counts for an estimate: the text or conversation counted once per tokenizer and
framing, the provider's own count where the operator configured a key, and each count's label.

A row's ``text_tokens`` is the content (the text, or what people and tools wrote in the
conversation); ``chat_overhead_tokens`` is the framing plus the tool definitions, so the two still
add up to ``input_tokens`` with ``image_tokens``: a conversation's images, counted apart by the
model's maker's published rule (image_counts; None when there are no images or no rule).
``count_source`` and ``quality`` say how far to trust the number.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from . import provider_counts, tokenizers
from .image_counts import count_images
from .tokenizers.chat.conversation import ChatCount, Conversation
from .tokenizers.chat.framing import count_conversation, frame_variant
from .tokenizers.quality import PROVIDER_COUNT, quality_of
from .tokenizers.registry import check_text

_provider_threads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="provider-count")


@dataclass(frozen=True)
class ModelRef:
    provider: str
    model: str
    tokenizer: str

    @property
    def key(self) -> str:
        return f"{self.provider}/{self.model}"


@dataclass(frozen=True)
class ModelCount:
    """One model's prompt tokens (None when its tokenizer is unavailable) and their labels."""

    text_tokens: int | None
    chat_overhead_tokens: int
    tools_tokens: int | None
    available: bool
    note: str
    framing: str | None  # exact / documented / estimated; None for a plain text
    count_source: str  # "offline tokenizer", "exact (provider count)" or why the provider failed
    quality: str
    image_tokens: int | None = None
    image_rule: str | None = None  # the published rule that counted the images, or why none did

    @property
    def input_tokens(self) -> int | None:
        if self.text_tokens is None:
            return None
        return self.text_tokens + self.chat_overhead_tokens + (self.image_tokens or 0)


def count_models(
    models: list[ModelRef],
    *,
    text: str | None = None,
    conversation: Conversation | None = None,
    chat_messages: int = 0,
) -> dict[str, ModelCount]:
    """Counts keyed by ``provider/model``; exactly one of ``text`` and ``conversation``."""
    if conversation is not None:
        check_text(conversation.dump())  # the size limit applies to the whole conversation
        counted = _with_images(models, _conversation_counts(models, conversation), conversation)
    else:
        assert text is not None
        counted = _text_counts(models, text, chat_messages)
    return _with_provider_counts(models, counted, text, conversation)


def average_counts(models: list[ModelRef], conversations: list[Conversation]) -> dict[str, ModelCount]:
    """Per-request averages over many conversations (one is its own count), rounded to tokens."""
    counts = [count_models(models, conversation=c) for c in conversations]
    if len(counts) == 1:
        return counts[0]
    result = {}
    for ref in models:
        each = [c[ref.key] for c in counts]
        if not all(c.available for c in each):
            result[ref.key] = each[0] if not each[0].available else next(c for c in each if not c.available)
            continue
        inputs = [(c.text_tokens or 0) + c.chat_overhead_tokens + (c.image_tokens or 0) for c in each]
        spread = f"input from {min(inputs):,} to {max(inputs):,} tokens a conversation"
        note = f"Per-request average of {len(each)} conversations ({spread}). {each[0].note}"
        result[ref.key] = replace(
            each[0],
            text_tokens=round(sum(c.text_tokens or 0 for c in each) / len(each)),
            chat_overhead_tokens=round(sum(c.chat_overhead_tokens for c in each) / len(each)),
            tools_tokens=round(sum(c.tools_tokens or 0 for c in each) / len(each)),
            image_tokens=_average_images(each),
            image_rule=_common(c.image_rule for c in each if c.image_rule) or None,
            note=note,
            count_source=_common(c.count_source for c in each),
        )
    return result


def _average_images(each: list[ModelCount]) -> int | None:
    """Conversations without images count 0 towards the average; None if none had any."""
    if all(c.image_tokens is None for c in each):
        return None
    return round(sum(c.image_tokens or 0 for c in each) / len(each))


def _with_images(
    models: list[ModelRef], counted: dict[str, ModelCount], conversation: Conversation
) -> dict[str, ModelCount]:
    images = conversation.images()
    if not images:
        return counted
    for ref in models:
        if counted[ref.key].available:
            found = count_images(ref.provider, ref.model, ref.tokenizer, images)
            counted[ref.key] = replace(counted[ref.key], image_tokens=found.tokens, image_rule=found.rule)
    return counted


def _common(labels: Iterable[str]) -> str:
    distinct = sorted(set(labels))
    return distinct[0] if len(distinct) == 1 else "; ".join(distinct)


def _text_counts(models: list[ModelRef], text: str, chat_messages: int) -> dict[str, ModelCount]:
    """Each tokenizer counts the text once; its models share that count (some 2,800 models use
    about twenty tokenizers)."""
    keys = sorted({m.tokenizer for m in models})
    counts = tokenizers.count_tokens_many(text, keys)
    by_tokenizer = {}
    for key in keys:
        count = counts[key]
        overhead = tokenizers.chat_overhead_tokens(key, chat_messages) if count.available else 0
        by_tokenizer[key] = ModelCount(
            text_tokens=count.tokens,
            chat_overhead_tokens=overhead,
            tools_tokens=None,
            available=count.available,
            note=count.note,
            framing="estimated" if chat_messages else None,
            count_source="offline tokenizer",
            quality=quality_of(key, tokenizers.get_info(key).exact).label,
        )
    return {ref.key: by_tokenizer[ref.tokenizer] for ref in models}


def _conversation_counts(models: list[ModelRef], conversation: Conversation) -> dict[str, ModelCount]:
    """Each (tokenizer, framing) pair renders and counts the conversation once."""
    by_frame: dict[tuple[str, str], ChatCount | str] = {}
    for ref in models:
        frame = (ref.tokenizer, frame_variant(ref.tokenizer, ref.model))
        if frame not in by_frame:
            try:
                by_frame[frame] = count_conversation(conversation, ref.tokenizer, ref.model)
            except tokenizers.TokenizerUnavailable as exc:
                by_frame[frame] = str(exc)
    result = {}
    for ref in models:
        chat = by_frame[(ref.tokenizer, frame_variant(ref.tokenizer, ref.model))]
        info = tokenizers.get_info(ref.tokenizer)
        quality = quality_of(ref.tokenizer, info.exact).label
        if isinstance(chat, str):
            result[ref.key] = ModelCount(None, 0, None, False, chat, None, "offline tokenizer", quality)
            continue
        note = "; ".join((f"Framing: {chat.source}.", *chat.notes))
        result[ref.key] = ModelCount(
            chat.content,
            chat.framing + chat.tools,
            chat.tools,
            True,
            note,
            chat.framing_quality,
            "offline tokenizer",
            quality,
        )
    return result


def _with_provider_counts(
    models: list[ModelRef],
    counted: dict[str, ModelCount],
    text: str | None,
    conversation: Conversation | None,
) -> dict[str, ModelCount]:
    """Replace offline counts by the provider's where a key is configured (calls in parallel)."""
    asked = {ref.key: provider_counts.provider_for(ref.tokenizer, ref.provider) for ref in models}
    futures = {
        ref.key: _provider_threads.submit(
            provider_counts.count, provider, ref.model, ref.tokenizer, text=text, conversation=conversation
        )
        for ref in models
        if (provider := asked[ref.key]) and counted[ref.key].available
    }
    for key, future in futures.items():
        answer = future.result()
        offline = counted[key]
        if answer.tokens is None:
            counted[key] = replace(offline, count_source=answer.label)
        elif conversation is None:
            counted[key] = replace(
                offline, text_tokens=answer.tokens, count_source=answer.label, quality=PROVIDER_COUNT.label
            )
        else:  # the provider counts the whole request; the content stays our offline count
            overhead = max(0, answer.tokens - (offline.text_tokens or 0))
            counted[key] = replace(
                offline,
                chat_overhead_tokens=overhead,
                framing="exact",
                count_source=answer.label,
                quality=PROVIDER_COUNT.label,
            )
    return counted
