"""Replay published snapshots of one source, oldest first, into each model's dated versions.

Pure: no Django imports. Each snapshot goes through the refresh's own path: the source's parser,
``price_problems``, and ``plan_model`` (sheets included) with the
snapshot's publication time as ``now`` and the previous snapshot's as ``seen_since``; so a price
first shown by snapshot S is dated T_S and bounded below by T_prev, and an upstream
``start_date`` keeps its own date. Everything is computed before anything is published, so the
catalogue receives each model's history in date order and stays append-only. A version's
``change.sheet`` is its price in full as the snapshot gave it; ``None`` carries the previous
version's sheet over its flat rates, as publishing does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from pricing.bill.compare import bills_alike
from pricing.bill.notation import carry_sheet
from pricing.bill.rates import Rates
from pricing.bill.sheet import PriceSheet
from pricing.bill.validation import price_problems
from pricing.sources.diff import (
    EVIDENCE_DATE,
    UPSTREAM_DATE,
    CatalogueState,
    Change,
    plan_model,
    same_rates,
    start_of,
)
from pricing.sources.records import ParsedPayload, PriceRecord, ProviderInfo
from pricing.sources.sanity import review_reasons, sanity_problems

# LiteLLM prices some hosts by model size: keys that name a size bracket, not a model.
PRICE_BRACKET = re.compile(r"^together-ai-(up-to-)?[\d.]+b(-[\d.]+b)?$")


@dataclass(frozen=True)
class SnapshotFacts:
    """What identifies a snapshot as evidence (its bytes are in the cache, not here)."""

    project: str
    version: str
    filename: str
    upload_time: datetime
    wheel_sha256: str
    content_sha256: str
    member: str = ""

    @property
    def label(self) -> str:
        return f"{self.project} {self.version}"


@dataclass(frozen=True)
class DatedVersion:
    change: Change
    snapshot: SnapshotFacts  # the snapshot that first showed this price


@dataclass
class ModelHistory:
    """One model as a source's snapshots saw it: identity, limits, and its versions in order."""

    provider: str
    model: str
    name: str
    upstream_id: str
    source: str
    context_window: int | None = None
    max_output_tokens: int | None = None
    deprecated: bool = False
    versions: list[DatedVersion] = field(default_factory=list)
    last_seen: datetime | None = None  # the last snapshot that listed it
    delisted_at: datetime | None = None  # the first snapshot after that one, which did not

    @property
    def key(self) -> str:
        return f"{self.provider}/{self.model}"


@dataclass
class Replay:
    source: str
    models: dict[str, ModelHistory] = field(default_factory=dict)
    snapshots: list[SnapshotFacts] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    providers: dict[str, ProviderInfo] = field(default_factory=dict)  # as the latest snapshot names them
    parsed_share: tuple[int, int] = (0, 0)  # snapshots read, snapshots offered


def replay(source: str, snapshots: Iterable[tuple[SnapshotFacts, ParsedPayload]]) -> Replay:
    """Every model's versions from ``snapshots`` (oldest first, each with its parsed payload)."""
    result = Replay(source)
    seen_since: datetime | None = None
    for facts, parsed in sorted(snapshots, key=lambda pair: pair[0].upload_time):
        result.snapshots.append(facts)
        result.providers.update(parsed.providers)
        for record in _valid_records(parsed, facts, result.refused):
            _apply(result, record, facts, seen_since)
        seen_since = facts.upload_time
    _mark_delisted(result)
    return result


def _mark_delisted(result: Replay) -> None:
    """A model the source stopped listing is delisted from the first snapshot without it: a
    signal for review ("missing upstream since"), never a retirement by itself."""
    times = [facts.upload_time for facts in result.snapshots]
    for history in result.models.values():
        later = [t for t in times if history.last_seen is not None and t > history.last_seen]
        history.delisted_at = later[0] if later else None


def _valid_records(parsed: ParsedPayload, facts: SnapshotFacts, refused: list[str]) -> list[PriceRecord]:
    """One record per model (the first wins, as in the refresh), each with valid rates."""
    first: dict[str, PriceRecord] = {}
    held = review_reasons(parsed.records)  # no reviewer in a replay: what awaits review is left out
    for record in parsed.records:
        problems = [str(p) for point in record.history for p in price_problems(point.rates, point.sheet)]
        problems += sanity_problems(record) + held.get(record.key, [])
        if problems:
            refused.append(f"{facts.label} {record.key}: {problems[0]}")
        else:
            first.setdefault(record.key, record)
    return list(first.values())


def _apply(result: Replay, record: PriceRecord, facts: SnapshotFacts, seen_since: datetime | None) -> None:
    history = result.models.get(record.key)
    if history is None:
        history = result.models[record.key] = ModelHistory(
            record.provider, record.model, record.name, record.upstream_id, result.source
        )
    history.name, history.upstream_id, history.deprecated = record.name, record.upstream_id, record.deprecated
    history.last_seen = facts.upload_time
    history.context_window = record.context_window or history.context_window
    history.max_output_tokens = record.max_output_tokens or history.max_output_tokens
    # Versions scheduled after T_S were announcements; this snapshot restates its own schedule
    # (an announcement withdrawn before its date never took effect).
    history.versions = [v for v in history.versions if v.change.effective_from <= facts.upload_time]
    _take_upstream_dates(history, record, facts)
    latest = history.versions[-1].change if history.versions else None
    state = None
    if latest is not None:
        state = CatalogueState(
            latest.effective_from, latest.rates, latest_sheet=sheet_in_force(history.versions)
        )
    changes = plan_model(
        record, state, now=facts.upload_time, source=facts.label, seen_since=seen_since, review=False
    )
    history.versions += [DatedVersion(change, facts) for change in changes]


def sheet_in_force(versions: list[DatedVersion]) -> PriceSheet | None:
    """The last version's sheet in full: its own, or the one before it carried over its rates."""
    sheet: PriceSheet | None = None
    previous: Rates | None = None
    for dated in versions:
        change = dated.change
        own = change.sheet
        sheet = own if own is not None else carry_sheet(sheet, previous or change.rates, change.rates)
        previous = change.rates
    return sheet


def _take_upstream_dates(history: ModelHistory, record: PriceRecord, facts: SnapshotFacts) -> None:
    """An upstream start date wins over a snapshot's date: a price first dated by evidence that
    a later snapshot gives an explicit, earlier start is moved to that start (before publishing,
    so nothing published is rewritten)."""
    versions = history.versions
    for point in record.history:
        if point.effective_from is None:
            continue
        start = start_of(point.effective_from)
        for index, dated in enumerate(versions):
            change = dated.change
            after_previous = index == 0 or versions[index - 1].change.effective_from < start
            if (
                change.dated_by == EVIDENCE_DATE
                and _same_price(change.rates, point.rates)
                and start < change.effective_from
                and after_previous
            ):
                reason = (
                    f"{change.reason}; start date {start:%Y-%m-%d} from the upstream data ({facts.label})"
                )
                moved = replace(
                    change, effective_from=start, earliest=None, dated_by=UPSTREAM_DATE, reason=reason
                )
                versions[index] = replace(dated, change=moved)


def _same_price(kept: Rates, upstream: Rates) -> bool:
    """Equal, ignoring batch rates the catalogue kept while upstream was silent about them."""
    if upstream.batch_input_usd_per_mtok is None and upstream.batch_output_usd_per_mtok is None:
        kept = replace(kept, batch_input_usd_per_mtok=None, batch_output_usd_per_mtok=None)
    return same_rates(kept, upstream)


def _same_price_in_full(before: list[DatedVersion], first: DatedVersion) -> bool:
    """The same flat rates, and nothing new in the sheet (its own, if any, bills alike)."""
    if not same_rates(before[-1].change.rates, first.change.rates):
        return False
    sheet = sheet_in_force(before)
    return first.change.sheet is None or (sheet is not None and bills_alike(sheet, first.change.sheet))


def merge(
    primary: Replay,
    secondary: Replay,
    *,
    new_providers: Iterable[str] = (),
    legacy_before: datetime | None = None,
) -> list[ModelHistory]:
    """One history per model across two sources: ``primary`` (e.g. genai-prices) from its first
    evidence of a model on, ``secondary`` (e.g. LiteLLM) for the time before it. Models only the
    secondary lists are kept for ``new_providers`` (as the refresh lets LiteLLM create them), and
    those it priced before ``legacy_before`` (the primary's first snapshot: models sold before
    the primary source existed, which it never carried)."""
    allowed = set(new_providers)
    merged = []
    for key in sorted(set(primary.models) | set(secondary.models)):
        first, earlier = primary.models.get(key), secondary.models.get(key)
        if first is None:
            if earlier is not None and _kept_alone(earlier, allowed, legacy_before):
                merged.append(earlier)
            continue
        if earlier is not None and first.versions:
            cutoff = first.versions[0].change.effective_from
            before = [v for v in earlier.versions if v.change.effective_from < cutoff]
            later = first.versions
            if before and _same_price_in_full(before, later[0]):
                later = later[1:]  # the earlier evidence of the same price stands
            first = replace(first, versions=before + later)
            first.context_window = first.context_window or earlier.context_window
            first.max_output_tokens = first.max_output_tokens or earlier.max_output_tokens
        merged.append(first)
    return merged


def _kept_alone(history: ModelHistory, allowed: set[str], legacy_before: datetime | None) -> bool:
    """Whether a model only the secondary source lists joins the catalogue (never a price
    bracket such as Together's ``together-ai-up-to-4b``, which is no model)."""
    if PRICE_BRACKET.match(history.model):
        return False
    if history.provider in allowed:
        return True
    starts = [v.change.effective_from for v in history.versions]
    return legacy_before is not None and bool(starts) and min(starts) < legacy_before
