"""The payload archive: every raw upstream payload kept once per SHA-256, compressed."""

from __future__ import annotations

import zlib

from pricing.models import PricePayload


def archive_payload(*, payload: bytes, sha256: str, source: str, url: str) -> PricePayload:
    """Keep the raw payload (once per hash), compressed; it survives whatever the run does."""
    existing = PricePayload.objects.filter(sha256=sha256).first()
    if existing:
        return existing
    return PricePayload.objects.create(
        sha256=sha256, source=source, url=url[:500], size_bytes=len(payload), content=zlib.compress(payload)
    )
