"""The price chart's layout. Pure: no database."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

from pricing.display.charts import HEIGHT, LEFT, WIDTH, Step, price_chart


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_price_holds_until_the_next_one_so_the_line_is_a_step() -> None:
    steps = [
        Step(at(2025, 1, 1), at(2025, 7, 1), D("1"), D("4")),
        Step(at(2025, 7, 1), None, D("2"), D("4")),
    ]
    chart = price_chart(steps, now=at(2026, 1, 1))
    assert chart is not None
    points = [tuple(map(float, p.split(","))) for p in chart.input_points.split()]
    assert points[0][0] == LEFT and points[-1][0] == WIDTH - 12  # from the first start to now
    assert points[1][1] == points[0][1] and points[2][0] == points[1][0]  # flat, then a vertical step
    assert points[2][1] < points[1][1]  # the price rose: the line goes up the page
    assert chart.y_ticks[-1].label == "$4.00" and chart.y_ticks[0].position == HEIGHT - 28


def test_a_model_without_prices_has_no_chart() -> None:
    assert price_chart([], now=at(2026, 1, 1)) is None
