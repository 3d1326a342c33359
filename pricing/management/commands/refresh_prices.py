"""``manage.py refresh_prices --source NAME [--url URL] [--bundled] [--latest-release] [--dry-run]``: what
the task does. ``--latest-release`` (LiteLLM): the map bundled in its newest release on the package
index, cached under ``VAR_DIR/snapshots``; setup runs it, and offline it falls back to the cached copy
or skips with a warning (setup goes on)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pricing.history.release import newest_map
from pricing.models import ImportRun
from pricing.refresh import FetchError, refresh_prices
from pricing.refresh.apply import fill_context_windows_offline
from pricing.sources import SOURCES

SHOWN_LINES = 40


class Command(BaseCommand):
    help = "Refresh prices from one public source, validate, and publish or propose the changes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, choices=sorted(SOURCES))
        parser.add_argument("--url", help="Fetch from this URL instead of the configured one.")
        parser.add_argument(
            "--bundled",
            action="store_true",
            help="genai-prices only: use the data inside the installed package (no network).",
        )
        parser.add_argument(
            "--latest-release",
            action="store_true",
            help="litellm only: the map in its newest release on the package index (cached; offline: "
            "the cached copy, else a warning and nothing else).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show the diff; write nothing.")

    def handle(self, *args: object, **options: object) -> None:
        release = None
        if options["latest_release"]:
            if options["source"] != "litellm" or options["url"] or options["bundled"]:
                raise CommandError("--latest-release is for --source litellm alone (no --url, no --bundled)")
            release, said = newest_map(Path(settings.VAR_DIR) / "snapshots")
            self.stdout.write(f"LiteLLM map: {said}")
            if release is None:
                self._skipped(dry_run=bool(options["dry_run"]))
                return
        try:
            run = refresh_prices(
                source=str(options["source"]),
                url=options["url"] or None,  # type: ignore[arg-type]
                bundled=bool(options["bundled"]),
                dry_run=bool(options["dry_run"]),
                release=release,
            )
        except (FetchError, ValueError) as error:
            raise CommandError(str(error)) from None
        self._report(run)
        if release is not None and run.status in (ImportRun.Status.FAILED, ImportRun.Status.REFUSED):
            # Setup runs this: a map it cannot use is reported, and setup goes on without it.
            self.stderr.write(self.style.WARNING(f"LiteLLM import not applied: run #{run.pk} {run.error}"))
            return
        if run.status in (ImportRun.Status.FAILED, ImportRun.Status.REFUSED):
            raise CommandError(f"run #{run.pk} {run.get_status_display().lower()}: {run.error}")

    def _skipped(self, *, dry_run: bool) -> None:
        filled = 0 if dry_run else fill_context_windows_offline()
        self.stderr.write(
            self.style.WARNING(
                "LiteLLM import skipped: no map to read. The catalogue goes on without LiteLLM's context "
                "windows, retirement days and cross-check; run `manage.py refresh_prices --source litellm "
                f"--latest-release` once the package index is reachable. {filled} context windows filled "
                "from the catalogue's own models."
            )
        )

    def _report(self, run: ImportRun) -> None:
        write = self.stdout.write
        write(f"Run #{run.pk} {run.source} from {run.url}{' (dry run)' if run.dry_run else ''}")
        write(f"  status: {run.get_status_display()}   payload sha256: {run.payload_sha256 or '-'}")
        write(
            f"  models in payload: {run.models_seen}   models created: {run.models_created}   "
            f"versions published: {run.versions_published}   proposals: {run.proposals_created}   "
            f"problems/notes: {len(run.problems)}"
        )
        for line in run.diff[:SHOWN_LINES]:
            new = (line.get("new") or {}).get("input_usd_per_mtok")
            old = (line.get("old") or {}).get("input_usd_per_mtok")
            prices = f"  input {old} -> {new}" if new else ""
            when = line.get("effective_from") or line.get("retired_at") or ""
            write(f"  {line['action']:<16} {line['model']}{prices}  {when[:10]}")
        if len(run.diff) > SHOWN_LINES:
            write(f"  ... and {len(run.diff) - SHOWN_LINES} more lines (see the import run in the admin)")
