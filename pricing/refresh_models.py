"""Tables of the price refresh: the payload archive, the per-source lock, and which source
lists which model (so a model gone upstream is marked missing, never deleted).

Imported by ``pricing.models`` so Django registers them with the pricing app.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


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
    model = models.ForeignKey("pricing.LanguageModel", on_delete=models.PROTECT, related_name="listings")
    upstream_id = models.CharField(max_length=300)
    first_seen_at = models.DateTimeField(default=timezone.now)
    missing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "model"], name="one_listing_per_source_and_model")
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.upstream_id}"
