"""Apply one parsed payload to the catalogue (called inside the run's transaction).

Loads what the catalogue holds, asks the pure diff what to publish or propose, and writes
through ``pricing.services.versions.publish_price_version`` (the only writer of price versions). Nothing
is deleted: a model no source lists any more gets ``missing_since``.

A payload read from a published release (``release``: LiteLLM's map in its newest wheel, at setup)
is evidence of its upload time, not of the run's: a change it shows is dated by that upload,
within the window since the source's snapshot before it, and names the release as its evidence.
A cross-check source (LiteLLM, OpenRouter) never changes a curated price: it disagrees.
LiteLLM's ``deprecation_date`` becomes the model's retirement where no curated or admin moment
exists (``_date_retirement``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from pricing.bill.notation import exact_notation
from pricing.bill.validation import price_problems
from pricing.history.snapshots import Snapshot
from pricing.models import (
    ImportRun,
    LanguageModel,
    PriceProposal,
    PriceSnapshot,
    PriceVersion,
    Provider,
    SourceListing,
)
from pricing.models.sheets import SHEET_ROWS, price_sheet
from pricing.refresh.errors import RefreshRefused
from pricing.refresh.observe import observe_prices
from pricing.services.aliases import canonical, link_aliases
from pricing.services.lifecycle import lifecycle_status
from pricing.services.seed import ensure_seeded
from pricing.services.versions import CARRY, Evidence, publish_price_version, recorded_snapshot
from pricing.sources import SOURCES
from pricing.sources.diff import (
    EVIDENCE_DATE,
    PROPOSE,
    CatalogueState,
    Change,
    change_summary,
    plan_model,
    rates_to_json,
    start_of,
)
from pricing.sources.genai_prices_v2 import TIME_OF_DAY_CONVENTION
from pricing.sources.limits import context_index, context_window_for
from pricing.sources.litellm import is_litellm_source
from pricing.sources.records import ParsedPayload, PriceRecord
from pricing.sources.sanity import review_reasons, sanity_problems
from pricing.tokenizing.families import tokenizer_key_for

# More than this share of invalid models means the file itself is broken: refuse it all.
MAX_INVALID_SHARE = 0.1
# The run URL of a release read without its download URL (a copy cached before URLs were kept).
RELEASE_PREFIX = "release:"
# A version confirmed by an import is marked verified at most this often.
VERIFY_INTERVAL = timedelta(hours=1)


@dataclass
class Catalogue:
    """The slice of the catalogue one run works on, loaded in a few queries."""

    models: dict[tuple[str, str], LanguageModel]
    latest: dict[int, PriceVersion]
    outranked: set[int]
    listings: dict[int, SourceListing]
    pending: set[tuple[int, str]]
    providers: dict[str, Provider]
    seen_since: datetime | None = None  # the source's previous observation: bounds a new price's start
    verify: list[int] = field(default_factory=list)
    held: dict[str, list[str]] = field(default_factory=dict)  # record key -> why it awaits review
    snapshot: PriceSnapshot | None = None  # the published release the payload was read from


def apply_payload(
    *, run: ImportRun, source: str, parsed: ParsedPayload, now: datetime, release: Snapshot | None = None
) -> None:
    """Bring the catalogue in line with ``parsed``; counts, diff and problems go on ``run``.
    ``now`` is the moment of the evidence: the fetch, or the upload of ``release``."""
    if settings.PRICE_REFRESH_SEED_FIRST:
        # Curated versions are dated from the provider's own announcements and must come before
        # any import: history is append-only, so a seed loaded after an import could not date them.
        ensure_seeded()
    records = _unique(parsed, run)
    valid = [r for r in records if _is_valid(r, run)]
    if len(records) - len(valid) > len(records) * MAX_INVALID_SHARE:
        raise RefreshRefused(f"{len(records) - len(valid)} of {len(records)} models have invalid prices")
    run.models_seen = parsed.models_in_payload
    catalogue = _load(source)
    catalogue.seen_since = _previous_observation(source, run)
    if release is not None:
        catalogue.snapshot, catalogue.seen_since = _release_evidence(release)
    catalogue.held = review_reasons(valid)
    run.problems += [{"model": key, "review": why} for key, whys in catalogue.held.items() for why in whys]
    # A refused record is still listed upstream: its model is not "missing".
    valid_keys = {r.key for r in valid}
    refused = [catalogue.models.get((r.provider, r.model)) for r in records if r.key not in valid_keys]
    seen = {model.pk for model in refused if model is not None}
    matched = []
    for record in valid:
        model = _model_for(record, source, parsed, catalogue, run)
        if model is None:
            continue
        seen.add(model.pk)
        matched.append((record, model))
        _apply_record(record, model, source, catalogue, run, now)
    observe_prices(source=source, matched=matched, models=catalogue.models, now=now)
    _mark_missing(source, seen, catalogue, run, now)
    if source == "litellm":
        _fill_context_windows(valid, catalogue, run)
    PriceVersion.objects.filter(pk__in=catalogue.verify).filter(
        Q(verified_at__isnull=True) | Q(verified_at__lt=now - VERIFY_INTERVAL)
    ).update(verified_at=now)


def _unique(parsed: ParsedPayload, run: ImportRun) -> list[PriceRecord]:
    """One record per catalogue model: the first wins, later ones are reported."""
    first: dict[str, PriceRecord] = {}
    run.problems += [{"skipped": text} for text in parsed.skipped]
    for record in parsed.records:
        if record.key in first:
            run.problems.append(
                {
                    "skipped": f"{record.upstream_id}: same model as "
                    f"{first[record.key].upstream_id} ({record.key})"
                }
            )
        else:
            first[record.key] = record
    return list(first.values())


def _is_valid(record: PriceRecord, run: ImportRun) -> bool:
    problems = [
        {
            "model": record.key,
            "effective_from": str(point.effective_from or "undated"),
            "field": problem.field,
            "message": f"refused: {problem.message}",
        }
        for point in record.history
        for problem in price_problems(point.rates, point.sheet)
    ]
    problems += [{"model": record.key, "message": f"refused: {text}"} for text in sanity_problems(record)]
    run.problems += problems + [{"model": record.key, "note": note} for note in record.notes]
    return not problems


def _load(source: str) -> Catalogue:
    models = {(m.provider.slug, m.slug): m for m in LanguageModel.objects.select_related("provider")}
    latest = PriceVersion.objects.prefetch_related(*SHEET_ROWS).latest_by_model()
    higher = [name for name, info in SOURCES.items() if info.priority < SOURCES[source].priority]
    outranked = set(
        PriceVersion.objects.filter(import_run__source__in=higher).values_list("model_id", flat=True)
    )
    if SOURCES[source].priority > 0:  # a cross-check source: curated prices are not its to change
        outranked |= {model_id for model_id, version in latest.items() if version.is_curated}
    pending = {
        (p.model_id, _key(p.proposed))
        for p in PriceProposal.objects.filter(status=PriceProposal.Status.PENDING)
    }
    return Catalogue(
        models=models,
        latest=latest,
        outranked=outranked,
        listings={x.model_id: x for x in SourceListing.objects.filter(source=source)},
        pending=pending,
        providers={p.slug: p for p in Provider.objects.all()},
    )


def _previous_observation(source: str, run: ImportRun) -> datetime | None:
    """When this source was last fetched successfully: a price it did not show then was set after.
    A run that read a published release observed the source as of that release's upload."""
    done = (ImportRun.Status.SUCCEEDED, ImportRun.Status.NO_CHANGE)
    previous = (
        ImportRun.objects.filter(source=source, status__in=done, dry_run=False)
        .exclude(pk=run.pk)
        .exclude(url__startswith="history:")
        .order_by("-started_at")
        .values_list("started_at", "url")
        .first()
    )
    if previous is None:
        return None
    started, url = previous
    wheel = url.rsplit("/", 1)[-1].removeprefix(RELEASE_PREFIX)
    uploaded = None
    if wheel.endswith(".whl"):
        uploaded = PriceSnapshot.objects.filter(filename=wheel).values_list("upload_time", flat=True).first()
    return uploaded or started


def _release_evidence(release: Snapshot) -> tuple[PriceSnapshot, datetime | None]:
    """The release as recorded evidence, and the source's snapshot before it (a window's start)."""
    snapshot = recorded_snapshot(release)
    before = (
        PriceSnapshot.objects.filter(project=release.project, upload_time__lt=release.upload_time)
        .order_by("-upload_time")
        .values_list("upload_time", flat=True)
        .first()
    )
    return snapshot, before


def _key(proposed: dict) -> str:
    # Sorted at every depth: PostgreSQL's jsonb hands a stored proposal's nested sheet back with
    # its keys in another order, and the same pending proposal must still be recognised.
    return json.dumps(proposed, sort_keys=True)


def _model_for(
    record: PriceRecord, source: str, parsed: ParsedPayload, catalogue: Catalogue, run: ImportRun
) -> LanguageModel | None:
    model = catalogue.models.get((record.provider, record.model))
    if model is not None:
        return canonical(model)
    if not _may_create(source, record.provider):
        return None
    provider = catalogue.providers.get(record.provider)
    if provider is None:
        info = parsed.providers.get(record.provider)
        provider = Provider.objects.create(
            slug=record.provider,
            name=(info.name if info else record.provider)[:100],
            pricing_url=(info.pricing_url if info else "")[:200],
        )
        catalogue.providers[provider.slug] = provider
    model = LanguageModel.objects.create(
        provider=provider,
        slug=record.model,
        name=record.name[:200],
        status=LanguageModel.Status.DEPRECATED if record.deprecated else LanguageModel.Status.ACTIVE,
        context_window=record.context_window,
        max_output_tokens=record.max_output_tokens,
        tokenizer_key=tokenizer_key_for(record.provider, record.model, record.tokenizer_family),
        notes=_notes_for(record, source),
    )
    catalogue.models[(record.provider, record.model)] = model
    run.models_created += 1
    run.diff.append({"model": record.key, "action": "create_model"})
    return model


def _notes_for(record: PriceRecord, source: str) -> str:
    notes = f"Added by the {source} price import (upstream id {record.upstream_id})."
    if any(point.sheet is not None and point.sheet.bands for point in record.history):
        notes += f" Time-of-day prices: {TIME_OF_DAY_CONVENTION}."
    return notes


def _may_create(source: str, provider: str) -> bool:
    if source != "litellm":
        return True
    # LiteLLM adds models only for providers the other sources lack (it mostly cross-checks).
    return provider in settings.PRICE_REFRESH_LITELLM_NEW_PROVIDERS


def _apply_record(
    record: PriceRecord,
    model: LanguageModel,
    source: str,
    catalogue: Catalogue,
    run: ImportRun,
    now: datetime,
) -> None:
    _fill_limits(record, model, source, run)
    if source == "litellm":
        _date_retirement(record, model, run)
    _list(record, model, source, catalogue, now)
    if record.aliases:
        link_aliases(model=model, names=record.aliases)
    if model.is_retired(now):
        return  # no longer served: a source still listing it does not price it again
    latest = catalogue.latest.get(model.pk)
    state = (
        CatalogueState(
            latest.effective_from,
            latest.to_rates(),
            latest.locked,
            price_sheet(latest),
            curated=latest.is_curated,
        )
        if latest
        else None
    )
    if model.pk in catalogue.outranked:
        _cross_check(record, state, source, run, now)
        return
    changes = plan_model(record, state, now=now, source=source, seen_since=catalogue.seen_since)
    if record.key in catalogue.held:  # a price that looks like a mistake is proposed, never published
        changes = [replace(change, action=PROPOSE) for change in changes]
    for change in changes:
        _publish_or_propose(change, model, latest, source, catalogue, run, now)
    if not changes and latest is not None:
        catalogue.verify.append(latest.pk)


def _fill_limits(record: PriceRecord, model: LanguageModel, source: str, run: ImportRun) -> None:
    """Fill a missing context window or output cap; a value the catalogue holds stands, and where
    a cross-check source gives another one the run notes it (the disagreement, for review)."""
    updates = {}
    if model.context_window is None and record.context_window:
        updates["context_window"] = record.context_window
        updates["context_window_source"] = window_source(source, run)
    elif record.context_window and model.context_window != record.context_window and SOURCES[source].priority:
        run.problems.append(
            {
                "model": model.key,
                "note": f"{source} gives a context window of {record.context_window:,} tokens; "
                f"the catalogue's {model.context_window:,} stands",
            }
        )
    if model.max_output_tokens is None and record.max_output_tokens:
        updates["max_output_tokens"] = record.max_output_tokens
    if updates:
        LanguageModel.objects.filter(pk=model.pk).update(**updates)
        for name, value in updates.items():
            setattr(model, name, value)


def _date_retirement(record: PriceRecord, model: LanguageModel, run: ImportRun) -> None:
    """LiteLLM's shutdown day (``deprecation_date``) as the model's retirement at 00:00 UTC, with
    the release (or map) it came from as its source: where the model has no retirement moment or
    only one an earlier LiteLLM import wrote. A curated or admin moment is never replaced, and a
    featured model is not retired by an import: the run's problems name it for review."""
    source_url = run.url if run.url.startswith("http") else ""
    if record.retires_on is None or not source_url or record.model.lower() != model.slug.lower():
        return  # (a day said of another id of the model, such as a moving alias, is not its own)
    moment = start_of(record.retires_on)
    current = model.retired_at
    if current is not None and not is_litellm_source(model.retirement_source_url):
        if current.date() != record.retires_on:  # a curated moment has the time LiteLLM's day lacks
            run.problems.append(
                {
                    "model": model.key,
                    "note": f"LiteLLM says shut down on {record.retires_on}; the catalogue's "
                    f"{current:%Y-%m-%d %H:%M} UTC ({model.retirement_source_url or 'no source'}) stands",
                }
            )
        return
    if (current, model.retirement_source_url) == (moment, source_url):
        return
    if model.status == LanguageModel.Status.RETIRED and current is None and moment > timezone.now():
        return  # retired already, on a day no source gave: a shutdown ahead cannot be right
    changes: dict[str, object] = {"retired_at": moment, "retirement_source_url": source_url}
    status = lifecycle_status(moment)
    if status.get("featured") is False and model.featured:
        run.problems.append(
            {
                "model": model.key,
                "note": f"featured, but LiteLLM says shut down on {record.retires_on}: not retired by "
                "an import; review the featured set and the provider's page",
            }
        )
        return
    if model.status != LanguageModel.Status.RETIRED:
        changes |= status
    LanguageModel.objects.filter(pk=model.pk).update(**changes)
    for name, value in changes.items():
        setattr(model, name, value)
    run.diff.append({"model": model.key, "action": "retires", "retired_at": moment.isoformat()})


def window_source(source: str, run: ImportRun | None) -> str:
    """What a filled window records as its source: the source, and the release or URL read."""
    where = run.url if run is not None else ""
    return f"{source} ({where})"[:500] if where else source


def _fill_context_windows(records: list[PriceRecord], catalogue: Catalogue, run: ImportRun) -> None:
    """LiteLLM knows the context window of many models the price sources leave without one; where
    it has no entry, the window the catalogue's own models of that id agree on."""
    fill_context_windows(records, catalogue.models, run)


def fill_context_windows_offline() -> int:
    """Without a LiteLLM map: a host's copy of a model gets the window the catalogue agrees on."""
    models = {(m.provider.slug, m.slug): m for m in LanguageModel.objects.select_related("provider")}
    return fill_context_windows([], models, None)


def fill_context_windows(
    records: list[PriceRecord], models: dict[tuple[str, str], LanguageModel], run: ImportRun | None
) -> int:
    """Fill the models without a window from ``records`` and the catalogue; how many were."""
    known = [(p, s, m.context_window) for (p, s), m in models.items() if m.context_window]
    index = context_index(records, known)
    filled = 0
    for (provider, slug), model in models.items():
        tokens = None if model.context_window else context_window_for(provider, slug, index)
        if tokens:
            where = (
                f"{window_source('litellm', run)}, else the window most of its id's models give"
                if run is not None
                else "the window most of the catalogue's models of its id give"
            )
            LanguageModel.objects.filter(pk=model.pk).update(
                context_window=tokens, context_window_source=where
            )
            model.context_window = tokens
            filled += 1
            if run is not None:
                run.diff.append({"model": model.key, "action": "context_window", "context_window": tokens})
    return filled


def _list(
    record: PriceRecord, model: LanguageModel, source: str, catalogue: Catalogue, now: datetime
) -> None:
    listing = catalogue.listings.get(model.pk)
    if listing is None:
        catalogue.listings[model.pk] = SourceListing.objects.create(
            source=source, model=model, upstream_id=record.upstream_id[:300], first_seen_at=now
        )
    elif listing.missing_since is not None:
        SourceListing.objects.filter(pk=listing.pk).update(missing_since=None)
        listing.missing_since = None
    if model.missing_since is not None:
        LanguageModel.objects.filter(pk=model.pk).update(missing_since=None)
        model.missing_since = None


def _cross_check(record: PriceRecord, state: CatalogueState | None, source: str, run: ImportRun, now) -> None:
    changes = plan_model(record, state, now=now, source=source)
    if changes:
        line = change_summary(changes[-1])
        line["action"] = "disagrees"
        line["reason"] = f"{source} differs from the price a higher-priority source set (not applied)"
        run.diff.append(line)


def _publish_or_propose(
    change: Change,
    model: LanguageModel,
    latest: PriceVersion | None,
    source: str,
    catalogue: Catalogue,
    run: ImportRun,
    now: datetime,
) -> None:
    url = run.url if run.url.startswith("http") else ""
    if change.action == PROPOSE:
        _propose(change, model, latest, catalogue, run, url)
    else:
        version = publish_price_version(
            model=model,
            rates=change.rates,
            effective_from=change.effective_from,
            origin="import",
            change_reason=change.reason,
            source_url=url,
            import_run=run,
            verified_at=now,
            evidence=Evidence.of(
                dated_by_evidence=change.dated_by == EVIDENCE_DATE,
                earliest=change.earliest,
                snapshot=catalogue.snapshot,
            ),
            sheet=CARRY if change.sheet is None else change.sheet,
        )
        catalogue.latest[model.pk] = version
        run.versions_published += 1
    run.diff.append(change_summary(change))


def _propose(
    change: Change,
    model: LanguageModel,
    latest: PriceVersion | None,
    catalogue: Catalogue,
    run: ImportRun,
    url: str,
) -> None:
    """A change for review; the same proposal pending already is not made twice."""
    proposed = rates_to_json(change.rates)
    if change.sheet is not None:
        try:
            proposed["extras"] = exact_notation(change.sheet, change.rates)
        except ValueError as error:
            run.problems.append({"model": model.key, "note": f"not proposed: {error}"})
            return
    if (model.pk, _key(proposed)) in catalogue.pending:
        return
    PriceProposal.objects.create(
        model=model,
        import_run=run,
        current_version=latest,
        proposed=proposed,
        effective_from=change.effective_from,
        source_url=url,
        reason=change.reason,
    )
    catalogue.pending.add((model.pk, _key(proposed)))
    run.proposals_created += 1


def _mark_missing(source: str, seen: set[int], catalogue: Catalogue, run: ImportRun, now: datetime) -> None:
    gone = [x for model_id, x in catalogue.listings.items() if model_id not in seen and not x.missing_since]
    if not gone:
        return
    SourceListing.objects.filter(pk__in=[x.pk for x in gone]).update(missing_since=now)
    still_listed = set(
        SourceListing.objects.filter(missing_since__isnull=True).values_list("model_id", flat=True)
    )
    vanished = [x.model_id for x in gone if x.model_id not in still_listed]
    LanguageModel.objects.filter(pk__in=vanished, missing_since__isnull=True).update(missing_since=now)
    run.diff += [{"model": x.upstream_id, "action": "missing_upstream"} for x in gone]
