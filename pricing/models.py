"""The versioned price catalogue.

A ``PriceVersion`` is append-only: once published, its rates never change and it is never
deleted. A new price is a new version; publishing it closes the previous one
(``effective_to`` = the new ``effective_from``). Only ``effective_to`` (closing) and
``verified_at`` (a later check that the price still holds) may ever be written afterwards.
Every write goes through ``pricing.services``.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .costs import Rates, TierRates

MONEY = {"max_digits": 20, "decimal_places": 10}


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
    slug = models.CharField(
        max_length=200, help_text="The provider's own API model id, e.g. gpt-4.1-mini."
    )
    name = models.CharField("display name", max_length=200)
    tier = models.CharField(max_length=10, choices=Tier.choices, blank=True, default="")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    context_window = models.PositiveIntegerField(null=True, blank=True, help_text="Tokens.")
    max_output_tokens = models.PositiveIntegerField(null=True, blank=True)
    tokenizer_key = models.CharField(
        max_length=40, help_text="Which tokenizer counts this model's tokens (see /api/v1/tokenizers)."
    )
    featured = models.BooleanField(default=False, help_text="Shown by default on the calculator.")
    missing_since = models.DateTimeField(
        null=True, blank=True, help_text="Set when an import no longer finds this model upstream."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["provider__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "slug"], name="unique_model_per_provider")
        ]

    def __str__(self) -> str:
        return f"{self.provider.name} {self.name}"

    @property
    def key(self) -> str:
        """The API's ``provider/model`` reference."""
        return f"{self.provider.slug}/{self.slug}"


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
    def effective(self, at: datetime | None = None) -> PriceVersionQuerySet:
        """Versions in force at ``at`` (default: now); half-open [effective_from, effective_to)."""
        at = at or timezone.now()
        return self.filter(effective_from__lte=at).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=at)
        )

    def update(self, **kwargs: object) -> int:
        forbidden = set(kwargs) - PriceVersion.MUTABLE_FIELDS
        if forbidden:
            raise PermissionDenied(
                f"Price versions are append-only; cannot update {', '.join(sorted(forbidden))}."
            )
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Price versions are never deleted.")


class PriceVersion(models.Model):
    """The rates of one model over one period. USD per million tokens unless named otherwise."""

    class Origin(models.TextChoices):
        SEED = "seed", "Seed catalogue"
        ADMIN = "admin", "Admin"
        IMPORT = "import", "Import"

    MUTABLE_FIELDS = frozenset({"effective_to", "verified_at"})

    model = models.ForeignKey(LanguageModel, on_delete=models.PROTECT, related_name="price_versions")
    input_usd_per_mtok = models.DecimalField("input", **MONEY)
    output_usd_per_mtok = models.DecimalField("output", **MONEY)
    cache_read_usd_per_mtok = models.DecimalField("cache read", null=True, blank=True, **MONEY)
    cache_write_5m_usd_per_mtok = models.DecimalField(
        "cache write (5 min)", null=True, blank=True, **MONEY
    )
    cache_write_1h_usd_per_mtok = models.DecimalField(
        "cache write (1 h)", null=True, blank=True, **MONEY
    )
    batch_input_usd_per_mtok = models.DecimalField("batch input", null=True, blank=True, **MONEY)
    batch_output_usd_per_mtok = models.DecimalField("batch output", null=True, blank=True, **MONEY)
    request_usd = models.DecimalField(
        "fee per request (USD)", null=True, blank=True, **MONEY
    )
    effective_from = models.DateTimeField()
    effective_to = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )
    change_reason = models.TextField()
    locked = models.BooleanField(
        default=False, help_text="Imports never overwrite a locked price; they propose instead."
    )
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
                fields=["model", "effective_from"], name="one_price_version_per_start"
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

    def to_rates(self) -> Rates:
        return Rates(
            input_usd_per_mtok=self.input_usd_per_mtok,
            output_usd_per_mtok=self.output_usd_per_mtok,
            cache_read_usd_per_mtok=self.cache_read_usd_per_mtok,
            cache_write_5m_usd_per_mtok=self.cache_write_5m_usd_per_mtok,
            cache_write_1h_usd_per_mtok=self.cache_write_1h_usd_per_mtok,
            batch_input_usd_per_mtok=self.batch_input_usd_per_mtok,
            batch_output_usd_per_mtok=self.batch_output_usd_per_mtok,
            request_usd=self.request_usd,
            tiers=tuple(tier.to_tier_rates() for tier in self.tiers.all()),
        )


class PriceTier(models.Model):
    """A long-context tier of a price version: above ``threshold_tokens`` prompt tokens these
    rates apply to the whole request. Append-only with its version."""

    version = models.ForeignKey(PriceVersion, on_delete=models.PROTECT, related_name="tiers")
    threshold_tokens = models.PositiveIntegerField(help_text="Applies when the prompt is above this.")
    input_usd_per_mtok = models.DecimalField("input", **MONEY)
    output_usd_per_mtok = models.DecimalField("output", **MONEY)
    cache_read_usd_per_mtok = models.DecimalField("cache read", null=True, blank=True, **MONEY)
    cache_write_5m_usd_per_mtok = models.DecimalField(
        "cache write (5 min)", null=True, blank=True, **MONEY
    )
    cache_write_1h_usd_per_mtok = models.DecimalField(
        "cache write (1 h)", null=True, blank=True, **MONEY
    )

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
        return TierRates(
            threshold_tokens=self.threshold_tokens,
            input_usd_per_mtok=self.input_usd_per_mtok,
            output_usd_per_mtok=self.output_usd_per_mtok,
            cache_read_usd_per_mtok=self.cache_read_usd_per_mtok,
            cache_write_5m_usd_per_mtok=self.cache_write_5m_usd_per_mtok,
            cache_write_1h_usd_per_mtok=self.cache_write_1h_usd_per_mtok,
        )


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


# The refresh's own tables (payload archive, source lock, listings) live in their own module.
from .refresh_models import PricePayload, SourceListing, SourceLock  # noqa: E402, F401
