"""The Celery task (in-process, as with no broker) and the management command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from pricing.models import ImportRun
from pricing.refresh import FetchError
from pricing.tasks import refresh_prices_task, start_refresh

from .conftest import Route, genai_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_retries():
    """In-process, Celery replays a retry at once only when eager errors are not propagated."""
    conf = refresh_prices_task.app.conf
    before = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = before


def test_the_task_retries_a_failing_upstream_then_succeeds(payload_server, eager_retries) -> None:
    url = payload_server.serve("/p.json", Route(b"", status=500), Route(b"", status=503), genai_payload())
    result = refresh_prices_task.apply(kwargs={"source": "genai-prices", "url": url})
    assert result.get()["status"] == "succeeded"
    assert list(ImportRun.objects.order_by("pk").values_list("status", flat=True)) == [
        "failed",
        "failed",
        "succeeded",
    ]


def test_the_task_gives_up_after_its_retries_and_records_each_failure(payload_server, eager_retries) -> None:
    url = payload_server.serve("/p.json", Route(b"", status=500))
    result = refresh_prices_task.apply(kwargs={"source": "genai-prices", "url": url})
    with pytest.raises(FetchError):
        result.get()
    runs = ImportRun.objects.all()
    assert runs.count() == refresh_prices_task.max_retries + 1
    assert {r.status for r in runs} == {"failed"} and all("HTTP 500" in r.error for r in runs)


def test_starting_a_refresh_runs_the_task_in_process_without_a_broker(payload_server) -> None:
    url = payload_server.serve("/p.json", genai_payload())
    start_refresh(source="genai-prices", url=url)
    assert ImportRun.objects.get().status == "succeeded"


def test_the_command_prints_the_diff_and_fails_on_a_refused_payload(payload_server, capsys) -> None:
    command = ("refresh_prices", "--source", "genai-prices", "--url")
    call_command(*command, payload_server.serve("/a", genai_payload()))
    out = capsys.readouterr().out
    assert "status: Succeeded" in out and "versions published: 60" in out and "create_model" in out
    url = payload_server.serve("/b", genai_payload(changes={3: {"input_mtok": "1.1"}}))
    call_command(*command, url, "--dry-run")
    assert "publish          acme/model-03  input 1 -> 1.1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="under the minimum of 50"):
        call_command(*command, payload_server.serve("/c", genai_payload(9)))
