"""The refresh service against a local HTTP server: safety rules, end to end through the DB."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pricing.models import ImportRun, LanguageModel, PricePayload, PriceProposal, PriceVersion, SourceLock
from pricing.refresh import FetchError, refresh_prices
from pricing.refresh.lease import acquire_lock
from pricing.selectors.catalogue import last_refresh

from .conftest import PAYLOADS, Route, catalogue_dump, genai_payload

pytestmark = pytest.mark.django_db


def refresh(url: str, **options: object) -> ImportRun:
    return refresh_prices(source="genai-prices", url=url, **options)


def versions(slug: str = "model-07") -> list[PriceVersion]:
    return list(PriceVersion.objects.filter(model__slug=slug).order_by("effective_from"))


@pytest.fixture
def imported(payload_server):
    """The crafted 60-model payload imported once; returns the server."""
    run = refresh(payload_server.serve("/v1.json", genai_payload()))
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return payload_server


def test_it_imports_every_model_on_the_first_run(payload_server) -> None:
    run = refresh(payload_server.serve("/v1.json", genai_payload()))
    assert (run.status, run.models_seen, run.models_created, run.versions_published) == (
        "succeeded",
        60,
        60,
        60,
    )
    model = LanguageModel.objects.get(provider__slug="acme", slug="model-07")
    assert (model.context_window, model.tokenizer_key != "") == (100000, True)
    (version,) = versions()
    assert (version.input_usd_per_mtok, version.origin, version.import_run) == (Decimal("1"), "import", run)
    assert PricePayload.objects.get(sha256=run.payload_sha256).size_bytes == run.payload_bytes
    assert last_refresh() == run


def test_a_rerun_of_the_same_payload_is_no_change_and_writes_nothing(imported) -> None:
    before = catalogue_dump()
    run = refresh(imported.base_url + "/v1.json")
    assert (run.status, run.versions_published, run.models_seen) == ("no_change", 0, 60)
    assert catalogue_dump() == before
    assert PricePayload.objects.count() == 1
    assert last_refresh() == run


def test_a_real_price_change_publishes_a_version_and_closes_the_old_one(imported) -> None:
    url = imported.serve("/v2.json", genai_payload(changes={7: {"input_mtok": "1.2"}}))
    run = refresh(url)
    assert (run.status, run.versions_published, run.proposals_created) == ("succeeded", 1, 0)
    old, new = versions()
    assert old.effective_to == new.effective_from and new.effective_to is None
    assert new.input_usd_per_mtok == Decimal("1.2") and new.import_run == run
    assert [line["model"] for line in run.diff] == ["acme/model-07"]


def test_dated_upstream_history_becomes_versions_with_those_dates(imported) -> None:
    # A start after the imported version's (which starts today): an earlier one could not be appended.
    start = (timezone.now() + timedelta(days=30)).date().isoformat()
    prices = {"input_mtok": "1.1", "output_mtok": "2"}
    history = [{"constraint": {"start_date": start}, "prices": prices}]
    refresh(imported.serve("/v2.json", genai_payload(changes={7: {"history": history}})))
    assert [v.effective_from.date().isoformat() for v in versions()][-1] == start


def test_a_change_over_half_becomes_a_proposal_not_a_version(imported) -> None:
    run = refresh(imported.serve("/v2.json", genai_payload(changes={7: {"input_mtok": "1.6"}})))
    assert (run.versions_published, run.proposals_created) == (0, 1)
    proposal = PriceProposal.objects.get()
    assert proposal.proposed["input_usd_per_mtok"] == "1.6" and "60%" in proposal.reason
    assert len(versions()) == 1
    refresh(imported.serve("/v3.json", genai_payload(changes={7: {"input_mtok": "1.6"}, 8: {}}) + b" "))
    assert PriceProposal.objects.count() == 1  # the same pending proposal is not queued twice


def test_a_change_to_a_locked_price_becomes_a_proposal(imported) -> None:
    (version,) = versions()
    PriceVersion.objects.filter(pk=version.pk).update(verified_at=timezone.now())
    from pricing.services.versions import publish_price_version

    publish_price_version(
        model=version.model,
        rates=version.to_rates(),
        effective_from=timezone.now(),
        origin="import",
        change_reason="locked by test",
        locked=True,
    )
    run = refresh(imported.serve("/v2.json", genai_payload(changes={7: {"input_mtok": "1.1"}})))
    assert (run.versions_published, run.proposals_created) == (0, 1)
    assert "locked" in PriceProposal.objects.get().reason


def test_a_model_gone_upstream_is_marked_missing_not_deleted(imported) -> None:
    run = refresh(imported.serve("/v2.json", genai_payload(count=59)))
    gone = LanguageModel.objects.get(slug="model-59")
    assert gone.missing_since is not None and gone.price_versions.count() == 1
    assert {"model": "model-59", "action": "missing_upstream"} in run.diff
    refresh(imported.serve("/v3.json", genai_payload(count=60) + b"\n"))
    assert LanguageModel.objects.get(slug="model-59").missing_since is None


def test_a_dry_run_reports_the_diff_and_writes_nothing(imported) -> None:
    before = catalogue_dump()
    run = refresh(imported.serve("/v2.json", genai_payload(changes={7: {"input_mtok": "1.2"}})), dry_run=True)
    assert (run.status, run.dry_run, run.versions_published) == ("succeeded", True, 1)
    assert catalogue_dump() == before
    assert not PricePayload.objects.filter(sha256=run.payload_sha256).exists()


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        (genai_payload()[:-100], "failed", "unreadable payload"),
        (b"<html>rate limited</html>", "failed", "not valid JSON"),
    ],
    ids=["truncated", "not-json"],
)
def test_a_broken_payload_is_refused_and_changes_nothing(imported, payload, status, message) -> None:
    before = catalogue_dump()
    run = refresh(imported.serve("/bad.json", payload))
    assert run.status == status and message in run.error
    assert catalogue_dump() == before
    assert last_refresh().payload_sha256 != run.payload_sha256


def test_a_payload_that_shrank_below_half_is_refused(imported, settings) -> None:
    settings.PRICE_REFRESH_MIN_MODELS = 10
    before = catalogue_dump()
    run = refresh(imported.serve("/shrunk.json", genai_payload(count=29)))
    assert run.status == "refused" and "under half of the last run's 60" in run.error
    assert catalogue_dump() == before


def test_a_payload_under_fifty_models_is_refused(payload_server) -> None:
    run = refresh(payload_server.serve("/small.json", genai_payload(count=49)))
    assert run.status == "refused" and "minimum of 50" in run.error
    assert LanguageModel.objects.count() == 0


@pytest.mark.parametrize(
    ("prices", "field"),
    [({"input_mtok": "-1"}, "input_usd_per_mtok"), ({"cache_read_mtok": "1.5"}, "cache_read_usd_per_mtok")],
    ids=["negative", "cache-read-above-input"],
)
def test_an_invalid_price_is_refused_and_changes_nothing(imported, prices, field) -> None:
    before = catalogue_dump()
    run = refresh(imported.serve("/bad.json", genai_payload(changes={7: prices})))
    assert run.status == "succeeded" and run.versions_published == 0
    refused = [p for p in run.problems if p.get("model") == "acme/model-07" and "field" in p]
    assert refused[0]["field"] == field and refused[0]["message"].startswith("refused")
    assert catalogue_dump() == before


def test_a_payload_full_of_invalid_prices_is_refused_whole(imported) -> None:
    before = catalogue_dump()
    changes = {i: {"input_mtok": "-1"} for i in range(10)} | {20: {"input_mtok": "1.2"}}
    run = refresh(imported.serve("/bad.json", genai_payload(changes=changes)))
    assert run.status == "refused" and "10 of 60 models have invalid prices" in run.error
    assert catalogue_dump() == before


@pytest.mark.parametrize(
    "route", [Route(b"oops", status=500), Route(b"", delay_s=2)], ids=["http-500", "timeout"]
)
def test_an_unreachable_upstream_fails_cleanly(imported, settings, route) -> None:
    settings.PRICE_REFRESH_TIMEOUT = 0.5
    before = catalogue_dump()
    with pytest.raises(FetchError):
        refresh(imported.serve("/down.json", route))
    run = ImportRun.objects.latest("pk")
    assert run.status == "failed" and run.error.startswith("fetch failed")
    assert catalogue_dump() == before
    assert SourceLock.objects.get(source="genai-prices").run_id is None  # the lease is released


def test_a_second_run_while_one_holds_the_lock_is_refused(imported) -> None:
    assert acquire_lock(source="genai-prices", run_id=999)
    before = catalogue_dump()
    run = refresh(imported.serve("/v2.json", genai_payload(changes={7: {"input_mtok": "1.2"}})))
    assert run.status == "refused" and "another refresh of genai-prices is running (run #999" in run.error
    assert catalogue_dump() == before


def test_a_crashed_runs_lock_expires(imported) -> None:
    assert acquire_lock(source="genai-prices", run_id=999, now=timezone.now() - timedelta(hours=2))
    run = refresh(imported.serve("/v2.json", genai_payload(changes={7: {"input_mtok": "1.2"}})))
    assert run.status == "succeeded"


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_lease_whose_process_is_gone_is_taken_over_at_once(imported) -> None:
    killed = ImportRun.objects.create(source="genai-prices")
    assert acquire_lock(source="genai-prices", run_id=killed.pk)
    SourceLock.objects.filter(source="genai-prices").update(holder=f"{socket.gethostname()}:{dead_pid()}")
    run = refresh(imported.serve("/v2.json", genai_payload(changes={7: {"input_mtok": "1.2"}})))
    assert run.status == "succeeded", run.error
    killed.refresh_from_db()
    assert killed.status == "failed" and killed.finished_at is not None
    assert killed.error.startswith("abandoned: the process running it stopped before it finished")
    assert f"run #{run.pk} took over" in killed.error


def test_a_lease_held_on_another_host_waits_for_its_expiry(imported) -> None:
    assert acquire_lock(source="genai-prices", run_id=999)
    SourceLock.objects.filter(source="genai-prices").update(holder=f"other-host.invalid:{dead_pid()}")
    run = refresh(imported.serve("/v2.json", genai_payload(changes={7: {"input_mtok": "1.2"}})))
    assert run.status == "refused" and "run #999" in run.error


def test_litellm_fills_limits_cross_checks_and_adds_missing_providers(payload_server, settings) -> None:
    settings.PRICE_REFRESH_MIN_MODELS = 5
    body = (PAYLOADS / "litellm_excerpt.json").read_bytes()
    run = refresh_prices(source="litellm", url=payload_server.serve("/l.json", body))
    assert run.status == "succeeded", run.error
    assert {m.key for m in LanguageModel.objects.select_related("provider")} == {"alibaba/qwen-max"}
    qwen = LanguageModel.objects.get(slug="qwen-max")
    assert (qwen.context_window, qwen.max_output_tokens) == (30720, 8192)


def test_openrouter_skips_dynamic_prices(payload_server, settings) -> None:
    settings.PRICE_REFRESH_MIN_MODELS = 3
    body = (PAYLOADS / "openrouter_excerpt.json").read_bytes()
    run = refresh_prices(source="openrouter", url=payload_server.serve("/o.json", body))
    assert run.status == "succeeded" and run.models_created == 3
    assert {"skipped": "openrouter/auto: dynamic price (-1): skipped"} in run.problems
    assert not LanguageModel.objects.filter(slug="openrouter/auto").exists()


def test_a_unit_mistake_is_refused_by_the_refresh_and_publishes_nothing(imported) -> None:
    before = catalogue_dump()
    run = refresh(imported.serve("/unit.json", genai_payload(changes={7: {"output_mtok": "1500"}})))
    assert run.status == "succeeded" and run.versions_published == 0
    refused = [
        p
        for p in run.problems
        if p.get("model") == "acme/model-07" and "unit mistake" in p.get("message", "")
    ]
    assert refused and refused[0]["message"].startswith("refused: output_usd_per_mtok 1500")
    assert catalogue_dump() == before
