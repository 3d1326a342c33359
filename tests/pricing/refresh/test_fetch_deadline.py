"""A refresh from an upstream that sends a byte at a time: the whole fetch has one deadline
(PRICE_REFRESH_FETCH_DEADLINE), however short each read is, so the run ends, says why and
releases its lease. And a run that outlived its lease writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.checks import run_checks
from django.utils import timezone

from pricing.models import ImportRun, SourceLock
from pricing.refresh import FetchError, refresh_prices
from pricing.refresh.lease import acquire_lock, keep_lock
from pricing.tasks import refresh_prices_task

from .conftest import Route, catalogue_dump

pytestmark = pytest.mark.django_db

# 40 bytes at one every 0.5 s: 20 s to send, so the 2 s deadline is what ends the fetch; the
# 1 s per-read timeout never fires, since a byte arrives every 0.5 s.
SLOW_BODY = b'{"providers": [], "padding": "xxxxxxxx"}'


@pytest.fixture
def deadline(settings):
    settings.PRICE_REFRESH_FETCH_DEADLINE = 2
    settings.PRICE_REFRESH_TIMEOUT = 1


@pytest.mark.parametrize("trickle_headers", [False, True], ids=["body", "headers"])
def test_a_trickling_upstream_is_cut_at_the_fetch_deadline(payload_server, deadline, trickle_headers) -> None:
    url = payload_server.serve("/slow.json", Route(SLOW_BODY, trickle_s=0.5, trickle_headers=trickle_headers))
    before = catalogue_dump()
    with pytest.raises(FetchError, match="within the fetch deadline of 2 s"):
        refresh_prices(source="genai-prices", url=url)
    run = ImportRun.objects.get()
    assert run.status == "failed" and run.finished_at is not None
    assert "PRICE_REFRESH_FETCH_DEADLINE" in run.error and url in run.error
    assert SourceLock.objects.get(source="genai-prices").run_id is None  # the lease is released
    assert catalogue_dump() == before


def test_the_task_records_each_stalled_attempt_and_holds_no_lease(payload_server, deadline) -> None:
    url = payload_server.serve("/slow.json", Route(SLOW_BODY, trickle_s=0.5))
    conf = refresh_prices_task.app.conf
    propagates, conf.task_eager_propagates = conf.task_eager_propagates, False
    try:
        result = refresh_prices_task.apply(kwargs={"source": "genai-prices", "url": url})
        with pytest.raises(FetchError):
            result.get()
    finally:
        conf.task_eager_propagates = propagates
    runs = ImportRun.objects.all()
    assert runs.count() == refresh_prices_task.max_retries + 1
    assert all(r.status == "failed" and "fetch deadline" in r.error for r in runs)
    assert SourceLock.objects.get(source="genai-prices").run_id is None


def test_a_run_that_outlived_its_lease_cannot_write(db) -> None:
    slow = ImportRun.objects.create(source="genai-prices")
    assert acquire_lock(source="genai-prices", run_id=slow.pk, now=timezone.now() - timedelta(hours=2))
    taker = ImportRun.objects.create(source="genai-prices")
    assert acquire_lock(source="genai-prices", run_id=taker.pk)  # the first one's lease expired
    assert not keep_lock(source="genai-prices", run_id=slow.pk)
    assert keep_lock(source="genai-prices", run_id=taker.pk)


def test_a_fetch_deadline_past_the_task_time_limit_is_refused_at_start(settings) -> None:
    settings.PRICE_REFRESH_FETCH_DEADLINE = settings.CELERY_TASK_TIME_LIMIT
    assert "llmcalc.E002" in {message.id for message in run_checks()}
    settings.PRICE_REFRESH_FETCH_DEADLINE = settings.CELERY_TASK_TIME_LIMIT - 1
    assert "llmcalc.E002" not in {message.id for message in run_checks()}
