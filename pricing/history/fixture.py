"""The committed price-history fixture: facts only (snapshots and the versions they date).

Pure: no Django imports. gzip'd JSON, written deterministically (sorted, no timestamps of its
own) so regenerating from the same snapshots gives the same bytes. Shape::

    {"about": ..., "snapshots": [[project, version, filename, upload_time, wheel_sha256,
                                  member, content_sha256], ...],
     "models": [{"provider", "model", "name", "upstream_id", "source", "context_window",
                 "max_output_tokens", "deprecated", "delisted_at"?,
                 "versions": [[effective_from, earliest | null, dated_by, snapshot index,
                               {rate: "decimal"}, reason, sheet?], ...]}, ...]}

``sheet``, where present, is the version's price in full in the one encoding of a sheet, the
seed's short notation (``pricing.bill.notation``: what the flat rates do not imply; ``{}``: they
say it all). Absent: the
previous version's sheet carries over the new rates (also written so when that is what the
snapshot says, which keeps the fixture small).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pricing.bill.compare import bills_alike
from pricing.bill.from_rates import sheet_from_rates
from pricing.bill.notation import carry_sheet, exact_notation, sheet_from_notation
from pricing.bill.rates import Rates
from pricing.bill.sheet import PriceSheet
from pricing.history.timeline import DatedVersion, ModelHistory, SnapshotFacts
from pricing.sources.diff import EVIDENCE_DATE, rates_from_json, rates_to_json
from pricing.sources.records import ProviderInfo

CARRIED = "carried"  # a version without a sheet of its own: the previous one's carries over

ABOUT = (
    "Price history from published snapshots: every release of the genai-prices package, "
    "sampled releases of litellm (its bundled model_prices_and_context_window_backup.json) and, "
    "where the index has no litellm release for over 45 days, the releases of tokencost (its copy "
    "of LiteLLM's map, tokencost/model_prices.json), each dated by the upload time the package "
    "index gives for the wheel. A version dated 'evidence' "
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
    sheet: PriceSheet | None | str = CARRIED  # None: the flat rates say it all


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
    delisted_at: datetime | None = None  # first snapshot of its source that no longer listed it

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
    delisted = {"delisted_at": history.delisted_at.isoformat()} if history.delisted_at else {}
    return delisted | {
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
                *sheet,
            ]
            for v, sheet in zip(history.versions, _sheets_json(history.versions), strict=True)
        ],
    }


def _sheets_json(versions: list[DatedVersion]) -> list[list[dict[str, Any]]]:
    """Each version's sheet as its optional last field: none where carrying gives it anyway."""
    written: list[list[dict[str, Any]]] = []
    in_force: PriceSheet | None = None
    previous: Rates | None = None
    for dated in versions:
        rates, own = dated.change.rates, dated.change.sheet
        carried = carry_sheet(in_force, previous or rates, rates)
        if own is None or bills_alike(own, carried or sheet_from_rates(rates)):
            written.append([])
            in_force = carried
        else:
            written.append([_sheet_json(own, rates)])
            in_force = own
        previous = rates
    return written


def _sheet_json(sheet: PriceSheet, rates: Rates) -> dict[str, Any]:
    return exact_notation(sheet, rates)


def _sheet(raw: list[dict[str, Any]], rates: Rates) -> PriceSheet | None | str:
    if not raw:
        return CARRIED
    return sheet_from_notation(rates, raw[0])


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
            tuple(_version(raw, snapshots) for raw in entry["versions"]),
            datetime.fromisoformat(entry["delisted_at"]) if entry.get("delisted_at") else None,
        )
        for entry in data["models"]
    ]
    return models, providers


def _version(raw: list[Any], snapshots: list[SnapshotFacts]) -> FixtureVersion:
    start, earliest, dated_by, number, rates_json, reason, *sheet = raw
    rates = rates_from_json(rates_json)
    return FixtureVersion(
        datetime.fromisoformat(start),
        datetime.fromisoformat(earliest) if earliest else None,
        dated_by == EVIDENCE_DATE,
        snapshots[number],
        rates,
        reason,
        _sheet(sheet, rates),
    )
