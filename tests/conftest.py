"""Shared fixtures: a small catalogue built through the services, users with and without the
price-editor permission."""

import os
import tempfile
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from hypothesis import settings as hypothesis_settings

from pricing.bill.rates import Rates, TierRates
from pricing.models import LanguageModel, Overlay, PriceVersion, Provider
from pricing.services.overlays import add_overlay_rule
from pricing.services.versions import publish_price_version

# CI runs the same examples every time (Hypothesis and schemathesis, which runs on Hypothesis):
# a failure there is reproducible, never a flake. Locally each run explores new examples.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, tests use a database file rather than Django's shared in-memory one.

    With an in-memory database the live server's request threads and the test share one
    connection. In a `make test` run on 2026-12-07 two requests at once (the usage page fetching
    its alternatives while a second browser loaded the page) both stopped inside SQLite calls on
    that connection and never returned (py-spy showed both threads there after 12 minutes). A file
    gives each thread its own connection, as PostgreSQL does. The file is per process and removed
    when the run ends.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = Path(tempfile.gettempdir()) / f"llm-calculator-test-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def openai(db):
    return Provider.objects.create(slug="openai", name="OpenAI")


@pytest.fixture
def gpt_54(openai):
    model = LanguageModel.objects.create(
        provider=openai,
        slug="gpt-5.4",
        name="GPT-5.4",
        tier="flagship",
        context_window=1_050_000,
        max_output_tokens=128_000,
        tokenizer_key="o200k_base",
        featured=True,
    )
    publish_price_version(
        model=model,
        rates=Rates(
            D("2.50"),
            D("15.00"),
            D("0.25"),
            batch_input_usd_per_mtok=D("1.25"),
            batch_output_usd_per_mtok=D("7.50"),
            tiers=(TierRates(272_000, D("5.00"), D("22.50"), D("0.50")),),
        ),
        effective_from=utc(2026, 3, 5),
        origin=PriceVersion.Origin.SEED,
        change_reason="test fixture",
    )
    return model


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Price editors"))
    return user


@pytest.fixture
def staff_non_editor(db):
    return User.objects.create_user("viewer", password="pw-viewer-1", is_staff=True)


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests (database constraints SQLite lacks) are deselected on SQLite,
    so a run reports them as not collected rather than as skipped."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    keep = [item for item in items if item.get_closest_marker("postgresql") is None]
    dropped = [item for item in items if item.get_closest_marker("postgresql") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and cached counts live in the cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()
    yield


def anthropic_contract() -> Overlay:
    """The contract of the bill tests: 20 % off every Anthropic model from 2026-10-01 ("acme-2026")."""
    overlay = Overlay.objects.create(name="acme-2026")
    add_overlay_rule(
        overlay=overlay,
        kind="percent",
        adjustment=D("-20"),
        provider=Provider.objects.get(slug="anthropic"),
        effective_from=datetime(2026, 10, 1, tzinfo=UTC),
        note="Enterprise agreement, clause 4.2: 20% off every Anthropic model",
        evidence_url="https://contracts.example.com/acme/2026",
    )
    return overlay
