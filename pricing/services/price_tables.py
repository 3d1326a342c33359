"""A price table against the catalogue: what each row would do, publishing a confirmed table in
one transaction, and the current table of some models as rows for an export.

Every version is published through ``publish_price_version`` (the only writer of prices); a
table with a refused row publishes nothing. The plan is made again inside the publishing
transaction, and a table whose plan changed since its preview is not published: what an editor
confirms is what they saw. A preview confirmed twice (a double click, a resent form) publishes
once: the second confirmation finds the table the first one published and returns it.

A column absent from the file keeps the model's current rate; a cell present and empty removes
that rate. Every removal is listed on its row (``removals``) so the preview can show it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from pricing.bill.rates import Rates
from pricing.bill.validation import Problem
from pricing.display.change_words import is_removal, rate_changes
from pricing.models import LanguageModel, PriceProposal, PriceTable, PriceVersion
from pricing.services.aliases import canonical
from pricing.services.versions import can_edit_prices, publish_price_version
from pricing.sources.diff import MAX_AUTO_CHANGE, largest_change, rates_to_json
from pricing.sources.price_table import TIER_SLOTS, TableRow, parse_rates, rate_cells

NEW = "new"
UNCHANGED = "unchanged"
PROPOSAL = "proposal"
REFUSED = "refused"


@dataclass(frozen=True)
class PlannedRow:
    """What one row of a table does: a new version, nothing, a proposal, or nothing (refused)."""

    line: int
    key: str
    action: str
    message: str = ""
    changes: tuple[str, ...] = ()
    model: LanguageModel | None = field(default=None, compare=False)
    current: PriceVersion | None = field(default=None, compare=False)
    rates: Rates | None = None
    removals: tuple[str, ...] = ()  # the changes that take a rate away (a subset of ``changes``)


class TableNotPublished(Exception):
    """The table was not published; ``plan`` is the catalogue's answer now."""

    def __init__(self, message: str, plan: list[PlannedRow]) -> None:
        self.plan = plan
        super().__init__(message)


def plan_table(rows: list[TableRow], *, effective_from: datetime) -> list[PlannedRow]:
    """Each row's outcome if the table were published now, from ``effective_from`` on."""
    models = _models_for(rows)
    latest = (
        PriceVersion.objects.filter(model__in=list(models.values()))
        .prefetch_related("tiers")
        .latest_by_model()
    )
    seen: dict[str, int] = {}
    plan = []
    for row in rows:
        key = row.key.lower()
        model = models.get(key)
        if key in seen:
            plan.append(PlannedRow(row.line, row.key, REFUSED, f"the same model as row {seen[key]}"))
            continue
        seen[key] = row.line
        plan.append(_plan_row(row, model, latest.get(model.pk) if model else None, effective_from))
    return plan


def _plan_row(
    row: TableRow, model: LanguageModel | None, current: PriceVersion | None, effective_from: datetime
) -> PlannedRow:
    if model is None:
        return PlannedRow(row.line, row.key, REFUSED, f"no model {row.key} in the catalogue: add it first")
    previous = current.to_rates() if current else None
    if previous is not None and len(previous.tiers) > TIER_SLOTS:
        why = f"its price has {len(previous.tiers)} tiers; a table carries {TIER_SLOTS}: use the form"
        return PlannedRow(row.line, row.key, REFUSED, why, model=model, current=current)
    # A column the file lacks keeps the current rate; an empty cell in a column it has removes it.
    cells = {**rate_cells(previous), **row.cells} if previous is not None else row.cells
    rates, problems = parse_rates(cells)
    if rates is None:
        return PlannedRow(row.line, row.key, REFUSED, _problem_text(problems), model=model)
    if previous == rates:
        return PlannedRow(row.line, row.key, UNCHANGED, model=model, current=current, rates=rates)
    changes = tuple(rate_changes(previous, rates))
    removals = tuple(change for change in changes if is_removal(change))
    if current is not None and effective_from <= current.effective_from:
        start = f"{current.effective_from:%Y-%m-%d %H:%M} UTC"
        why = f"effective from must be after the current version's start ({start})"
        return PlannedRow(row.line, row.key, REFUSED, why, changes, model, current, rates, removals)
    review = _review_reason(current, previous, rates)
    action = PROPOSAL if review else NEW
    return PlannedRow(row.line, row.key, action, review, changes, model, current, rates, removals)


def _review_reason(current: PriceVersion | None, previous: Rates | None, rates: Rates) -> str:
    """Why a change needs a second look: the rule the refresh follows (pricing.sources.diff)."""
    if current is None or previous is None:
        return ""
    if current.locked:
        return "the current price is locked"
    name, ratio = largest_change(previous, rates)
    if ratio > MAX_AUTO_CHANGE:
        shown = "from zero" if ratio.is_infinite() else f"by {ratio:.0%}"
        return f"{name} changes {shown} (over {MAX_AUTO_CHANGE:.0%})"
    return ""


def _problem_text(problems: list[Problem]) -> str:
    return "; ".join(f"{p.field}: {p.message}" for p in problems)


def _models_for(rows: list[TableRow]) -> dict[str, LanguageModel]:
    providers = {row.cells.get("provider", "").lower() for row in rows}
    found = LanguageModel.objects.select_related("provider", "alias_of").filter(provider__slug__in=providers)
    return {model.key.lower(): canonical(model) for model in found}  # an alias prices its model


def fingerprint(plan: list[PlannedRow]) -> str:
    """A digest of what a plan does, to tell whether it still holds at confirmation."""
    lines = [
        [row.line, row.key, row.action, row.current.pk if row.current else None, rates_to_json(row.rates)]
        if row.rates
        else [row.line, row.key, row.action, row.message]
        for row in plan
    ]
    return hashlib.sha256(json.dumps(lines, sort_keys=True).encode()).hexdigest()


def publish_table(
    *,
    rows: list[TableRow],
    user: AbstractBaseUser,
    change_reason: str,
    source_url: str,
    effective_from: datetime,
    previewed: str,
    filename: str = "",
    sha256: str = "",
) -> PriceTable:
    """Publish a previewed table: every new version and proposal, or nothing.

    Raises ``PermissionDenied`` for a user who may not edit prices, ``TableNotPublished`` when a
    row is refused or the plan differs from the one previewed (``previewed``, its fingerprint).
    """
    if not can_edit_prices(user):
        raise PermissionDenied("Only price editors may publish a price table.")
    same = {
        "uploaded_by": user,
        "sha256": sha256 or rows_sha256(rows),
        "change_reason": change_reason.strip(),
        "source_url": source_url,
        "effective_from": effective_from,
        "rows": len(rows),
    }
    with transaction.atomic():
        _lock_models(rows)
        # The same preview confirmed again (a double click, a resent form): already published.
        published = PriceTable.objects.filter(**same).order_by("pk").first()
        if published is not None:
            return published
        plan = _checked_plan(rows, effective_from=effective_from, previewed=previewed)
        table = PriceTable.objects.create(
            **same, filename=filename[:200], unchanged=sum(row.action == UNCHANGED for row in plan)
        )
        _apply(plan, table, user)
    return table


def rows_sha256(rows: list[TableRow]) -> str:
    """A digest of a table's rows, for a table that came from no file."""
    cells = [[row.line, sorted(row.cells.items())] for row in rows]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def _lock_models(rows: list[TableRow]) -> None:
    """Lock every model of the table until the publish commits: no other editor, refresh or
    second confirmation of the same preview can change a price meanwhile."""
    keys = {row.key.lower() for row in rows}
    models = [model.pk for key, model in _models_for(rows).items() if key in keys]
    list(LanguageModel.objects.select_for_update().filter(pk__in=models).order_by("pk"))


def _checked_plan(rows: list[TableRow], *, effective_from: datetime, previewed: str) -> list[PlannedRow]:
    """The table's plan now; refused when a row is refused or the plan is not the one previewed."""
    plan = plan_table(rows, effective_from=effective_from)
    refused = [row for row in plan if row.action == REFUSED]
    if refused:
        raise TableNotPublished(f"{len(refused)} row(s) refused: nothing was published.", plan)
    if fingerprint(plan) != previewed:
        raise TableNotPublished("The catalogue changed since the preview: review the table again.", plan)
    return plan


def _apply(plan: list[PlannedRow], table: PriceTable, user: AbstractBaseUser) -> None:
    reason = f"Price table #{table.pk}: {table.change_reason}"
    for row in plan:
        if row.action == NEW:
            version = publish_price_version(
                model=row.model,  # type: ignore[arg-type]
                rates=row.rates,  # type: ignore[arg-type]
                effective_from=table.effective_from,
                origin=PriceVersion.Origin.ADMIN,
                change_reason=reason,
                source_url=table.source_url,
                created_by=user,
            )
            table.versions.add(version)
        elif row.action == PROPOSAL:
            proposal = PriceProposal.objects.create(
                model=row.model,
                current_version=row.current,
                proposed=rates_to_json(row.rates),  # type: ignore[arg-type]
                effective_from=table.effective_from,
                source_url=table.source_url,
                reason=f"{reason}; needs review: {row.message}",
            )
            table.proposals.add(proposal)


def current_table(models: QuerySet[LanguageModel]) -> list[dict[str, str]]:
    """The rows of an export: each model with the rates of its latest version (blank without one)."""
    models = models.select_related("provider").order_by("provider__slug", "slug")
    latest = PriceVersion.objects.filter(model__in=list(models)).prefetch_related("tiers").latest_by_model()
    rows = []
    for model in models:
        row = {"provider": model.provider.slug, "model": model.slug, "name": model.name}
        version = latest.get(model.pk)
        if version is not None:
            row.update(rate_cells(version.to_rates()))
        rows.append(row)
    return rows


def plan_counts(plan: list[PlannedRow]) -> dict[str, int]:
    counts = {
        action: sum(row.action == action for row in plan) for action in (NEW, UNCHANGED, PROPOSAL, REFUSED)
    }
    counts["removals"] = sum(len(row.removals) for row in plan if row.action in (NEW, PROPOSAL))
    return counts
