from pathlib import Path

from django.core.management.base import BaseCommand

from pricing.seed import SEED_PATH, load_seed_catalogue


class Command(BaseCommand):
    help = "Load the seed price catalogue (idempotent: creates only what is missing)."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=SEED_PATH, help="Seed JSON file.")

    def handle(self, *args, path: Path, **options):
        report = load_seed_catalogue(path=path)
        self.stdout.write(
            f"Seed catalogue: {report.providers_created} providers and {report.models_created} models "
            f"created, {report.versions_published} price versions published, "
            f"{report.versions_present} already present."
        )
        for line in report.skipped:
            self.stdout.write(self.style.WARNING(f"skipped: {line}"))
