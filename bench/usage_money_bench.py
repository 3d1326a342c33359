"""Usage money benchmark (never run by tests): an import of USAGE_MONEY_ROWS rows (default 50,000)
over three months, under a provider-wide overlay starting mid-period, in EUR. Times, in one run on
a fresh SQLite database: the baseline (the import's plain FOCUS CSV export, which existed before),
then ``usage.costs.import_money`` with the overlay, with the overlay and EUR, and the FOCUS CSV
with both. Prints each as a ratio to the baseline.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("USAGE_MONEY_ROWS", "50000"))
MODELS = ["anthropic/claude-sonnet-4-6", "openai/gpt-4.1-mini", "openai/not-a-model"]


def setup(database: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def make_import(count: int = ROWS, days: int = 92) -> object:
    """An import of `count` random rows over `days` days from 1 August 2026, priced."""
    from pricing.services.seed import load_seed_catalogue
    from usage.models import UsageImport
    from usage.services import create_import_from_rows
    from usage.tasks import start_pricing

    load_seed_catalogue()
    rng = random.Random(1)
    start = datetime(2026, 8, 1, tzinfo=UTC)
    rows = [
        {
            "timestamp": (start + timedelta(seconds=rng.randrange(days * 86_400))).isoformat(),
            "model": rng.choice(MODELS),
            "input_tokens": rng.randrange(8_000),
            "output_tokens": rng.randrange(2_000),
        }
        for _ in range(count)
    ]
    usage_import = start_pricing(create_import_from_rows(rows=rows))
    usage_import.refresh_from_db()
    assert usage_import.status == UsageImport.Status.DONE, usage_import.error
    return usage_import


def add_overlay() -> None:
    from pricing.models import Overlay, Provider
    from pricing.services.overlays import add_overlay_rule

    add_overlay_rule(
        overlay=Overlay.objects.create(name="bench"),
        kind="percent",
        adjustment=Decimal("-20"),
        provider=Provider.objects.get(slug="anthropic"),
        effective_from=datetime(2026, 9, 15, tzinfo=UTC),
        note="bench",
    )


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        setup(Path(folder) / "bench.sqlite3")
        from pricing.api.money import money_terms
        from pricing.currency.bundled import bundled_table
        from usage.costs import import_money
        from usage.exports import focus_csv

        usage_import = make_import()
        add_overlay()
        bundled_table()  # parsed once per process; timed apart
        runs = {
            "baseline: plain FOCUS CSV export": lambda: sum(map(len, focus_csv(usage_import))),
            "import_money, overlay": lambda: import_money(usage_import, money_terms("bench", None)),
            "import_money, overlay + EUR": lambda: import_money(usage_import, money_terms("bench", "EUR")),
            "FOCUS CSV, overlay + EUR": lambda: _csv(usage_import, money_terms("bench", "EUR")),
        }
        base = None
        print(f"rows: {ROWS:,}; load average at start: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print("| run | wall s | ratio to baseline |\n| --- | --- | --- |")
        for name, run in runs.items():
            seconds = timed(run)
            base = base or seconds
            print(f"| {name} | {seconds:.2f} | {seconds / base:.2f} |")


def _csv(usage_import: object, terms: object) -> int:
    from usage.costs import prepare_conversions
    from usage.exports import focus_csv

    prepare_conversions(usage_import, terms)  # type: ignore[arg-type]
    return sum(map(len, focus_csv(usage_import, terms)))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
