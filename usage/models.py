"""Usage imports and their rows. An import is private: its id is a secret, as a saved
comparison's is; whoever holds the link can read or delete it."""

from __future__ import annotations

import secrets

from django.db import models

from pricing.models import LanguageModel, PriceVersion

MONEY = {"max_digits": 24, "decimal_places": 12}


def new_import_id() -> str:
    return secrets.token_urlsafe(18)  # 24 URL-safe characters: a secret, not a counter


class UsageImport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    id = models.CharField(primary_key=True, max_length=32, default=new_import_id, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    format = models.CharField(max_length=32, help_text="The file's format: generic, generic-json, ...")
    filename = models.CharField(max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True, help_text="Known once the file is read.")
    rows_done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the import failed, naming the row.")
    error_row = models.PositiveIntegerField(null=True, blank=True)
    summary = models.JSONField(default=dict, help_text="Totals and breakdowns (exact decimals as text).")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Usage import {self.id[:6]}… ({self.status})"


class UsageRow(models.Model):
    """One request of the file, billed at its own moment; ``cost_usd`` is None when unpriced."""

    usage_import = models.ForeignKey(UsageImport, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(help_text="The row in the file (the CSV header is row 1).")
    at = models.DateTimeField()
    model_name = models.CharField(max_length=255, help_text="The model as the file names it.")
    model = models.ForeignKey(
        LanguageModel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    input_tokens = models.PositiveBigIntegerField(default=0)
    cache_read_tokens = models.PositiveBigIntegerField(default=0)
    cache_write_5m_tokens = models.PositiveBigIntegerField(default=0)
    cache_write_1h_tokens = models.PositiveBigIntegerField(default=0)
    output_tokens = models.PositiveBigIntegerField(default=0)
    reasoning_tokens = models.PositiveBigIntegerField(default=0)
    service_tier = models.CharField(max_length=32, default="standard")
    tags = models.CharField(max_length=500, blank=True, help_text="Separated by ';'.")
    reported_cost_usd = models.DecimalField(null=True, blank=True, **MONEY)
    cost_usd = models.DecimalField(null=True, blank=True, help_text="None: unpriced, never $0.", **MONEY)
    price_version = models.ForeignKey(
        PriceVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    variant = models.CharField(max_length=32, blank=True)
    unpriced_reason = models.CharField(max_length=300, blank=True)
    lines = models.JSONField(default=list, help_text="The bill's lines, each with its price version.")

    class Meta:
        ordering = ["usage_import", "number"]
        constraints = [
            models.UniqueConstraint(fields=["usage_import", "number"], name="usage_row_number_once"),
        ]
        indexes = [
            models.Index(fields=["usage_import", "at"], name="usage_row_by_moment"),
            models.Index(fields=["usage_import", "model_name"], name="usage_row_by_model"),
            models.Index(fields=["usage_import", "cost_usd"], name="usage_row_by_cost"),
        ]

    def __str__(self) -> str:
        return f"row {self.number} of {self.usage_import_id}"
