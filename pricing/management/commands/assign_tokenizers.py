from collections import Counter

from django.core.management.base import BaseCommand

from pricing.models import LanguageModel
from pricing.services.tokenizer_keys import reassign_tokenizers


class Command(BaseCommand):
    help = (
        "Re-assign each model's tokenizer by its family (pricing.tokenizing.families), except where a person "
        "chose it (tokenizer_chosen). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report the moves, change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        before = _generic_count()
        moves = reassign_tokenizers(dry_run=dry_run)
        verb = "would move" if dry_run else "moved"
        self.stdout.write(f"Tokenizers: {verb} {sum(moves.values())} models.")
        for (old, new), count in sorted(moves.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {count:5d}  {old} -> {new}")
        after = before - moves_from_generic(moves) + moves_to_generic(moves)
        self.stdout.write(f"Models on generic: {before} before, {after} after.")


def _generic_count() -> int:
    return LanguageModel.objects.filter(tokenizer_key="generic").count()


def moves_from_generic(moves: Counter) -> int:
    return sum(count for (old, new), count in moves.items() if old == "generic" and new != "generic")


def moves_to_generic(moves: Counter) -> int:
    return sum(count for (old, new), count in moves.items() if new == "generic" and old != "generic")
