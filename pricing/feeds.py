"""The "what changed" filters, shared by its page and its Atom feed (Django's syndication framework)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.feedgenerator import Atom1Feed

from pricing.selectors.changes import DIRECTIONS, ChangeRef, PriceChange, find_changes, load_changes
from pricing.templatetags.pricing_format import usd

FEED_ITEMS = 50


@dataclass(frozen=True)
class ChangeFilters:
    provider: str | None = None
    since: datetime | None = None  # from the start of this day (UTC)
    until: datetime | None = None  # up to the end of the "to" day, exclusive
    direction: str | None = None

    def changes(self) -> list[ChangeRef]:
        return find_changes(
            provider=self.provider, since=self.since, until=self.until, direction=self.direction
        )


def parse_filters(params: QueryDict) -> tuple[ChangeFilters, list[str]]:
    """The filters in ``params``; bad ones are left out and each gets a message naming it."""
    errors = []
    since, until = _day(params.get("from")), _day(params.get("to"))
    if params.get("from") and since is None:
        errors.append(f"From: {params['from']!r} is not a date such as 2025-09-01.")
    if params.get("to") and until is None:
        errors.append(f"To: {params['to']!r} is not a date such as 2025-09-30.")
    direction = params.get("direction") or None
    if direction and direction not in DIRECTIONS:
        errors.append(f"Direction: must be one of {', '.join(DIRECTIONS)}.")
        direction = None
    filters = ChangeFilters(
        provider=params.get("provider") or None,
        since=since,
        until=_day_after(until),
        direction=direction,
    )
    return filters, errors


def _day(value: str | None) -> datetime | None:
    try:
        day = parse_date(value or "")
    except ValueError:
        return None
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def _day_after(day: datetime | None) -> datetime | None:
    """The start of the next day: the "to" bound, exclusive. The calendar's last day has no
    next day, so it bounds nothing."""
    if day is None or day.date() == date.max:
        return None
    return day + timedelta(days=1)


def describe(change: PriceChange) -> str:
    """One line saying what changed, for the feed and the page's screen-reader text."""
    v, before = change.version, change.previous
    now = f"{usd(v.input_usd_per_mtok)} in / {usd(v.output_usd_per_mtok)} out per million tokens"
    if before is None:
        return f"First price: {now}."
    was = f"{usd(before.input_usd_per_mtok)} in / {usd(before.output_usd_per_mtok)} out"
    return f"{change.direction.capitalize()}: {now} (was {was})."


class PriceChangesFeed(Feed):
    """The newest price changes as Atom; the page's filters apply to it too."""

    feed_type = Atom1Feed
    title = "LLM price changes"
    subtitle = "Price versions across the catalogue, newest first (USD per million tokens)."

    def get_object(self, request: HttpRequest) -> ChangeFilters:  # type: ignore[override]
        return parse_filters(request.GET)[0]

    def link(self) -> str:
        return reverse("price-changes")

    def items(self, filters: ChangeFilters) -> list[PriceChange]:
        return load_changes(filters.changes()[:FEED_ITEMS])

    def item_title(self, item: PriceChange) -> str:
        model, start = item.version.model, item.version.effective_from
        return f"{model.provider.name} {model.name}: {item.direction} from {start:%Y-%m-%d}"

    def item_description(self, item: PriceChange) -> str:
        return f"{describe(item)} {item.version.change_reason}"

    def item_link(self, item: PriceChange) -> str:
        model = item.version.model
        return reverse("model", args=[model.provider.slug, model.slug]) + f"#v{item.version.pk}"

    def item_guid(self, item: PriceChange) -> str:
        return f"price-version-{item.version.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, item: PriceChange) -> datetime:
        return item.version.created_at

    def item_pubdate(self, item: PriceChange) -> datetime:
        return item.version.effective_from
