from pathlib import Path

from django.core.management.base import BaseCommand

from pricing.services.history_load import HISTORY_PATH, load_price_history
from pricing.services.seed import SEED_PATH, load_seed_catalogue


class Command(BaseCommand):
    help = (
        "Load the seed price catalogue, then the price history from published snapshots "
        "(idempotent: creates only what is missing; seed versions win over snapshot evidence)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=SEED_PATH, help="Seed JSON file.")
        parser.add_argument("--history", type=Path, default=HISTORY_PATH, help="Price-history fixture.")
        parser.add_argument("--no-history", action="store_true", help="Load the seed catalogue only.")

    def handle(self, *args, path: Path, history: Path, no_history: bool, **options):
        report = load_seed_catalogue(path=path)
        self.stdout.write(
            f"Seed catalogue: {report.providers_created} providers and {report.models_created} models "
            f"created, {report.versions_published} price versions published, "
            f"{report.versions_present} already present."
        )
        for line in report.skipped:
            self.stdout.write(self.style.WARNING(f"skipped: {line}"))
        if no_history:
            return
        loaded = load_price_history(path=history)
        self.stdout.write(
            f"Price history: {loaded.models_created} models created, {loaded.versions_published} "
            f"versions published, {loaded.models_already_current} models already current."
        )
