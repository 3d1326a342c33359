"""Reads of the catalogue: what was in force when, for pages and the API."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from django.db import connection
from django.db.models import Min, Prefetch, Q, QuerySet
from django.db.models.sql.constants import MULTI
from django.utils import timezone

from pricing.display.charts import Step
from pricing.models import ImportRun, LanguageModel, PriceVersion

# Longer searches match nothing useful, and SQLite refuses LIKE patterns over 50,000 bytes.
MAX_SEARCH_CHARS = 200

_Built = TypeVar("_Built")


@dataclass(frozen=True)
class CatalogueRow:
    model: LanguageModel
    version: PriceVersion | None


def models_with_prices(
    *,
    at: datetime | None = None,
    provider: str | None = None,
    search: str | None = None,
    featured_only: bool = False,
    only: list[LanguageModel] | None = None,
    include_retired: bool = False,
    with_evidence: bool = True,
) -> list[CatalogueRow]:
    """Every selected model with the price version in force at ``at`` (None when it had none).

    Alias rows are never listed (their model is). A model retired by ``at`` is left out unless
    ``include_retired`` or asked for (``only``, models already resolved), and then has no price:
    it was no longer sold.
    ``with_evidence`` reads each version's tiers and source snapshot too (listings show them;
    an estimate prices from the version's sheet, ``billing.prefetch_sheets``, and needs neither).
    """
    moment = at or timezone.now()
    versions = PriceVersion.objects.effective(at=at)
    if with_evidence:
        versions = versions.select_related("snapshot").prefetch_related("tiers")
    queryset: QuerySet[LanguageModel] = (
        LanguageModel.objects.listed()
        .select_related("provider")
        .prefetch_related(Prefetch("price_versions", queryset=versions, to_attr="versions_in_force"))
    )
    if provider:
        queryset = queryset.filter(provider__slug=provider)
    if featured_only:
        queryset = queryset.filter(featured=True)
    if not include_retired and only is None:
        queryset = queryset.sold(at)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(slug__icontains=search) | Q(provider__name__icontains=search)
        )
    if only is not None:
        queryset = queryset.filter(pk__in=[m.pk for m in only])
    return [CatalogueRow(model=m, version=_in_force(m, moment)) for m in queryset]


def _in_force(model: LanguageModel, moment: datetime) -> PriceVersion | None:
    if model.is_retired(moment):
        return None
    return model.versions_in_force[0] if model.versions_in_force else None  # type: ignore[attr-defined]


class ModelFacts(NamedTuple):
    """What an estimate reads of a model, read as plain values: building some 2,800 model objects
    with their provider and price version was a third of an all-models estimate's time."""

    pk: int
    provider_slug: str
    provider_name: str
    slug: str
    name: str
    tier: str
    status: str
    tokenizer_key: str
    context_window: int | None
    max_output_tokens: int | None
    missing_since: datetime | None
    retired_at: datetime | None
    featured: bool

    @property
    def key(self) -> str:
        return f"{self.provider_slug}/{self.slug}"

    # The model's own rules, read from the same field.
    is_retired = LanguageModel.is_retired
    retired_text = LanguageModel.retired_text


_MODEL_FACTS = (
    "pk",
    "provider__slug",
    "provider__name",
    "slug",
    "name",
    "tier",
    "status",
    "tokenizer_key",
    "context_window",
    "max_output_tokens",
    "missing_since",
    "retired_at",
    "featured",
)


class VersionFacts(NamedTuple):
    """What an estimate row says of its price version; the prices are in its sheet
    (``pricing.selectors.bills.sheets_for``), keyed like ``sheet_of``'s by id and creation time."""

    pk: int
    created_at: datetime
    effective_from: datetime
    effective_to: datetime | None
    effective_from_earliest: datetime | None
    start_basis: str


_VERSION_FACTS = (
    "pk",
    "created_at",
    "effective_from",
    "effective_to",
    "effective_from_earliest",
    "start_basis",
)


class PricedModel(NamedTuple):
    model: ModelFacts
    version: VersionFacts | None


def catalogue_generation() -> str | None:
    """A token the database changes with every write to the providers, models and price versions
    (triggers, migration 0015: any writer, ``QuerySet.update`` and bulk ones included), or None
    where there is none (then nothing read of the catalogue is reused)."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM pricing_cataloguegeneration WHERE id = 1")
        found = cursor.fetchone()
    return found[0] if found else None


class _Kept(NamedTuple):
    token: str
    read_at: datetime
    until: datetime | None  # the next moment a version starts or ends or a model retires
    rows: tuple[PricedModel, ...]


# The catalogue an estimate read, by what it asked (the models, featured only), with the token it
# was read under: reused for any moment in [read_at, until) while the token is the same, so a
# re-cost asks the database one small question instead of two large ones. Bounded like the rows.
KEPT_CATALOGUES = 64
_kept: dict[tuple[tuple[int, ...] | None, bool], _Kept] = {}


def priced_models(
    *, at: datetime, only: list[int] | None = None, featured_only: bool = False
) -> tuple[PricedModel, ...]:
    """``models_with_prices(at=at, only=..., featured_only=..., with_evidence=False)`` as plain
    values, in the same order, with the same version in force: the same querysets, read with
    ``values_list`` (two queries, no model objects), or as read before while the catalogue's
    generation token is the same and no version started or ended and no model retired since (then
    the very tuple read before, which callers may key their own kept work by)."""
    token = catalogue_generation()
    key = (None if only is None else tuple(only), featured_only)
    kept = _kept.get(key)
    if (
        token is not None
        and kept is not None
        and kept.token == token
        and kept.read_at <= at
        and (kept.until is None or at < kept.until)
    ):
        return kept.rows
    rows = _priced_models(at=at, only=only, featured_only=featured_only)
    if token is not None:
        if len(_kept) >= KEPT_CATALOGUES:
            _kept.clear()
        _kept[key] = _Kept(token, at, _next_change(at), rows)
    return rows


def _next_change(at: datetime) -> datetime | None:
    """The first moment after ``at`` when a standing version starts or ends or a model retires:
    until then the versions in force and the models sold are those at ``at``."""
    versions = PriceVersion.objects.standing().aggregate(
        starts=Min("effective_from", filter=Q(effective_from__gt=at)),
        ends=Min("effective_to", filter=Q(effective_to__gt=at)),
    )
    retires = LanguageModel.objects.filter(retired_at__gt=at).aggregate(first=Min("retired_at"))["first"]
    moments = [m for m in (versions["starts"], versions["ends"], retires) if m is not None]
    return min(moments) if moments else None


def _priced_models(*, at: datetime, only: list[int] | None, featured_only: bool) -> tuple[PricedModel, ...]:
    queryset = LanguageModel.objects.listed()
    if featured_only:
        queryset = queryset.filter(featured=True)
    queryset = queryset.sold(at) if only is None else queryset.filter(pk__in=only)
    models = _read(queryset.values_list(*_MODEL_FACTS), _as_model_facts)
    in_force: dict[int, VersionFacts] = {}
    versions = (
        PriceVersion.objects.effective(at=at)
        .filter(model__in=queryset.values("pk"))  # a retired model's versions are dropped below
        .order_by("model_id", "-effective_from")  # as the model's prefetched versions: newest first
        .values_list("model_id", *_VERSION_FACTS)
    )
    for model_id, facts in _read(versions, _as_version_facts):
        in_force.setdefault(model_id, facts)
    return tuple(PricedModel(m, None if m.is_retired(at) else in_force.get(m.pk)) for m in models)


def _as_model_facts(values: tuple[Any, ...]) -> ModelFacts:
    return ModelFacts(*values)


def _as_version_facts(values: tuple[Any, ...]) -> tuple[int, VersionFacts]:
    return values[0], VersionFacts(*values[1:])


# What the rows an estimate reads became, by the row as the database driver returned it (before
# Django's conversions: on SQLite every moment is text parsed into an aware datetime, a quarter of
# an all-models estimate). Keyed by the row's every value, so an edit, a retirement or a new
# version is a new row and read afresh, in every process, with no stamp to keep; only the query
# and the driver's fetch remain per request. Bounded like the sheet cache.
ROW_CACHE_ENTRIES = 20_000
_converted: dict[tuple[Any, ...], Any] = {}


def _read(queryset: QuerySet[Any], build: Callable[[tuple[Any, ...]], _Built]) -> list[_Built]:
    """``[build(values) for values in queryset]`` (a ``values_list`` queryset), each row converted
    and built once per process for as long as the database returns it unchanged."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    raw = [tuple(row) for chunk in compiler.execute_sql(MULTI) or () for row in chunk]
    # Read once per row: another thread may empty the cache meanwhile.
    built: list[Any] = [_converted.get((build, row)) for row in raw]
    missing = [index for index, found in enumerate(built) if found is None]
    if missing:
        if len(_converted) + len(missing) > ROW_CACHE_ENTRIES:
            _converted.clear()
        # Django's conversions, these rows only
        converted = compiler.results_iter(results=[[raw[index] for index in missing]])
        for index, values in zip(missing, converted, strict=True):
            built[index] = _converted[build, raw[index]] = build(tuple(values))
    return built


def first_price_dates(model_ids: list[int]) -> dict[int, datetime]:
    """When each model's first standing price version starts (models with none are left out);
    the answer kept while the catalogue's generation token is the same."""
    token = catalogue_generation()
    key = frozenset(model_ids)
    found = _first_dates.get(key)
    if token is not None and found is not None and found[0] == token:
        return dict(found[1])
    dates = _first_price_dates(model_ids)
    if token is not None:
        if len(_first_dates) >= KEPT_CATALOGUES:
            _first_dates.clear()
        _first_dates[key] = (token, dates)
    return dict(dates)


_first_dates: dict[frozenset[int], tuple[str, dict[int, datetime]]] = {}


def _first_price_dates(model_ids: list[int]) -> dict[int, datetime]:
    firsts = (
        PriceVersion.objects.standing()
        .filter(model_id__in=model_ids)
        .values("model_id")
        .annotate(first=Min("effective_from"))
    )
    return {row["model_id"]: row["first"] for row in firsts}


def nearest_model_keys(name: str, *, limit: int = 3) -> list[str]:
    """The catalogue's ``provider/model`` names closest to ``name`` (for "did you mean")."""
    keys = [
        f"{provider}/{slug}"
        for provider, slug in LanguageModel.objects.listed().values_list("provider__slug", "slug")
    ]
    if "/" not in name:
        by_slug = {key.partition("/")[2]: key for key in keys}
        return [by_slug[s] for s in difflib.get_close_matches(name, list(by_slug), n=limit, cutoff=0.5)]
    return difflib.get_close_matches(name, keys, n=limit, cutoff=0.5)


def find_model(provider: str, model: str) -> LanguageModel | None:
    """The model named ``provider/model``, or the model it is another name of."""
    key = f"{provider}/{model}"
    return LanguageModel.objects.resolve([key]).get(key)


def priced_model_count(*, at: datetime | None = None) -> int:
    """How many listed models had a known price at ``at`` (default: now)."""
    sold = LanguageModel.objects.listed().sold(at)
    return PriceVersion.objects.effective(at=at).filter(model__in=sold).values("model_id").distinct().count()


def price_history(model: LanguageModel) -> QuerySet[PriceVersion]:
    """All versions of ``model``, newest first, with tiers and who made them."""
    return (
        PriceVersion.objects.filter(model=model)
        .select_related("created_by", "import_run", "snapshot")
        .prefetch_related("tiers")
        .order_by("-effective_from")
    )


def last_refresh(source: str | None = None) -> ImportRun | None:
    """The latest run that succeeded or found no change (optionally of one source)."""
    done = (ImportRun.Status.SUCCEEDED, ImportRun.Status.NO_CHANGE)
    runs = ImportRun.objects.filter(status__in=done, dry_run=False)
    if source:
        runs = runs.filter(source=source)
    return runs.order_by("-finished_at", "-pk").first()


def chart_steps(history: list[PriceVersion]) -> list[Step]:
    """A model's versions (any order) as the chart's steps, oldest first; a retired model's last
    price ends on its retirement day."""
    ordered = sorted((v for v in history if v.withdrawn_at is None), key=lambda v: v.effective_from)
    if not ordered:
        return []
    end_of_sale = ordered[0].model.retired_at
    return [
        Step(v.effective_from, v.effective_to or end_of_sale, v.input_usd_per_mtok, v.output_usd_per_mtok)
        for v in ordered
    ]
