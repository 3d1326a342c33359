"""A model's price over time as a step chart, laid out for a server-rendered SVG. Pure: no Django.

Each price holds until the next one starts, so the lines are steps, not slopes. Coordinates are
in the SVG's own units (``WIDTH`` x ``HEIGHT``); the template only draws what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pricing.bill.money import usd

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28  # margins for the axis labels
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Step:
    """One price version's span: ``start`` until ``end`` (None: still in force at ``now``)."""

    start: datetime
    end: datetime | None
    input_usd_per_mtok: Decimal
    output_usd_per_mtok: Decimal


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    input_points: str  # an SVG polyline's "x,y x,y ..." for input
    output_points: str
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    summary: str  # the chart in words, for screen readers and text browsers
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_bottom: int = TOP + PLOT_H


def price_chart(steps: list[Step], *, now: datetime) -> Chart | None:
    """The chart of ``steps`` (oldest first) up to ``now``; None when there is nothing to draw."""
    if not steps:
        return None
    first = steps[0].start
    last = max(now, steps[-1].start)
    span = max((last - first).total_seconds(), 1.0)
    top = max(max(s.input_usd_per_mtok, s.output_usd_per_mtok) for s in steps) or Decimal(1)

    def x(moment: datetime) -> float:
        return round(LEFT + PLOT_W * (moment - first).total_seconds() / span, 1)

    def y(rate: Decimal) -> float:
        return round(TOP + PLOT_H * float(1 - rate / top), 1)

    def line(name: str) -> str:
        points: list[str] = []
        for step in steps:
            rate = getattr(step, name)
            end = min(step.end or last, last)
            points += [f"{x(step.start)},{y(rate)}", f"{x(end)},{y(rate)}"]
        return " ".join(points)

    return Chart(
        input_points=line("input_usd_per_mtok"),
        output_points=line("output_usd_per_mtok"),
        x_ticks=tuple(Tick(x(m), f"{m:%Y-%m-%d}") for m in _date_ticks(first, last)),
        y_ticks=tuple(Tick(y(top * k / 4), _usd(top * k / 4)) for k in range(5)),
        summary=_summary(steps),
    )


def _date_ticks(first: datetime, last: datetime) -> list[datetime]:
    if last <= first:
        return [first]
    return [first + (last - first) * k / 3 for k in range(4)]


def _usd(rate: Decimal) -> str:
    """An axis label: cents above a dollar, exact below."""
    return usd(rate.quantize(Decimal("0.01")) if rate >= 1 else rate)


def _summary(steps: list[Step]) -> str:
    parts = [
        f"from {s.start:%Y-%m-%d}: {_usd(s.input_usd_per_mtok)} in, {_usd(s.output_usd_per_mtok)} out"
        for s in steps
    ]
    return "USD per million tokens over time; " + "; ".join(parts) + "."
