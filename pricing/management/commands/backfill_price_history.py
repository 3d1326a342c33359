from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pricing.history.build import PROJECTS, merged_history
from pricing.history.fixture import write_fixture
from pricing.history.index import list_wheels, parse_every, sample
from pricing.history.remote_zip import RemoteZipError
from pricing.history.snapshots import SnapshotError, fetch_snapshots
from pricing.services.history_load import HISTORY_PATH, load_price_history


class Command(BaseCommand):
    help = (
        "Fetch a price source's published snapshots (every release of its package, with the index's "
        "upload time), cache them under VAR_DIR/snapshots, replay every cached snapshot of both sources "
        "oldest first into dated versions, write the history fixture and load it (append-only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, choices=sorted(PROJECTS))
        parser.add_argument("--since", help="Only releases uploaded on or after this ISO date.")
        parser.add_argument(
            "--every",
            help="Sample: the first release of each interval (30d, 2w, 12h). "
            "Default: every release of genai-prices, 30d for litellm (its wheels are 3-23 MB).",
        )
        parser.add_argument("--fixture", type=Path, default=HISTORY_PATH, help="Where to write the fixture.")
        parser.add_argument("--no-load", action="store_true", help="Write the fixture only.")
        parser.add_argument("--offline", action="store_true", help="Use only what the cache holds.")

    def handle(
        self, *args, source: str, since, every, fixture: Path, no_load: bool, offline: bool, **options
    ):
        cache_dir = Path(settings.VAR_DIR) / "snapshots"
        if not offline:
            self._fetch(source, cache_dir, since, every or ("30d" if source == "litellm" else None))
        histories, providers, replays = merged_history(
            cache_dir,
            new_providers=list(settings.PRICE_REFRESH_LITELLM_NEW_PROVIDERS),
            progress=lambda line: self.stdout.write(line) if options["verbosity"] > 1 else None,
        )
        for name, result in replays.items():
            read, offered = result.parsed_share
            self.stdout.write(
                f"{name}: {read} of {offered} cached snapshots parsed, {len(result.models)} models, "
                f"{len(result.refused)} price points refused by validation"
            )
        write_fixture(fixture, histories, providers)
        versions = sum(len(h.versions) for h in histories)
        self.stdout.write(
            f"Wrote {fixture} ({fixture.stat().st_size:,} bytes): {len(histories)} models, "
            f"{versions} versions"
        )
        if not no_load:
            report = load_price_history(path=fixture)
            self.stdout.write(
                f"Loaded: {report.models_created} models created, {report.versions_published} versions "
                f"published, {report.models_already_current} models already current"
            )

    def _fetch(self, source: str, cache_dir: Path, since: str | None, every: str | None) -> None:
        try:
            start = datetime.fromisoformat(since).replace(tzinfo=UTC) if since else None
            interval = parse_every(every) if every else None
        except ValueError as error:
            raise CommandError(str(error)) from None
        try:
            wheels = list_wheels(PROJECTS[source])
        except OSError as error:
            raise CommandError(f"cannot list {source} releases on the package index: {error}") from None
        picked = sample(wheels, since=start, every=interval)
        self.stdout.write(f"{source}: {len(wheels)} releases on the index, {len(picked)} selected")
        try:
            for _ in fetch_snapshots(picked, cache_dir=cache_dir, progress=self.stdout.write):
                pass
        except (SnapshotError, RemoteZipError) as error:
            raise CommandError(str(error)) from None
