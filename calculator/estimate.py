"""Estimates: count the text once per distinct tokenizer, join with the prices in force, cost.

The flow: request → models with the price in force at ``as_of`` → distinct tokenizers →
counts (in parallel, cached by content hash, in ``calculator.tokenizers``) → per model the
bill engine (``pricing.bill``) → rows. Every row names its tokenizer and price version.
The result is a typed ``Estimate`` holding Decimals; money becomes text only in the API schema.
Failures are domain errors (``UnknownModel``, the tokenizers' ``TextTooLarge``/``TokenizerError``).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pricing.bill import BillUsage, ThresholdNotice
from pricing.bill.money import money
from pricing.models import LanguageModel
from pricing.selectors.bills import prices_id, service_tiers_offered, sheet_bill, sheets_for
from pricing.selectors.catalogue import (
    ModelFacts,
    PricedModel,
    VersionFacts,
    first_price_dates,
    priced_models,
)

from . import tokenizers
from .budgets import cached_tokens, monthly_usd, ratio
from .charged import rates_charged
from .columns import COLUMNS, COUNTED, EstimateRow
from .fidelity import ModelCount, ModelRef, average_counts, count_models
from .inputs import EstimateRequest
from .tokenizers.quality import PROVIDER_COUNT

SCHEMA_VERSION = 1


class UnknownModel(Exception):
    def __init__(self, key: str):
        super().__init__(f"Unknown model: {key} (see GET /api/v1/models).")
        self.key = key


class UnknownTier(Exception):
    """A service tier no model offers (one some models offer bills the others at standard)."""

    def __init__(self, tier: str, offered: list[str]):
        super().__init__(f"{tier!r} is not a service tier any model offers (offered: {', '.join(offered)}).")


@dataclass(frozen=True)
class TextStats:
    characters: int
    bytes: int
    words: int
    sha256: str


@dataclass(frozen=True)
class TokenizerCount:
    """How one tokenizer counted the text (tokens None when the request gave token counts)."""

    key: str
    name: str
    exact: bool
    note: str
    available: bool
    tokens: int | None
    chars_per_token: Decimal | None
    tokens_per_word: Decimal | None


@dataclass(frozen=True)
class Estimate:
    schema_version: int
    as_of: datetime
    inputs: dict[str, Any]
    text: TextStats | None
    tokenizers: tuple[TokenizerCount, ...]
    results: tuple[EstimateRow, ...]
    cheapest_fitting: str | None
    without_price: tuple[str, ...]
    elapsed_ms: float


def run_estimate(request: EstimateRequest) -> Estimate:
    started = time.perf_counter()
    at = request.as_of or timezone.now()
    _check_tier(request.service_tier)
    catalogue = _select_models(request, at)
    # A model priced only later than ``as_of`` still gets a row: its tokens, and since when a price
    # is known (never a price it did not have then).
    first_known = first_price_dates([row.model.pk for row in catalogue if row.version is None])
    shown = [row for row in catalogue if row.version or row.model.pk in first_known]
    keys = sorted({row.model.tokenizer_key for row in shown})
    counted = _count(request, shown)
    pricing = _Pricing(request, at, [row.version for row in shown if row.version])
    rows = _rows(request, catalogue, first_known, shown, counted, pricing)
    rows.sort(key=lambda r: (r.total_usd is None, r.total_usd or 0, r.provider, r.model))
    stats = _text_stats(_counted_text(request))
    return Estimate(
        schema_version=SCHEMA_VERSION,
        as_of=at,
        inputs=request.normalised(),
        text=stats,
        tokenizers=tuple(
            _tokenizer_count(key, _first(shown, counted, key), request.text, stats) for key in keys
        ),
        results=tuple(rows),
        cheapest_fitting=_cheapest_fitting(rows),
        without_price=tuple(
            row.model.key for row in catalogue if row.version is None and row.model.pk not in first_known
        ),
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def _check_tier(tier: str) -> None:
    if tier in ("standard", "batch"):
        return  # every model bills these (batch at standard where it has no batch price)
    offered = service_tiers_offered()
    if tier not in offered:
        raise UnknownTier(tier, offered)


def _select_models(request: EstimateRequest, at: datetime) -> tuple[PricedModel, ...]:
    only = None
    if request.models is not None:
        found = LanguageModel.objects.resolve(list(request.models))  # an alias names its model
        missing = [key for key in request.models if key not in found]
        if missing:
            raise UnknownModel(missing[0])
        only = [model.pk for model in found.values()]
    featured_only = request.models is None and not request.all_models
    rows = priced_models(at=at, only=only, featured_only=featured_only)
    if featured_only and request.as_of is not None and not any(row.version for row in rows):
        # No featured model was priced then: the default set is the models that were, featured
        # (with since when each is priced) first.
        then = priced_models(at=at)
        rows = (*rows, *(row for row in then if row.version and not row.model.featured))
    return rows


def _count(request: EstimateRequest, priced: list[PricedModel]) -> dict[str, ModelCount]:
    """Each model's prompt tokens: given, or counted from the text or the conversation."""
    refs = [ModelRef(r.model.provider_slug, r.model.slug, r.model.tokenizer_key) for r in priced]
    conversations = request.conversation_list()
    if request.text is not None:
        return count_models(refs, text=request.text, chat_messages=request.chat_messages)
    if conversations:
        return average_counts(refs, conversations)
    assert request.input_tokens is not None
    return {ref.key: _given(ref, request.input_tokens) for ref in refs}


def _given(ref: ModelRef, tokens: int) -> ModelCount:
    return ModelCount(tokens, 0, None, True, "", None, "given in the request", "as given")


def _first(priced: list[PricedModel], counted: dict[str, ModelCount], key: str) -> ModelCount:
    return next(counted[r.model.key] for r in priced if r.model.tokenizer_key == key)


def _counted_text(request: EstimateRequest) -> str | None:
    """What was counted, for its length and hash: the text, or the conversation's canonical JSON."""
    conversations = request.conversation_list()
    return "\n".join(c.dump() for c in conversations) if conversations else request.text


def _uncounted_row(request: EstimateRequest, row: PricedModel, counted: ModelCount) -> EstimateRow:
    """A priced model whose prompt could not be counted: tokens, costs and fit unknown."""
    assert row.version is not None
    return _new_row({**_model_fields(request, row, counted), **_version_fields(row.version), **NO_COUNT})


def _rows(
    request: EstimateRequest,
    catalogue: tuple[PricedModel, ...],
    first_known: dict[int, datetime],
    shown: list[PricedModel],
    counted: dict[str, ModelCount],
    pricing: _Pricing,
) -> list[EstimateRow]:
    """The estimate's rows, in ``shown``'s order: each priced row with a count from its kept parts
    (``_plan``: its static values, prices and prompt, the same from one re-cost to the next) and
    those of this request's sizes; the others built as they come."""
    output = request.output_tokens
    assert output is not None
    rows = []
    costs = pricing.costs
    new = object.__new__
    for row, count, static, pid, tokens in _plan(catalogue, first_known, shown, counted, pricing):
        if static is None:
            rows.append(  # ``_plan`` leaves these without static values
                _uncounted_row(request, row, count)
                if row.version
                else _unpriced_row(request, row, count, first_known[row.model.pk])
            )
            continue
        model = row.model
        fits = _fits(tokens, output, model.context_window, model.max_output_tokens)
        built = new(EstimateRow)
        values = built.__dict__
        values.update(static)
        values.update(costs(row.version, tokens, fits, pid))  # type: ignore[arg-type]
        rows.append(built)
    return rows


_PlanRow = tuple[PricedModel, ModelCount, "dict[str, Any] | None", int, int]


@dataclass(frozen=True)
class _Plan:
    catalogue: tuple[PricedModel, ...]  # held: its id is part of the key
    rows: list[_PlanRow]


# Per catalogue read (``priced_models`` hands back the same tuple while the catalogue's generation
# token is unchanged), models with a first price, and counts: each shown row with its count, its
# kept static values, its prices' number and its prompt size. A re-cost (another output size) of
# the same text finds them here and only works out each row's fit and costs. Bounded: a few texts.
PLANS_KEPT = 16
_plans: dict[tuple[Any, ...], _Plan] = {}


def _plan(
    catalogue: tuple[PricedModel, ...],
    first_known: dict[int, datetime],
    shown: list[PricedModel],
    counted: dict[str, ModelCount],
    pricing: _Pricing,
) -> list[_PlanRow]:
    counts = [counted[row.model.key] for row in shown]
    distinct: dict[int, int] = {}
    places = tuple(distinct.setdefault(id(count), len(distinct)) for count in counts)
    values: dict[int, ModelCount] = {id(count): count for count in counts}
    key = (id(catalogue), tuple(sorted(first_known.items())), tuple(values[i] for i in distinct), places)
    found = _plans.get(key)
    if found is not None and found.catalogue is catalogue:
        return found.rows
    rows: list[_PlanRow] = []
    for row, count in zip(shown, counts, strict=True):
        if row.version is None or count.input_tokens is None:
            rows.append((row, count, None, 0, 0))
        else:
            pid = prices_id(row.version, pricing.sheets[row.version.pk])
            rows.append((row, count, _priced_static(row, count), pid, count.input_tokens))
    if len(_plans) >= PLANS_KEPT:
        _plans.clear()
    _plans[key] = _Plan(catalogue, rows)
    return rows


def _version_fields(version: VersionFacts) -> dict[str, Any]:
    return {
        "price_version": version.pk,
        "effective_from": version.effective_from,
        "effective_to": version.effective_to,
        "effective_from_earliest": version.effective_from_earliest,
        "start_basis": version.start_basis,
        "price_note": None,
    }


# A priced row's values that do not depend on the request's sizes (its model, count and price
# version), kept across requests like ``_static_fields`` and keyed by the same facts as read, so a
# re-cost (another output size) builds each row from two kept parts. A text's all-models answer
# needs some 2,800 entries; the bound keeps a few texts' worth (a dict of some 30 values each).
PRICED_STATIC_ENTRIES = 10_000
_priced_statics: dict[tuple[PricedModel, ModelCount], dict[str, Any]] = {}


def _priced_static(row: PricedModel, counted: ModelCount) -> dict[str, Any]:
    key = (row, counted)
    found = _priced_statics.get(key)
    if found is None:
        assert row.version is not None
        found = {
            **_model_and_count_fields(row.model, counted),
            **_version_fields(row.version),
            "text_tokens": counted.text_tokens,
            "chat_overhead_tokens": counted.chat_overhead_tokens,
            "tools_tokens": counted.tools_tokens,
            "image_tokens": counted.image_tokens,
            "input_tokens": counted.input_tokens,
        }
        assert found.keys() == _PRICED_STATIC, sorted(_PRICED_STATIC ^ found.keys())
        if len(_priced_statics) >= PRICED_STATIC_ENTRIES:
            _priced_statics.clear()
        _priced_statics[key] = found
    return found


_ROW_FIELDS = frozenset(c.name for c in COLUMNS)
# What ``_Pricing.costs`` gives a priced row with a count; ``_priced_static`` gives the rest.
_COSTS = frozenset(
    {
        "requests_per_month",
        "output_tokens",
        "reasoning_tokens",
        "cached_input_tokens",
        "cache_write_tokens",
        "cache_write_lifetime",
        "fits_context",
        "input_usd",
        "output_usd",
        "total_usd",
        "monthly_usd",
        "tier_applied",
        "batch_applied",
        "service_tier",
        "threshold_note",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
    }
)
_PRICED_STATIC = _ROW_FIELDS - _COSTS


def _new_row(values: dict[str, Any]) -> EstimateRow:
    """``EstimateRow(**values)`` where ``values`` names every field (it has no defaults to fill
    and no checks to run): set at once rather than one frozen field at a time, which was a tenth of
    an all-models estimate."""
    assert values.keys() == _ROW_FIELDS, sorted(_ROW_FIELDS ^ values.keys())
    row = object.__new__(EstimateRow)
    row.__dict__.update(values)
    return row


def _unpriced_row(
    request: EstimateRequest, row: PricedModel, counted: ModelCount, first: datetime
) -> EstimateRow:
    """A model with no price known at ``as_of``: its tokens, no money, and since when it is priced."""
    tokens = counted.input_tokens
    return EstimateRow(
        **_model_fields(request, row, counted),
        **dict.fromkeys(("price_version", "effective_from", "effective_to", "effective_from_earliest")),
        start_basis=None,
        price_note=_price_note(row.model, first, request.as_of or timezone.now()),
        **NO_COUNT
        | {
            "text_tokens": counted.text_tokens,
            "chat_overhead_tokens": counted.chat_overhead_tokens,
            "tools_tokens": counted.tools_tokens,
            "image_tokens": counted.image_tokens,
            "input_tokens": tokens,
        },
    )


def _price_note(model: ModelFacts, first: datetime, at: datetime) -> str:
    """Why a model has no price at ``at``: retired by then, or not priced yet."""
    day = at.date()
    if model.is_retired(at):
        return f"retired on {model.retired_text}; no price after that"
    if first > at:
        return f"no price known before {first:%Y-%m-%d}"
    return f"no price in force on {day:%Y-%m-%d}"


def _model_fields(request: EstimateRequest, row: PricedModel, counted: ModelCount) -> dict[str, Any]:
    """The row's fields that do not depend on a price."""
    assert request.output_tokens is not None
    key = (row.model, counted)
    found = _static_fields.get(key)
    if found is None:
        if len(_static_fields) >= STATIC_FIELDS_ENTRIES:
            _static_fields.clear()
        found = _static_fields[key] = _model_and_count_fields(row.model, counted)
    return {
        **found,
        "requests_per_month": request.requests_per_month,
        "output_tokens": request.output_tokens,
        "reasoning_tokens": request.reasoning_tokens,
    }


# A row's fields from its model and its count alone, kept across requests: a re-cost (another
# output size) or another tick of "All models" asks for the same again. Keyed by the model's facts
# as read (``priced_models``) and the count, so an edited model is a new key.
STATIC_FIELDS_ENTRIES = 20_000
_static_fields: dict[tuple[ModelFacts, ModelCount], dict[str, Any]] = {}


def _model_and_count_fields(model: ModelFacts, counted: ModelCount) -> dict[str, Any]:
    info = tokenizers.get_info(model.tokenizer_key)
    return dict(
        provider=model.provider_slug,
        model=model.slug,
        name=model.name,
        provider_name=model.provider_name,
        tier=model.tier or None,
        status=model.status,
        tokenizer=info.key,
        tokenizer_name=info.name,
        exact=info.exact or counted.quality == PROVIDER_COUNT.label,
        available=counted.available,
        note=counted.note or (None if info.exact else info.note),
        quality=counted.quality,
        count_source=counted.count_source,
        framing=counted.framing,
        image_rule=counted.image_rule,
        context_window=model.context_window,
        max_output_tokens=model.max_output_tokens,
        missing_upstream_since=model.missing_since,
    )


NO_COUNT: dict[str, Any] = dict.fromkeys(COUNTED)


class _Pricing:
    """One estimate's billing. The prompt's usage is worked out once per prompt size, and each bill
    once per distinct prices and prompt size: many models share their prices (of some 2,750 sheets
    in force about 1,200 differ), and equal prices bill alike to the digit (``prices_key``)."""

    def __init__(self, request: EstimateRequest, at: datetime, versions: list[VersionFacts]):
        self.request, self.at = request, at
        self.sheets = sheets_for(versions)
        self._usages: dict[int, tuple[int, int, BillUsage]] = {}
        self._billed: dict[tuple[int, int], dict[str, Any]] = {}
        self._costs: dict[tuple[int, int, bool | None], dict[str, Any]] = {}

    def usage(self, input_tokens: int) -> tuple[int, int, BillUsage]:
        """The cached and cache-written parts of an ``input_tokens`` prompt, and its usage."""
        found = self._usages.get(input_tokens)
        if found is None:
            request = self.request
            assert request.output_tokens is not None and request.reasoning_tokens is not None
            cached = cached_tokens(input_tokens, request.cached_input_share)
            # Each share is rounded on its own; together they never exceed the prompt.
            written = min(cached_tokens(input_tokens, request.cache_write_share), input_tokens - cached)
            usage = cache_usage(
                input_tokens,
                request.output_tokens,
                cached,
                written,
                request.cache_write_lifetime,
                reasoning_tokens=request.reasoning_tokens,
            )
            found = self._usages[input_tokens] = (cached, written, usage)
        return found

    def costs(
        self, version: VersionFacts, input_tokens: int, fits: bool | None, pid: int | None = None
    ) -> dict[str, Any]:
        """A priced row's fields that depend on the request: its sizes, the prompt's cached and
        cache-written parts, its fit and its bill (once per distinct prices, prompt and fit).
        ``pid``: the version's ``prices_id``, when the caller has it."""
        if pid is None:
            pid = prices_id(version, self.sheets[version.pk])
        key = (pid, input_tokens, fits)
        found = self._costs.get(key)
        if found is None:
            request = self.request
            cached, written, _ = self.usage(input_tokens)
            found = self._costs[key] = {
                "requests_per_month": request.requests_per_month,
                "output_tokens": request.output_tokens,
                "reasoning_tokens": request.reasoning_tokens,
                "cached_input_tokens": cached,
                "cache_write_tokens": written,
                "cache_write_lifetime": request.cache_write_lifetime if written else None,
                "fits_context": fits,
                **self.billed(version, input_tokens),
            }
            assert found.keys() == _COSTS, sorted(_COSTS ^ found.keys())
        return found

    def billed(self, version: VersionFacts, input_tokens: int) -> dict[str, Any]:
        """The row's fields the bill gives (costs, the tier and rates billed at, the threshold)."""
        sheet = self.sheets[version.pk]
        key = (prices_id(version, sheet), input_tokens)
        found = self._billed.get(key)
        if found is None:
            bill = sheet_bill(
                sheet, self.usage(input_tokens)[2], service_tier=self.request.service_tier, at=self.at
            )
            prompt = bill.prompt_usd  # a sum over the bill's lines
            found = self._billed[key] = {
                "input_usd": prompt,
                "output_usd": bill.total_usd - prompt,
                "total_usd": bill.total_usd,
                "monthly_usd": monthly_usd(bill.total_usd, self.request.requests_per_month),
                "tier_applied": bill.tier_threshold_tokens,
                "batch_applied": bill.variant == "batch",
                "service_tier": bill.variant,
                "threshold_note": _threshold_note(bill.threshold),
                **rates_charged(sheet, bill),
            }
        return found


def cache_usage(
    input_tokens: int,
    output_tokens: int,
    cached: int,
    written: int,
    lifetime: str,
    *,
    reasoning_tokens: int = 0,
) -> BillUsage:
    """One request's usage as the bill engine reads it: of the ``input_tokens`` prompt,
    ``cached`` are cache reads and ``written`` a cache write of ``lifetime``; the rest is
    billed as input. ``reasoning_tokens`` are hidden output tokens the estimate assumes."""
    return BillUsage(
        input_tokens=input_tokens - cached - written,
        cache_read_tokens=cached,
        cache_write_5m_tokens=written if lifetime == "5m" else 0,
        cache_write_1h_tokens=written if lifetime == "1h" else 0,
        output_tokens=output_tokens,
        reasoning_tokens=reasoning_tokens,
    )


def _threshold_note(notice: ThresholdNotice | None) -> str | None:
    """What the page and exports say when a request passed a threshold (rounded for display)."""
    if notice is None:
        return None
    text = f"over {notice.threshold_tokens:,} prompt tokens: the whole request is billed at the higher rate"
    if notice.saving_usd is None:
        return text
    saving = f"{notice.saving_usd:.2f}" if notice.saving_usd >= Decimal("0.01") else money(notice.saving_usd)
    return f"{text}; {notice.tokens_over:,} fewer tokens would save ${saving}"


def _fits(
    input_tokens: int, output_tokens: int, context_window: int | None, max_output: int | None
) -> bool | None:
    """Whether prompt + expected output fit the context window (and the output the output cap)."""
    if max_output is not None and output_tokens > max_output:
        return False
    if context_window is None:
        return None
    return input_tokens + output_tokens <= context_window


def _cheapest_fitting(rows: list[EstimateRow]) -> str | None:
    """The cheapest row that fits, among models still listed upstream when any of them fits: a
    model no source lists any more may be gone at the price it had."""
    fitting = [r for r in rows if r.fits_context and r.total_usd is not None]
    fitting = [r for r in fitting if r.missing_upstream_since is None] or fitting
    if not fitting:
        return None
    best = min(fitting, key=lambda r: r.total_usd or 0)
    return f"{best.provider}/{best.model}"


def _text_stats(text: str | None) -> TextStats | None:
    if text is None:
        return None
    encoded = text.encode("utf-8", errors="surrogatepass")
    return TextStats(
        characters=len(text),
        bytes=len(encoded),
        words=len(text.split()),
        sha256=hashlib.sha256(encoded).hexdigest(),
    )


def _tokenizer_count(
    key: str, counted: ModelCount, text: str | None, stats: TextStats | None
) -> TokenizerCount:
    info = tokenizers.get_info(key)
    tokens = counted.text_tokens if text is not None else None
    per_token = per_word = None
    if text is not None and tokens is not None and stats is not None:
        per_token, per_word = ratio(stats.characters, tokens), ratio(tokens, stats.words)
    return TokenizerCount(
        key=key,
        name=info.name,
        exact=info.exact,
        note=info.note,
        available=counted.available,
        tokens=tokens,
        chars_per_token=per_token,
        tokens_per_word=per_word,
    )
