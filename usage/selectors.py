"""Reads for usage imports: the model each row names, the price in force at its moment, and the
bill of the very engine ``POST /api/v1/bill`` uses (``pricing.bill.compute_bill`` on the
version's sheet, ``pricing.selectors.bills.sheet_of``), without a query per row.

The version in force is chosen as ``PriceVersion.objects.in_force`` chooses it (standing,
``effective_from <= at < effective_to``, none from the model's retirement on), from each model's
versions read once; a property test holds the totals to the sum of ``/api/v1/bill``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from decimal import Decimal

from pricing.bill import Bill, BillError, BillUsage, PriceSheet, compute_bill
from pricing.models import LanguageModel, PriceVersion, Provider
from pricing.selectors.bills import prefetch_sheets, sheet_of
from pricing.selectors.catalogue import nearest_model_keys
from usage.formats import UsageRecord


@dataclass(frozen=True)
class RowBill:
    """A row's bill, or why it has none (``bill`` None: unpriced, never $0)."""

    model_key: str  # "provider/model" when found, else the name as the file wrote it
    model: LanguageModel | None
    version: PriceVersion | None
    bill: Bill | None
    unpriced_reason: str = ""


class RowBiller:
    """Bills rows chunk by chunk; models and their versions are read once per import."""

    def __init__(self) -> None:
        self._models: dict[str, LanguageModel | None] = {}
        self._versions: dict[int, list[PriceVersion]] = {}

    def prepare(self, names: set[str]) -> None:
        """Resolve the names not seen yet (one query) and read their models' versions."""
        new = sorted(names - self._models.keys())
        if not new:
            return
        found = resolve_models(new)
        self._models.update({name: found.get(name) for name in new})
        wanted = {m.pk for m in found.values()} - self._versions.keys()
        versions = list(
            PriceVersion.objects.standing().filter(model_id__in=wanted).order_by("model_id", "effective_from")
        )
        prefetch_sheets(versions)
        for pk in wanted:
            self._versions[pk] = [v for v in versions if v.model_id == pk]

    def bill(self, record: UsageRecord) -> RowBill:
        model = self._models[record.model]
        if model is None:
            return RowBill(record.model, None, None, None, "model not found in the catalogue")
        key = f"{model.provider.slug}/{model.slug}"
        if model.is_retired(record.at):
            return RowBill(key, model, None, None, f"retired on {model.retired_text}; no price after that")
        version = _in_force(self._versions[model.pk], record.at)
        if version is None:
            return RowBill(key, model, None, None, "no price in force at that moment")
        try:
            bill = _bill_requests(sheet_of(version), record, provider=model.provider.slug, model=model.slug)
        except BillError as error:
            return RowBill(key, model, version, None, error.message)
        return RowBill(key, model, version, bill)


def _bill_requests(sheet: PriceSheet, record: UsageRecord, *, provider: str, model: str) -> Bill:
    """One request's bill, or ``record.requests`` requests of the average size: n bills of the
    usage divided by n, plus one of what the division left (each quantity's remainder)."""

    def bill(usage: BillUsage) -> Bill:
        return compute_bill(
            sheet, usage, at=record.at, service_tier=record.service_tier, provider=provider, model=model
        )

    n = record.requests
    if n == 1:
        return bill(record.usage)
    counts = {f.name: getattr(record.usage, f.name) for f in fields(BillUsage) if f.name != "images"}
    each = bill(BillUsage(**{name: count // n for name, count in counts.items()}))
    lines = [replace(line, quantity=line.quantity * n, usd=line.usd * n) for line in each.lines]
    rest = {name: count % n for name, count in counts.items()}
    if any(rest.values()):
        lines += bill(BillUsage(**rest)).lines
    return replace(each, lines=tuple(lines), total_usd=sum((line.usd for line in lines), Decimal(0)))


def _in_force(versions: list[PriceVersion], at: datetime) -> PriceVersion | None:
    for version in versions:
        if version.effective_from <= at and (version.effective_to is None or version.effective_to > at):
            return version
    return None


def resolve_models(names: list[str]) -> dict[str, LanguageModel]:
    """Names as a file writes them → catalogue models: ``provider/model`` (an alias or a host's
    name included, through ``LanguageModel.objects.resolve``), or a bare id that names exactly
    one model across providers."""
    bare = [name for name in names if "/" not in name]
    providers = list(Provider.objects.values_list("slug", flat=True)) if bare else []
    keys = [name for name in names if "/" in name] + [f"{p}/{name}" for name in bare for p in providers]
    found = LanguageModel.objects.resolve(keys)
    resolved = {name: found[name] for name in names if name in found}
    for name in bare:
        matches = {found[f"{p}/{name}"].pk: found[f"{p}/{name}"] for p in providers if f"{p}/{name}" in found}
        if len(matches) == 1:
            resolved[name] = next(iter(matches.values()))
    return resolved


def nearest_model_names(name: str, *, limit: int = 3) -> list[str]:
    """The catalogue's ``provider/model`` names closest to ``name`` (for "did you mean")."""
    return nearest_model_keys(name, limit=limit)
