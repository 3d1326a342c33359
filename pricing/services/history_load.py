"""Load the price-history fixture into the catalogue (``load_catalogue`` and the backfill call it).

Append-only: for a model the catalogue already prices, only versions that start after its
latest standing version are published, so curated seed versions (dated by the provider's own
announcement) win over snapshot evidence, and loading twice changes nothing. Versions are
attached to one import run per source, so the refresh's source ranking sees who priced what.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from pricing.bill.from_rates import sheet_from_rates
from pricing.bill.rates import RATE_FIELDS, Rates
from pricing.bill.sheet import PriceSheet
from pricing.bill.validation import price_problems
from pricing.history.fixture import CARRIED, FixtureModel, FixtureVersion, read_fixture
from pricing.history.timeline import SnapshotFacts
from pricing.models import ImportRun, LanguageModel, PriceSnapshot, PriceVersion, Provider
from pricing.services.aliases import canonical, link_known_aliases
from pricing.services.versions import CARRY, Evidence, HistoryEntry, publish_price_history, recorded_snapshot
from pricing.sources.diff import keep_batch, same_rates
from pricing.sources.records import ProviderInfo, model_for_alias, prefixed_twins
from pricing.tokenizing.families import tokenizer_key_for

HISTORY_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "price_history.json.gz"


@dataclass
class HistoryReport:
    models_created: int = 0
    versions_published: int = 0
    models_already_current: int = 0
    runs: dict[str, ImportRun] = field(default_factory=dict)


def load_price_history(*, path: Path = HISTORY_PATH) -> HistoryReport:
    """Publish what the fixture knows and the catalogue lacks; report what was done."""
    report = HistoryReport()
    if not path.exists():
        return report
    models, provider_info = read_fixture(path)
    models = _one_entry_per_model(models)
    with transaction.atomic():
        catalogue = _models_for(models, provider_info, report)
        latest = PriceVersion.objects.prefetch_related("tiers").latest_by_model()
        snapshots: dict[SnapshotFacts, PriceSnapshot] = {}
        histories: dict[LanguageModel, list[HistoryEntry]] = {}
        for entry in models:
            model = canonical(catalogue[(entry.provider, entry.model)])
            versions = _after(latest.get(model.pk), entry.versions)
            if not versions:
                report.models_already_current += 1
                continue
            run = _run_for(entry.source, path, report)
            histories[model] = [_entry(v, snapshots, run) for v in versions]
        report.versions_published = publish_price_history(histories=histories)
        link_known_aliases()  # a name whose entry was folded above still finds its model
        for run in report.runs.values():
            run.versions_published = run.versions.count()
            run.status, run.finished_at = ImportRun.Status.SUCCEEDED, timezone.now()
            run.save()
    return report


def _one_entry_per_model(models: list[FixtureModel]) -> list[FixtureModel]:
    """One model, one row: an entry under another name of a model (``mistral-small-latest``, a
    bare OpenRouter id) is left out where the model has its own entry, else it names the model."""
    twins = prefixed_twins((m.provider, m.model) for m in models)
    keys = {(m.provider, m.model) for m in models}
    kept = []
    for entry in models:
        target = model_for_alias(entry.provider, entry.model, twins)
        if target != entry.model:
            if (entry.provider, target) in keys:
                continue
            keys.add((entry.provider, target))
            entry = replace(entry, model=target)
        kept.append(entry)
    return kept


def _models_for(
    models: list[FixtureModel], info: dict[str, ProviderInfo], report: HistoryReport
) -> dict[tuple[str, str], LanguageModel]:
    """The catalogue's model for each fixture model, creating the missing ones in bulk."""
    catalogue = {(m.provider.slug, m.slug): m for m in LanguageModel.objects.select_related("provider")}
    providers = {p.slug: p for p in Provider.objects.all()}
    missing = [entry for entry in models if (entry.provider, entry.model) not in catalogue]
    for slug in sorted({entry.provider for entry in missing} - set(providers)):
        named = info.get(slug, ProviderInfo(slug, slug))
        providers[slug] = Provider.objects.create(
            slug=slug, name=named.name[:100], pricing_url=named.pricing_url[:200]
        )
    created = LanguageModel.objects.bulk_create(
        [_new_model(entry, providers) for entry in missing], batch_size=500
    )
    report.models_created = len(created)
    catalogue.update({(m.provider.slug, m.slug): m for m in created})
    return catalogue


def _after(latest: PriceVersion | None, versions: tuple[FixtureVersion, ...]) -> list[FixtureVersion]:
    """The versions after the catalogue's latest, without repeating the price in force (a version
    with a sheet of its own may change only the sheet). As in the refresh, a source silent about
    batch prices does not remove the catalogue's (a seeded model's batch rates hold until the
    source lists its own), nor those of the fixture's own version before where a point differs
    from it only in lacking them: the fixture joins sources that are silent about batch at times
    (genai-prices' first gpt-4o point, 2025-07-11, after LiteLLM's 1.25 / 5 from 2024-12-29). A
    point that changes any other rate keeps its own reading, batch or none."""
    previous = latest.to_rates() if latest else None
    # Curated facts win (as in the refresh): over a seed or admin version, a point that restates
    # its flat rates publishes nothing, however its sheet reads (a source's coarser bands).
    curated = latest is not None and latest.is_curated
    kept = []
    for version in versions:
        if latest is not None and version.effective_from <= latest.effective_from:
            continue
        rates, sheet = version.rates, version.sheet
        if previous is not None and (latest is not None or same_rates(keep_batch(rates, previous), previous)):
            rates = keep_batch(rates, previous)
            if latest is None and isinstance(sheet, PriceSheet) and rates.offers_batch:
                sheet = _with_batch(sheet, rates)
        if curated and previous is not None and same_rates(_silent_filled(rates, previous), previous):
            continue
        if previous is None or version.sheet != CARRIED or not same_rates(rates, previous):
            kept.append(replace(version, rates=rates, sheet=sheet))
            previous, curated = rates, False
    return kept


def _with_batch(sheet: PriceSheet, rates: Rates) -> PriceSheet:
    """The point's own sheet, read without the batch it is silent about, with the batch variant its
    carried flat rates imply; where that variant breaks a billing rule (a standard cache read above
    the batch input: gpt-4o-2024-05-13, gpt-5-pro) the sheet stays as the source gave it."""
    candidate = keep_batch(sheet, sheet_from_rates(rates))
    return sheet if price_problems(rates, candidate) else candidate


def _silent_filled(rates: Rates, curated: Rates) -> Rates:
    """``rates`` with each optional rate it is silent about (None) read from the curated version:
    a point that lacks a rate the provider's page gives (genai-prices' first Claude Haiku 4.5 and
    Opus 4.5 points have no 1-hour cache write) restates the curated version, it does not end
    that rate. Long-context tiers are not filled: a point without them is a real reading."""
    filled = {
        name: getattr(curated, name)
        for name in RATE_FIELDS
        if getattr(rates, name) is None and getattr(curated, name) is not None
    }
    return replace(rates, **filled) if filled else rates


def _entry(
    version: FixtureVersion, snapshots: dict[SnapshotFacts, PriceSnapshot], run: ImportRun
) -> HistoryEntry:
    facts = version.snapshot
    if facts not in snapshots:
        snapshots[facts] = recorded_snapshot(facts)
    evidence = Evidence.of(
        dated_by_evidence=version.dated_by_evidence, earliest=version.earliest, snapshot=snapshots[facts]
    )
    sheet = CARRY if version.sheet == CARRIED else version.sheet
    return HistoryEntry(version.rates, version.effective_from, version.reason, evidence, run, sheet)


def _new_model(entry: FixtureModel, providers: dict[str, Provider]) -> LanguageModel:
    return LanguageModel(
        provider=providers[entry.provider],
        slug=entry.model,
        name=entry.name[:200],
        status=LanguageModel.Status.DEPRECATED if entry.deprecated else LanguageModel.Status.ACTIVE,
        context_window=entry.context_window,
        max_output_tokens=entry.max_output_tokens,
        tokenizer_key=tokenizer_key_for(entry.provider, entry.model),
        missing_since=entry.delisted_at,
        notes=f"Added by the {entry.source} price history (upstream id {entry.upstream_id}).",
    )


def _run_for(source: str, path: Path, report: HistoryReport) -> ImportRun:
    if source not in report.runs:
        report.runs[source] = ImportRun.objects.create(source=source, url=f"history:{path.name}")
    return report.runs[source]
