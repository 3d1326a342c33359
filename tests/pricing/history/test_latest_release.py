"""Setup's LiteLLM import: the map in the newest release on a local package index (127.0.0.1),
imported through the refresh's own path. Expected values are written out from the maps the tests
publish, never computed by the code under test.
"""

from __future__ import annotations

import io
import json
import socket
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from pricing.bill.rates import Rates
from pricing.history.index import IndexFile, newest_release
from pricing.models import ImportRun, LanguageModel, PriceProposal, PriceSnapshot, PriceVersion, Provider
from pricing.services.lifecycle_facts import load_lifecycle_facts
from pricing.services.versions import publish_price_version
from pricing.sources import litellm
from pricing.sources.litellm import is_litellm_source
from tests.conftest import utc
from tests.pricing.history.conftest import Index, make_wheel
from tests.pricing.refresh.conftest import payload_server  # noqa: F401

UPLOADED = "2026-11-20T04:05:22Z"
PAST = "2025-03-01"  # before any test's "now"
AHEAD = "2099-02-01"


def entry(provider: str, inp: str, out: str, **extra: object) -> dict[str, object]:
    return {
        "litellm_provider": provider,
        "mode": "chat",
        "input_cost_per_token": float(inp) / 1e6,
        "output_cost_per_token": float(out) / 1e6,
        **extra,
    }


def publish_map(index: Index, version: str, data: dict[str, object], uploaded: str = UPLOADED) -> str:
    """Publish a litellm release bundling ``data``; the wheel's file name."""
    member = "litellm/model_prices_and_context_window_backup.json"
    index.publish("litellm", version, make_wheel({member: json.dumps(data).encode()}), uploaded)
    return f"litellm-{version}-py3-none-any.whl"


def run_setup_import() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("refresh_prices", source="litellm", latest_release=True, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def setup(settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.PRICE_REFRESH_MIN_MODELS = 1
    settings.PRICE_REFRESH_SEED_FIRST = False


def model(provider: Provider, slug: str, **fields: object) -> LanguageModel:
    return LanguageModel.objects.create(provider=provider, slug=slug, name=slug, **fields)


# The pure parts.


def test_deprecation_date_is_the_records_shutdown_day_and_a_bad_one_is_a_note() -> None:
    payload = json.dumps(
        {
            "acme/a": entry("acme", "1", "2", deprecation_date="2026-10-23"),
            "acme/b": entry("acme", "1", "2", deprecation_date="soon"),
            "acme/c": entry("acme", "1", "2"),
        }
    ).encode()
    records = {r.model: r for r in litellm.parse(payload).records}
    assert records["a"].retires_on == date(2026, 10, 23)
    assert records["b"].retires_on is None
    assert "deprecation_date 'soon' is not a YYYY-MM-DD day: ignored" in records["b"].notes
    assert records["c"].retires_on is None


def test_the_newest_release_is_the_highest_final_version_not_the_last_upload() -> None:
    def wheel(version: str, day: int) -> IndexFile:
        return IndexFile("litellm", version, f"litellm-{version}.whl", "", utc(2026, 11, day), "0", 1)

    wheels = [wheel("1.110.2", 20), wheel("1.111.0rc1", 21), wheel("1.108.14", 22)]
    assert newest_release(wheels).version == "1.110.2"
    assert newest_release([wheel("2.0.0.dev1", 1)]) is None


def test_a_moment_read_from_a_litellm_release_or_map_is_recognised_as_imported() -> None:
    assert is_litellm_source("http://127.0.0.1:1/files/litellm-1.110.2-py3-none-any.whl")
    assert is_litellm_source("https://example.test/main/model_prices_and_context_window.json")
    assert not is_litellm_source("https://platform.claude.com/docs/en/about-claude/model-deprecations")
    assert not is_litellm_source("")


# The import.


@pytest.mark.django_db
def test_a_past_shutdown_day_retires_the_model_at_midnight_utc_naming_the_release(index, setup) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    old = model(acme, "old")
    publish_price_version(
        model=old,
        rates=Rates(D("1"), D("2")),
        effective_from=utc(2024, 1, 1),
        origin="seed",
        change_reason="t",
    )
    wheel = publish_map(index, "1.110.2", {"acme/old": entry("acme", "1", "2", deprecation_date=PAST)})
    out, _ = run_setup_import()
    old.refresh_from_db()
    assert (old.retired_at, old.status) == (utc(2025, 3, 1), "retired")
    assert old.retirement_source_url == f"{index.base_url}/files/{wheel}"
    assert "LiteLLM map: litellm 1.110.2 (uploaded 2026-11-20 04:05 UTC)" in out
    assert PriceVersion.objects.in_force(old, utc(2025, 2, 28, 23, 59)) is not None
    assert PriceVersion.objects.in_force(old, utc(2025, 3, 1)) is None


@pytest.mark.django_db
def test_a_shutdown_day_ahead_makes_the_model_deprecated_and_still_sold(index, setup) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    soon = model(acme, "soon")
    publish_map(index, "1.110.2", {"acme/soon": entry("acme", "1", "2", deprecation_date=AHEAD)})
    run_setup_import()
    soon.refresh_from_db()
    assert (soon.status, soon.retired_at, soon.deprecated_at) == ("deprecated", utc(2099, 2, 1), None)


@pytest.mark.django_db
def test_a_curated_moment_stands_and_the_disagreement_is_noted(index, setup) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    page = "https://acme.test/deprecations"
    kept = model(
        acme, "kept", retired_at=utc(2026, 7, 24, 15, 59), retirement_source_url=page, status="retired"
    )
    same_day = model(acme, "same-day", retired_at=utc(2026, 5, 15, 19), retirement_source_url=page)
    publish_map(
        index,
        "1.110.2",
        {
            "acme/kept": entry("acme", "1", "2", deprecation_date="2026-08-01"),
            "acme/same-day": entry("acme", "1", "2", deprecation_date="2026-05-15"),
        },
    )
    run_setup_import()
    kept.refresh_from_db()
    same_day.refresh_from_db()
    assert (kept.retired_at, kept.retirement_source_url) == (utc(2026, 7, 24, 15, 59), page)
    assert (same_day.retired_at, same_day.retirement_source_url) == (utc(2026, 5, 15, 19), page)
    notes = [p.get("note", "") for p in ImportRun.objects.get(source="litellm").problems]
    assert any(
        n.startswith("LiteLLM says shut down on 2026-08-01; the catalogue's 2026-07-24 15:59") for n in notes
    )
    assert not any("2026-05-15;" in n for n in notes)  # the same day: the curated time is finer


@pytest.mark.django_db
def test_a_featured_model_is_not_retired_by_the_import_but_named_for_review(index, setup) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    star = model(acme, "star", featured=True)
    publish_map(index, "1.110.2", {"acme/star": entry("acme", "1", "2", deprecation_date=PAST)})
    run_setup_import()
    star.refresh_from_db()
    assert (star.retired_at, star.featured, star.status) == (None, True, "active")
    [problem] = [p for p in ImportRun.objects.get(source="litellm").problems if p.get("model") == "acme/star"]
    assert "featured, but LiteLLM says shut down on 2025-03-01" in problem["note"]


@pytest.mark.django_db
def test_a_curated_lifecycle_fact_replaces_an_imported_moment(index, setup, tmp_path) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    old = model(acme, "old")
    publish_map(index, "1.110.2", {"acme/old": entry("acme", "1", "2", deprecation_date=PAST)})
    run_setup_import()
    facts = tmp_path / "lifecycle.json"
    page = "https://acme.test/deprecations"
    facts.write_text(
        json.dumps(
            {
                "facts": [
                    {"provider": "acme", "models": ["old"], "retired_at": "2025-04-02", "source_url": page}
                ]
            }
        )
    )
    load_lifecycle_facts(path=facts)
    old.refresh_from_db()
    assert (old.retired_at, old.retirement_source_url) == (utc(2025, 4, 2), page)


@pytest.mark.django_db
def test_context_windows_fill_only_where_the_catalogue_has_none(index, setup) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    host = Provider.objects.create(slug="openrouter", name="OpenRouter")
    empty = model(acme, "empty")
    held = model(acme, "held", context_window=200_000)
    resold = model(host, "acme/empty:free")
    dated = model(host, "acme/held-0813")
    publish_map(
        index,
        "1.110.2",
        {
            "acme/empty": entry("acme", "1", "2", max_input_tokens=131_072),
            "acme/held": entry("acme", "1", "2", max_input_tokens=128_000),
            "other/empty": entry("other", "1", "2", max_input_tokens=131_072),
            "third/empty": entry("third", "1", "2", max_input_tokens=60_000),
        },
    )
    run_setup_import()
    for row in (empty, held, resold, dated):
        row.refresh_from_db()
    assert empty.context_window == 131_072  # its own entry
    assert held.context_window == 200_000  # the catalogue's stands, and the disagreement is noted
    notes = [
        p["note"] for p in ImportRun.objects.get(source="litellm").problems if p.get("model") == "acme/held"
    ]
    assert notes == ["litellm gives a context window of 128,000 tokens; the catalogue's 200,000 stands"]
    assert resold.context_window == 131_072  # two of three hosts' entries
    # Its undated id: LiteLLM's 128,000 and the catalogue's 200,000 have no majority between them.
    assert dated.context_window is None


@pytest.mark.django_db
def test_a_curated_price_is_not_changed_or_proposed_only_disagreed_with(index, setup) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    curated = model(acme, "curated")
    publish_price_version(
        model=curated,
        rates=Rates(D("1"), D("2")),
        effective_from=utc(2025, 1, 1),
        origin="seed",
        change_reason="t",
    )
    publish_map(index, "1.110.2", {"acme/curated": entry("acme", "3", "9")})
    run_setup_import()
    assert PriceVersion.objects.filter(model=curated).count() == 1
    assert not PriceProposal.objects.exists()
    [line] = [x for x in ImportRun.objects.get(source="litellm").diff if x["model"] == "acme/curated"]
    assert line["action"] == "disagrees"


@pytest.mark.django_db
def test_a_changed_import_price_is_dated_by_the_releases_upload_within_the_window_since_the_last_snapshot(
    index, setup
) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    history = ImportRun.objects.create(
        source="litellm", url="history:price_history.json.gz", status="succeeded"
    )
    PriceSnapshot.objects.create(
        project="litellm",
        version="1.109.0rc1",
        filename="litellm-1.109.0rc1-py3-none-any.whl",
        upload_time=utc(2026, 11, 4, 2, 13),
        wheel_sha256="0" * 64,
        member="m",
        content_sha256="0" * 64,
    )
    cut = model(acme, "cut")
    same = model(acme, "same")
    for row in (cut, same):
        publish_price_version(
            model=row,
            rates=Rates(D("1"), D("2")),
            effective_from=utc(2026, 11, 4, 2, 13),
            origin="import",
            change_reason="history",
            import_run=history,
        )
    publish_map(
        index, "1.110.2", {"acme/cut": entry("acme", "0.5", "1"), "acme/same": entry("acme", "1", "2")}
    )
    run_setup_import()
    latest = PriceVersion.objects.latest_of(cut)
    assert (latest.input_usd_per_mtok, latest.output_usd_per_mtok) == (D("0.5"), D("1"))
    assert (latest.effective_from, latest.effective_from_earliest) == (
        utc(2026, 11, 20, 4, 5, 22),
        utc(2026, 11, 4, 2, 13),
    )
    assert (latest.start_basis, latest.snapshot.version) == ("window", "1.110.2")
    assert PriceVersion.objects.filter(model=same).count() == 1  # nothing changed: nothing published


@pytest.mark.django_db
def test_importing_the_same_release_again_changes_nothing(index, setup) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    model(acme, "old")
    publish_map(
        index, "1.110.2", {"acme/old": entry("acme", "1", "2", deprecation_date=PAST, max_input_tokens=8192)}
    )
    run_setup_import()
    before = list(
        LanguageModel.objects.values_list("retired_at", "retirement_source_url", "context_window", "status")
    )
    run_setup_import()
    assert (
        list(
            LanguageModel.objects.values_list(
                "retired_at", "retirement_source_url", "context_window", "status"
            )
        )
        == before
    )
    assert list(ImportRun.objects.order_by("pk").values_list("status", flat=True)) == [
        "succeeded",
        "no_change",
    ]


# Offline.


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_offline_without_a_cached_map_setup_goes_on_with_a_warning(setup, monkeypatch) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", f"http://127.0.0.1:{closed_port()}/simple")
    acme = Provider.objects.create(slug="acme", name="Acme")
    host = Provider.objects.create(slug="together", name="Together")
    model(acme, "maker", context_window=32_768)
    resold = model(host, "acme/maker")
    out, err = run_setup_import()  # no CommandError: setup continues
    assert (
        "cannot read the newest litellm release from the package index" in out and "no copy is cached" in out
    )
    assert (
        "LiteLLM import skipped" in err and "1 context windows filled from the catalogue's own models" in err
    )
    assert not ImportRun.objects.exists()
    resold.refresh_from_db()
    assert resold.context_window == 32_768


@pytest.mark.django_db
def test_offline_the_cached_copy_of_the_last_release_read_is_imported(index, setup, monkeypatch) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    soon = model(acme, "soon")
    wheel = publish_map(index, "1.110.2", {"acme/soon": entry("acme", "1", "2", deprecation_date=AHEAD)})
    call_command("refresh_prices", source="litellm", latest_release=True, dry_run=True, stdout=io.StringIO())
    soon.refresh_from_db()
    assert soon.retired_at is None  # the dry run wrote nothing, but the map is cached
    monkeypatch.setenv("PIP_INDEX_URL", f"http://127.0.0.1:{closed_port()}/simple")
    out, _ = run_setup_import()
    assert "using the cached litellm 1.110.2" in out
    soon.refresh_from_db()
    assert (soon.retired_at, soon.retirement_source_url) == (
        utc(2099, 2, 1),
        f"{index.base_url}/files/{wheel}",
    )
    assert soon.retired_at - timezone.now() > timedelta(days=1)


@pytest.mark.django_db
def test_catalogue_stats_counts_the_models_without_a_context_window() -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    model(acme, "known", context_window=8192)
    model(acme, "unknown")
    model(acme, "alias", alias_of=model(acme, "target", context_window=4096))
    out = io.StringIO()
    call_command("catalogue_stats", stdout=out)
    assert (
        "| models (aliases not counted) | launch known | retirement known | context window unknown |"
        in out.getvalue()
    )
    assert "| 3 | 0 | 0 | 1 |" in out.getvalue()


@pytest.mark.django_db
def test_a_day_said_of_a_moving_alias_does_not_retire_the_model_it_points_to(index, setup) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    target = model(acme, "large-2411")
    model(acme, "large-latest", alias_of=target)
    publish_map(index, "1.110.2", {"acme/large-latest": entry("acme", "1", "2", deprecation_date=PAST)})
    run_setup_import()
    target.refresh_from_db()
    assert (target.retired_at, target.status) == (None, "active")


@pytest.mark.django_db
def test_the_next_refresh_after_a_release_dates_a_change_from_the_releases_upload(
    index,
    setup,
    payload_server,  # noqa: F811
) -> None:
    acme = Provider.objects.create(slug="acme", name="Acme")
    cut = model(acme, "cut")
    history = ImportRun.objects.create(
        source="litellm", url="history:price_history.json.gz", status="succeeded"
    )
    publish_price_version(
        model=cut,
        rates=Rates(D("1"), D("2")),
        effective_from=utc(2026, 11, 1),
        origin="import",
        change_reason="history",
        import_run=history,
    )
    publish_map(index, "1.110.2", {"acme/cut": entry("acme", "1", "2")})
    run_setup_import()
    url = payload_server.serve("/map.json", json.dumps({"acme/cut": entry("acme", "0.5", "1")}).encode())
    call_command("refresh_prices", source="litellm", url=url, stdout=io.StringIO())
    latest = PriceVersion.objects.latest_of(cut)
    assert latest.input_usd_per_mtok == D("0.5")
    # Set after the release showed the old price (its upload), not after the setup run's clock.
    assert (latest.start_basis, latest.effective_from_earliest) == ("window", utc(2026, 11, 20, 4, 5, 22))
