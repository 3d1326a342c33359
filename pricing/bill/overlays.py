"""Contract overlays over list prices: which term applies to a bill line, and what it costs then.
Pure: no Django.

Precedence, for each line: the narrowest scope wins (a model's term over its provider's over
every provider's); within one scope a fixed rate beats a percentage; then a term for the line's
own service tier or line kind beats a general one. One term applies to a line, never several.
FinOps FOCUS names: list (``ListCost``), contracted (``ContractedCost``); this app models no
commitments or credits, so ``EffectiveCost`` equals ``ContractedCost``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pricing.bill.engine import Bill, BillLine, usd_for
from pricing.bill.sheet import UnitPrice

SCOPE_RANK = {"all": 0, "provider": 1, "model": 2}
FIXED = "fixed"
PERCENT = "percent"
BASIS_POINTS = "basis_points"
PER_UNIT = {PERCENT: Decimal(100), BASIS_POINTS: Decimal(10_000)}


@dataclass(frozen=True)
class OverlayTerm:
    """One overlay rule as the bill needs it. ``adjustment`` is signed (-20 percent: 20% off);
    ``fixed_usd`` is USD per the line's own unit block (per million tokens for tokens)."""

    rule_id: int
    overlay: str
    scope: str
    provider: str
    model: str
    service_tier: str
    line_kind: str
    kind: str
    adjustment: Decimal | None
    fixed_usd: Decimal | None
    effective_from: datetime
    effective_until: datetime | None
    note: str
    evidence_url: str

    def in_force(self, at: datetime) -> bool:
        return self.effective_from <= at and (self.effective_until is None or at < self.effective_until)

    def matches(self, *, provider: str, model: str, service_tier: str, line_kind: str) -> bool:
        return (
            (self.scope == "all" or self.provider == provider)
            and (self.scope != "model" or self.model == model)
            and self.service_tier in ("", service_tier)
            and self.line_kind in ("", line_kind)
        )

    def precedence(self) -> tuple[int, bool, bool, bool, datetime]:
        return (
            SCOPE_RANK[self.scope],
            self.kind == FIXED,
            bool(self.service_tier),
            bool(self.line_kind),
            self.effective_from,
        )


@dataclass(frozen=True)
class OverlaidLine:
    line: BillLine
    contracted_usd: Decimal
    term: OverlayTerm | None


@dataclass(frozen=True)
class OverlaidBill:
    bill: Bill
    lines: tuple[OverlaidLine, ...]
    contracted_usd: Decimal


def term_for_line(
    terms: Sequence[OverlayTerm],
    *,
    line: BillLine,
    provider: str,
    model: str,
    service_tier: str,
    at: datetime,
) -> OverlayTerm | None:
    """The term that applies to ``line`` of a bill at ``at``, or None (list price)."""
    return term_for(terms, what=line.what, provider=provider, model=model, service_tier=service_tier, at=at)


def term_for(
    terms: Sequence[OverlayTerm], *, what: str, provider: str, model: str, service_tier: str, at: datetime
) -> OverlayTerm | None:
    """The term for a line of kind ``what`` billed at ``at`` (a stored line as well as a fresh one)."""
    candidates = [
        term
        for term in terms
        if term.in_force(at)
        and term.matches(provider=provider, model=model, service_tier=service_tier, line_kind=what)
    ]
    return max(candidates, key=OverlayTerm.precedence, default=None)


def contracted_usd(line: BillLine, term: OverlayTerm | None) -> Decimal:
    """What ``line`` costs under ``term``."""
    return contracted_amount(line.usd, quantity=line.quantity, per=line.per, term=term)


def contracted_amount(list_usd: Decimal, *, quantity: int, per: int, term: OverlayTerm | None) -> Decimal:
    """A line's amount under ``term``: a fixed rate replaces the list rate, a percentage or basis
    points scale the list amount exactly; no term: the list amount."""
    if term is None:
        return list_usd
    if term.kind == FIXED:
        assert term.fixed_usd is not None
        return usd_for(quantity, UnitPrice(usd=term.fixed_usd, per=per))
    assert term.adjustment is not None
    return list_usd * (1 + term.adjustment / PER_UNIT[term.kind])


def apply_overlay(
    bill: Bill, terms: Sequence[OverlayTerm], *, provider: str, model: str, at: datetime
) -> OverlaidBill:
    """``bill`` with each line's contracted amount and the term that set it."""
    lines = []
    for line in bill.lines:
        term = term_for_line(
            terms, line=line, provider=provider, model=model, service_tier=bill.service_tier, at=at
        )
        lines.append(OverlaidLine(line=line, contracted_usd=contracted_usd(line, term), term=term))
    return OverlaidBill(
        bill=bill, lines=tuple(lines), contracted_usd=sum((x.contracted_usd for x in lines), Decimal(0))
    )
