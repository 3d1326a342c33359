from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pricing.selectors.stats import CatalogueStats, catalogue_stats, priced_count, year_starts


class Command(BaseCommand):
    help = (
        "How much history the catalogue knows, as Markdown tables (docs/prices.md): models priced as "
        "of each year's start, models with a known launch and retirement, models without a context "
        "window, versions by start basis."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at", action="append", default=[], help="Also count as of this ISO date (repeatable)."
        )

    def handle(self, *args, at: list[str], **options):
        try:
            extra = [datetime.fromisoformat(text).replace(tzinfo=UTC) for text in at]
        except ValueError as error:
            raise CommandError(f"--at: {error}") from None
        moments = sorted(set(year_starts() + extra))
        self.stdout.write("\n".join(markdown(catalogue_stats(moments))))


def markdown(stats: CatalogueStats) -> list[str]:
    lines = ["| as of (00:00 UTC) | models priced |", "| --- | ---: |"]
    lines += [f"| {moment:%Y-%m-%d} | {count:,} |" for moment, count in stats.priced_at]
    lines += [f"| today ({timezone.now():%Y-%m-%d}) | {priced_count(timezone.now()):,} |", ""]
    lines += [
        "| models (aliases not counted) | launch known | retirement known | context window unknown |",
        "| ---: | ---: | ---: | ---: |",
        f"| {stats.models:,} | {stats.launch_known:,} | {stats.retirement_known:,} | "
        f"{stats.context_window_unknown:,} |",
        "",
        "| price versions | " + " | ".join(f"`{basis}`" for basis in stats.versions_by_basis) + " |",
        "| --- | " + " | ".join("---:" for _ in stats.versions_by_basis) + " |",
        f"| {sum(stats.versions_by_basis.values()):,} | "
        + " | ".join(f"{count:,}" for count in stats.versions_by_basis.values())
        + " |",
    ]
    return lines
