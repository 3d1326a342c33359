from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from usage.formats import UsageFileError
from usage.services import create_import
from usage.tasks import start_pricing

CHUNK_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import a generic usage CSV as the API does: read it whole (refused naming the row), then "
        "bill every row on the Celery worker (in-process without a broker). Prints the import's id."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The generic CSV file.")
        parser.add_argument("--queue", default=None, help="The Celery queue to send the pricing to.")

    def handle(self, *args, path: Path, queue: str | None, **options):
        try:
            with path.open("rb") as stream:
                chunks = iter(lambda: stream.read(CHUNK_BYTES), b"")
                usage_import = create_import(chunks=chunks, filename=path.name)
        except (OSError, UsageFileError) as error:
            raise CommandError(str(error)) from None
        usage_import = start_pricing(usage_import, queue=queue)
        self.stdout.write(usage_import.id)
