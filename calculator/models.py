"""Saved comparisons: the inputs, the counts, the price versions used and the results, so a
comparison can be shown again, exported, and reproduced exactly."""

from __future__ import annotations

import secrets

from django.db import models


def new_comparison_id() -> str:
    return secrets.token_urlsafe(9)  # 12 URL-safe characters


class Comparison(models.Model):
    id = models.CharField(primary_key=True, max_length=16, default=new_comparison_id, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    schema_version = models.PositiveSmallIntegerField()
    as_of = models.DateTimeField(help_text="The moment whose prices were used.")
    inputs = models.JSONField(help_text="The estimate request, normalised, without the text.")
    text = models.TextField(blank=True, help_text="Stored only when the user asked to save it.")
    text_saved = models.BooleanField(default=False)
    text_sha256 = models.CharField(max_length=64, blank=True)
    text_length = models.PositiveIntegerField(null=True, blank=True, help_text="Characters.")
    results = models.JSONField(help_text="The estimate response as it was shown.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Comparison {self.id} ({self.created_at:%Y-%m-%d})"

    def export(self) -> dict[str, object]:
        """The JSON export: everything needed to reproduce every number."""
        inputs = dict(self.inputs)
        if self.text_saved:
            inputs["text"] = self.text
        results = self.results
        return {
            "schema_version": self.schema_version,
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            "as_of": self.as_of.isoformat(),
            "inputs": inputs,
            "text": {**(results.get("text") or {}), "saved": self.text_saved}
            if results.get("text")
            else None,
            "tokenizers": results["tokenizers"],
            "results": results["results"],
            "cheapest_fitting": results["cheapest_fitting"],
            "without_price": results.get("without_price", []),
        }
