"""``manage.py refresh_reference_rates [--url URL]``: what the daily task does."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pricing.currency import RateError
from pricing.refresh import FetchError
from pricing.refresh.reference_rates import refresh_reference_rates


class Command(BaseCommand):
    help = "Fetch the ECB's euro reference rates and store the days after the bundled history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", help="Fetch from this URL instead of ECB_RATES_URL.")

    def handle(self, *args: object, **options: object) -> None:
        try:
            added = refresh_reference_rates(url=options["url"] or None)  # type: ignore[arg-type]
        except (FetchError, RateError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{added} reference rates added")
