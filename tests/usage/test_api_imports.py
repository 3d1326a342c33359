"""POST /api/v1/usage/imports: a bad file is a 400 naming the row and column, and nothing is
kept (no import, no rows, no file); limits answer 413; rows may come as a JSON body; an import's
secret id is its only key."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from usage.models import UsageImport, UsageRow

from .conftest import bill_over_http, csv_bytes, get_import, post_rows, upload

pytestmark = pytest.mark.django_db
ROW = {"timestamp": "2026-08-01T00:00:00Z", "model": "openai/gpt-4.1-mini", "input_tokens": 1_000_000}


def nothing_kept(settings) -> bool:
    folder = settings.USAGE_UPLOAD_DIR
    files = list(folder.glob("*")) if folder.exists() else []
    return not UsageImport.objects.exists() and not UsageRow.objects.exists() and files == []


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (b"timestamp,model,prompt\n", "file", "Row 1: unknown columns: 'prompt'"),
        (
            b"timestamp,model,input_tokens\n2026-08-01T00:00:00Z,openai/gpt-4.1-mini,1\n2026-08-01,x/y,1\n",
            "timestamp",
            "Row 3, column timestamp: '2026-08-01' has no UTC offset",
        ),
        (b"timestamp,model\n2026-08-01T00:00:00Z,=cmd|' /C calc'!A0\n", "model", "Row 2, column model"),
        (b"timestamp,model\n2026-08-01T00:00:00Z,\xff\xfe\xfa\n", "file", "not UTF-8"),
    ],
)
def test_a_bad_file_is_a_400_naming_the_row_and_nothing_is_kept(
    client, seeded, usage_settings, data, field, words
):
    status, body = upload(client, data)
    assert status == 400, body
    assert body["error"]["field"] == field
    assert words in body["error"]["message"]
    assert nothing_kept(usage_settings)


def test_a_file_over_the_size_limit_is_a_413(client, seeded, usage_settings):
    usage_settings.USAGE_MAX_UPLOAD_BYTES = 100
    status, body = upload(client, csv_bytes([ROW] * 5))
    assert (status, body["error"]["code"], body["error"]["field"]) == (413, "too_large", "file")
    assert nothing_kept(usage_settings)


def test_a_file_over_the_row_limit_is_refused(client, seeded, usage_settings):
    usage_settings.USAGE_MAX_ROWS = 3
    status, body = upload(client, csv_bytes([ROW] * 4))
    assert (
        status == 400
        and body["error"]["message"].startswith("Row 5: ")
        and "more than 3 rows" in body["error"]["message"]
    )
    assert nothing_kept(usage_settings)


def test_a_multipart_body_without_the_file_field_is_refused(client, seeded):
    response = client.post("/api/v1/usage/imports", {"other": "x"})
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["field"] == "file"


def test_rows_can_come_as_a_json_body(client, seeded):
    status, created = post_rows(client, [ROW, {**ROW, "output_tokens": 1_000_000, "tags": ["a"]}])
    assert status == 202 and created["status"] == "done"
    report = get_import(client, created["id"])
    assert (report["rows"], report["total_usd"]) == (2, "2.4")  # 0.40 + 0.40 + 1.60 per million


def test_a_json_body_with_an_unknown_field_is_refused(client, seeded):
    response = client.post("/api/v1/usage/imports", json.dumps({"rows": [ROW], "x": 1}), "application/json")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["field"] == "x"


def test_an_import_id_is_a_long_secret_and_an_unknown_one_is_a_404(client, seeded):
    _, created = post_rows(client, [ROW])
    assert len(created["id"]) >= 20
    response = client.get("/api/v1/usage/imports/not-an-id")
    assert response.status_code == 404
    assert json.loads(response.content)["error"]["code"] == "not_found"


def test_progress_says_done_with_every_row(client, seeded):
    _, created = post_rows(client, [ROW] * 3)
    assert get_import(client, created["id"])["progress"] == {"rows_done": 3, "rows_total": 3, "percent": 100}


MODELS = [
    "openai/gpt-5.4",
    "anthropic/claude-opus-4-6",
    "google/gemini-3.1-pro-preview",
    "deepseek/deepseek-v4-pro",
    "deepseek/deepseek-chat",
    "openai/no-such-model",
]
rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "timestamp": st.datetimes(
                min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
                max_value=datetime(2026, 12, 31),  # noqa: DTZ001
                timezones=st.sampled_from([UTC]),
            ).map(lambda moment: moment.isoformat()),
            "model": st.sampled_from(MODELS),
            "input_tokens": st.integers(0, 400_000),
            "cache_read_tokens": st.integers(0, 50_000),
            "output_tokens": st.integers(0, 50_000),
            "service_tier": st.sampled_from(["", "batch"]),
        }
    ),
    min_size=1,
    max_size=6,
)


@given(rows=rows_strategy)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_total_is_the_sum_of_each_rows_bill(client, seeded, rows):
    status, created = post_rows(client, rows)
    assert status == 202, created
    report = get_import(client, created["id"])
    answers = [bill_over_http(client, row) for row in rows]
    priced = [total for code, total in answers if code == 200]
    # No row priced: the total is unknown (null), never $0; else the sum of the bills exactly.
    if priced:
        assert Decimal(report["total_usd"]) == sum(priced, Decimal(0))
    else:
        assert report["total_usd"] is None
    assert report["unpriced_rows"] == sum(1 for code, _ in answers if code != 200)
