"""Template access to an estimate row by a column's name (rows are saved JSON: dicts)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def field(row: dict[str, Any], name: str) -> Any:
    return row.get(name)
