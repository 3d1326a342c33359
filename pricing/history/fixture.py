"""The committed price-history fixture: facts only (snapshots and the versions they date).

Pure: no Django imports. gzip'd JSON, written deterministically (sorted, no timestamps of its
own) so regenerating from the same snapshots gives the same bytes. Shape::

    {"about": ..., "snapshots": [[project, version, filename, upload_time, wheel_sha256,
                                  member, content_sha256], ...],
     "models": [{"provider", "model", "name", "upstream_id", "source", "context_window",
                 "max_output_tokens", "deprecated",
                 "versions": [[effective_from, earliest | null, dated_by, snapshot index,
                               {rate: "decimal"}, reason], ...]}, ...]}
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pricing.costs import Rates
from pricing.sources.diff import EVIDENCE_DATE, rates_from_json, rates_to_json
from pricing.sources.records import ProviderInfo

from .timeline import ModelHistory, SnapshotFacts

ABOUT = (
    "Price history from published snapshots: every release of the genai-prices package and "
    "sampled releases of litellm (its bundled model_prices_and_context_window_backup.json), each "
    "dated by the upload time the package index gives for the wheel. A version dated 'evidence' "
    "was first shown by its snapshot and set after 'earliest' (the snapshot before; null: no "
    "earlier snapshot); 'upstream' means the data itself gives the start date. Money: USD per "
    "million tokens as decimal strings. Regenerate: manage.py backfill_price_history."
)


@dataclass(frozen=True)
class FixtureVersion:
    effective_from: datetime
    earliest: datetime | None
    dated_by_evidence: bool
    snapshot: SnapshotFacts
    rates: Rates
    reason: str


@dataclass(frozen=True)
class FixtureModel:
    provider: str
    model: str
    name: str
    upstream_id: str
    source: str
    context_window: int | None
    max_output_tokens: int | None
    deprecated: bool
    versions: tuple[FixtureVersion, ...]

    @property
    def key(self) -> str:
        return f"{self.provider}/{self.model}"


def write_fixture(path: Path, histories: list[ModelHistory], providers: dict[str, ProviderInfo]) -> None:
    snapshots = sorted(
        {v.snapshot for h in histories for v in h.versions}, key=lambda s: (s.upload_time, s.project)
    )
    index = {snapshot: number for number, snapshot in enumerate(snapshots)}
    data = {
        "about": ABOUT,
        "snapshots": [
            [
                s.project,
                s.version,
                s.filename,
                s.upload_time.isoformat(),
                s.wheel_sha256,
                s.member,
                s.content_sha256,
            ]
            for s in snapshots
        ],
        "models": [_model_json(h, index) for h in sorted(histories, key=lambda h: h.key) if h.versions],
        "providers": {
            slug: [info.name, info.pricing_url]
            for slug, info in sorted(providers.items())
            if any(h.provider == slug for h in histories)
        },
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    path.write_bytes(gzip.compress(text.encode(), mtime=0))


def _model_json(history: ModelHistory, index: dict[SnapshotFacts, int]) -> dict[str, Any]:
    return {
        "provider": history.provider,
        "model": history.model,
        "name": history.name,
        "upstream_id": history.upstream_id,
        "source": history.source,
        "context_window": history.context_window,
        "max_output_tokens": history.max_output_tokens,
        "deprecated": history.deprecated,
        "versions": [
            [
                v.change.effective_from.isoformat(),
                v.change.earliest.isoformat() if v.change.earliest else None,
                v.change.dated_by,
                index[v.snapshot],
                _compact(rates_to_json(v.change.rates)),
                v.change.reason,
            ]
            for v in history.versions
        ],
    }


def _compact(rates: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rates.items() if v is not None and v != []}


def read_fixture(path: Path) -> tuple[list[FixtureModel], dict[str, ProviderInfo]]:
    """The fixture's models and the providers they name."""
    data = json.loads(gzip.decompress(path.read_bytes()))
    providers = {
        slug: ProviderInfo(slug, name, url) for slug, (name, url) in data.get("providers", {}).items()
    }
    snapshots = [
        SnapshotFacts(
            project, version, filename, datetime.fromisoformat(uploaded), wheel_sha, content_sha, member
        )
        for project, version, filename, uploaded, wheel_sha, member, content_sha in data["snapshots"]
    ]
    models = [
        FixtureModel(
            entry["provider"],
            entry["model"],
            entry["name"],
            entry["upstream_id"],
            entry["source"],
            entry["context_window"],
            entry["max_output_tokens"],
            entry["deprecated"],
            tuple(
                FixtureVersion(
                    datetime.fromisoformat(start),
                    datetime.fromisoformat(earliest) if earliest else None,
                    dated_by == EVIDENCE_DATE,
                    snapshots[number],
                    rates_from_json(rates),
                    reason,
                )
                for start, earliest, dated_by, number, rates, reason in entry["versions"]
            ),
        )
        for entry in data["models"]
    ]
    return models, providers
