from pathlib import Path

from django.core.management.base import BaseCommand

from pricing.services.history_load import HISTORY_PATH, load_price_history
from pricing.services.lifecycle_facts import load_lifecycle_facts
from pricing.services.seed import SEED_PATH, load_seed_catalogue, seed_loaded


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
        fresh = not seed_loaded()
        report = load_seed_catalogue(path=path)
        self.stdout.write(
            f"Seed catalogue: {report.providers_created} providers and {report.models_created} models "
            f"created, {report.versions_published} price versions published, "
            f"{report.versions_present} already present."
        )
        for line in report.skipped:
            self.stdout.write(self.style.WARNING(f"skipped: {line}"))
        if not no_history:
            loaded = load_price_history(path=history)
            self.stdout.write(
                f"Price history: {loaded.models_created} models created, {loaded.versions_published} "
                f"versions published, {loaded.models_already_current} models already current."
            )
        lifecycle = load_lifecycle_facts(fresh=fresh)
        self.stdout.write(
            f"Lifecycle facts: {lifecycle.models_updated} models dated, {lifecycle.models_featured} "
            f"current models featured, {len(lifecycle.not_in_catalogue)} named models not in the catalogue."
        )
