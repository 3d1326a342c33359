"""Vendors' exports normalised by each provider's rules into the bill's disjoint usage.

OpenAI's, Anthropic's and OpenRouter's documents are their API references' published examples
(values as published; OpenAI's example is not grouped by model, so a second copy sets ``model``
as ``group_by=model`` does). LiteLLM's, Langfuse's and the OpenTelemetry spans are built from the
documented fields (LiteLLM's ``LiteLLM_SpendLogs`` table, Langfuse's ``ObservationsView``, OTLP
JSON with the GenAI semantic conventions' attribute names and example values)."""

import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from pricing.bill import BillUsage
from usage.formats import FORMATS, UsageFileError

OPENAI_PAGE = {  # GET /v1/organization/usage/completions, the API reference's example response
    "object": "page",
    "data": [
        {
            "object": "bucket",
            "start_time": 1730419200,
            "end_time": 1730505600,
            "results": [
                {
                    "object": "organization.usage.completions.result",
                    "input_tokens": 1000,
                    "output_tokens": 500,
                    "input_cached_tokens": 800,
                    "num_model_requests": 5,
                    "project_id": None,
                    "user_id": None,
                    "api_key_id": None,
                    "model": None,
                    "batch": None,
                }
            ],
        }
    ],
    "has_more": True,
    "next_page": "AAAAAGdGxdEiJdKOAAAAAGcqsYA=",
}
ANTHROPIC_REPORT = {  # GET /v1/organizations/usage_report/messages, the API reference's example
    "data": [
        {
            "ending_at": "2025-08-02T00:00:00Z",
            "results": [
                {
                    "api_key_id": "apikey_01Rj2N8SVvo6BePZj99NhmiT",
                    "cache_creation": {"ephemeral_1h_input_tokens": 1000, "ephemeral_5m_input_tokens": 500},
                    "cache_read_input_tokens": 200,
                    "context_window": "0-200k",
                    "model": "claude-sonnet-4-20250514",
                    "output_tokens": 500,
                    "server_tool_use": {"web_search_requests": 10},
                    "service_tier": "standard",
                    "uncached_input_tokens": 1500,
                    "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",
                }
            ],
            "starting_at": "2025-08-01T00:00:00Z",
        }
    ],
    "has_more": True,
    "next_page": "2019-12-27T18:11:19.117Z",
}
OPENROUTER_ACTIVITY = {  # GET /api/v1/activity, the SDK reference's ActivityResponse example
    "data": [
        {
            "byokUsageInference": 0.012,
            "completionTokens": 125,
            "date": "2025-08-24",
            "endpointId": "550e8400-e29b-41d4-a716-446655440000",
            "model": "openai/gpt-4.1",
            "modelPermaslug": "openai/gpt-4.1-2025-04-14",
            "promptTokens": 50,
            "providerName": "OpenAI",
            "reasoningTokens": 25,
            "requests": 5,
            "usage": 0.015,
        }
    ]
}
LITELLM_LOGS = [
    {
        "request_id": "chatcmpl-1",
        "call_type": "acompletion",
        "api_key": "88dc28",
        "spend": 0.00123,
        "total_tokens": 1400,
        "prompt_tokens": 1200,
        "completion_tokens": 200,
        "startTime": "2026-08-03T10:00:00.123+00:00",
        "endTime": "2026-08-03T10:00:02.000+00:00",
        "model": "gpt-4.1-mini",
        "custom_llm_provider": "openai",
        "request_tags": ["jobID:214590dsff09fds", "taskName:run_page_classification"],
        "metadata": {
            "usage_object": {
                "prompt_tokens": 1200,
                "completion_tokens": 200,
                "prompt_tokens_details": {"cached_tokens": 1000},
                "completion_tokens_details": {"reasoning_tokens": 50},
            }
        },
    }
]
LANGFUSE_OBSERVATIONS = {
    "data": [
        {
            "id": "obs-1",
            "type": "GENERATION",
            "startTime": "2026-08-03T10:00:00.000Z",
            "model": "anthropic/claude-sonnet-4-6",
            "usageDetails": {
                "input": 100,
                "cache_read_input_tokens": 1000,
                "cache_creation_input_tokens": 200,
                "output": 50,
                "total": 1350,
            },
            "costDetails": {"input": 0.0003, "output": 0.00075, "total": 0.00135},
        }
    ],
    "meta": {"page": 1, "limit": 50, "totalItems": 1, "totalPages": 1},
}
OTEL_SPANS = {
    "resourceSpans": [
        {
            "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "chat"}}]},
            "scopeSpans": [
                {
                    "scope": {"name": "openai-instrumentation"},
                    "spans": [
                        {
                            "traceId": "5b8efff798038103d269b633813fc60c",
                            "spanId": "eee19b7ec3c1b174",
                            "name": "chat gpt-4.1-mini",
                            "startTimeUnixNano": "1785751200000000000",
                            "attributes": [
                                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                                {"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
                                {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4.1-mini"}},
                                {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "100"}},
                                {"key": "gen_ai.usage.cache_read.input_tokens", "value": {"intValue": "50"}},
                                {
                                    "key": "gen_ai.usage.cache_creation.input_tokens",
                                    "value": {"intValue": "25"},
                                },
                                {"key": "gen_ai.usage.output_tokens", "value": {"intValue": "180"}},
                            ],
                        },
                        {"traceId": "5b8e", "spanId": "01", "name": "retrieve", "startTimeUnixNano": "1"},
                    ],
                }
            ],
        }
    ]
}


def read(file_format: str, document) -> list:
    stream = io.BytesIO(json.dumps(document).encode())
    return list(FORMATS[file_format](stream, max_rows=100))


def test_every_format_the_issue_names_is_offered():
    assert list(FORMATS) == [
        "generic",
        "openai-usage",
        "anthropic-usage",
        "openrouter-activity",
        "litellm-spend",
        "langfuse-observations",
        "otel-genai",
    ]


def test_openai_cached_tokens_are_taken_out_of_input_and_the_bucket_is_five_requests():
    grouped = json.loads(json.dumps(OPENAI_PAGE))
    grouped["data"][0]["results"][0]["model"] = "gpt-4.1-mini"
    [record] = read("openai-usage", grouped)
    assert record.usage == BillUsage(input_tokens=200, cache_read_tokens=800, output_tokens=500)
    assert (record.model, record.requests, record.service_tier) == ("openai/gpt-4.1-mini", 5, "standard")
    assert record.at == datetime(2024, 11, 1, tzinfo=UTC)


def test_an_openai_page_not_grouped_by_model_is_refused_naming_the_row():
    with pytest.raises(UsageFileError, match="Row 1, column model: a model is required"):
        read("openai-usage", OPENAI_PAGE)


def test_openai_batch_results_bill_on_the_batch_tier():
    page = json.loads(json.dumps(OPENAI_PAGE))
    page["data"][0]["results"][0].update(model="gpt-4.1-mini", batch=True)
    assert read("openai-usage", page)[0].service_tier == "batch"


def test_anthropics_report_is_already_disjoint_with_cache_writes_by_lifetime():
    [record] = read("anthropic-usage", ANTHROPIC_REPORT)
    assert record.usage == BillUsage(
        input_tokens=1500,
        cache_read_tokens=200,
        cache_write_5m_tokens=500,
        cache_write_1h_tokens=1000,
        output_tokens=500,
        web_searches=10,
    )
    assert (record.model, record.at) == (
        "anthropic/claude-sonnet-4-20250514",
        datetime(2025, 8, 1, tzinfo=UTC),
    )
    assert record.tags == ("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",)


def test_openrouter_reasoning_comes_out_of_completion_tokens_and_usage_is_the_reported_cost():
    [record] = read("openrouter-activity", OPENROUTER_ACTIVITY)
    assert record.usage == BillUsage(input_tokens=50, output_tokens=100, reasoning_tokens=25)
    assert (record.model, record.requests, record.reported_cost_usd) == (
        "openai/gpt-4.1",
        5,
        Decimal("0.015"),
    )
    assert record.at == datetime(2025, 8, 24, tzinfo=UTC)


def test_litellm_prompt_tokens_hold_the_cached_ones_and_spend_is_the_reported_cost():
    [record] = read("litellm-spend", LITELLM_LOGS)
    assert record.usage == BillUsage(
        input_tokens=200, cache_read_tokens=1000, output_tokens=150, reasoning_tokens=50
    )
    assert (record.model, record.reported_cost_usd) == ("openai/gpt-4.1-mini", Decimal("0.00123"))
    assert record.tags == ("jobID:214590dsff09fds", "taskName:run_page_classification")


def test_langfuse_usage_types_are_disjoint_and_total_is_not_a_quantity():
    [record] = read("langfuse-observations", LANGFUSE_OBSERVATIONS)
    assert record.usage == BillUsage(
        input_tokens=100, cache_read_tokens=1000, cache_write_5m_tokens=200, output_tokens=50
    )
    assert (record.model, record.reported_cost_usd) == ("anthropic/claude-sonnet-4-6", Decimal("0.00135"))


def test_otel_input_tokens_include_cache_reads_and_writes_and_other_spans_are_skipped():
    [record] = read("otel-genai", OTEL_SPANS)
    assert record.usage == BillUsage(
        input_tokens=25, cache_read_tokens=50, cache_write_5m_tokens=25, output_tokens=180
    )
    assert (record.model, record.at) == ("openai/gpt-4.1-mini", datetime(2026, 8, 3, 10, tzinfo=UTC))


@pytest.mark.parametrize(
    ("file_format", "document", "words"),
    [
        ("openai-usage", {"data": "x"}, "'data' is not a list"),
        ("anthropic-usage", {"nope": []}, "no 'data' list"),
        (
            "litellm-spend",
            [{"model": "m", "startTime": "2026-08-03T10:00:00Z", "prompt_tokens": -1}],
            "Row 1",
        ),
        (
            "litellm-spend",
            [
                {
                    "model": "m",
                    "startTime": "2026-08-03T10:00:00Z",
                    "prompt_tokens": 5,
                    "metadata": {"usage_object": {"prompt_tokens_details": {"cached_tokens": 9}}},
                }
            ],
            "9 is more than the 5 it is part of",
        ),
        (
            "langfuse-observations",
            {"data": [{"model": "m", "startTime": "never"}]},
            "'never' is not a moment",
        ),
    ],
)
def test_a_bad_vendor_file_is_refused_naming_what(file_format, document, words):
    with pytest.raises(UsageFileError, match=words):
        read(file_format, document)


def test_a_file_that_is_not_json_is_refused():
    with pytest.raises(UsageFileError, match="not valid JSON"):
        list(FORMATS["otel-genai"](io.BytesIO(b"timestamp,model\n"), max_rows=10))


def upload_format(client, file_format: str, document) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = json.dumps(document).encode()
    body = {"file": SimpleUploadedFile("export.json", data, "application/json"), "format": file_format}
    response = client.post("/api/v1/usage/imports", body)
    assert response.status_code == 202, response.content
    return json.loads(client.get(f"/api/v1/usage/imports/{json.loads(response.content)['id']}").content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_format", "document", "total", "reported", "difference"),
    [
        # 5 requests of 10 in, 20 out + 5 reasoning on GPT-4.1 ($2.00 / $8.00 per million)
        ("openrouter-activity", OPENROUTER_ACTIVITY, "0.0011", "0.015", "-0.0139"),
        # GPT-4.1 mini: 200 x 0.40 + 1,000 cached x 0.10 + 200 out (150 + 50 reasoning) x 1.60
        ("litellm-spend", LITELLM_LOGS, "0.0005", "0.00123", "-0.00073"),
        # Claude Sonnet 4.6: 100 x 3.00 + 1,000 read x 0.30 + 200 written (5 min) x 3.75 + 50 x 15.00
        ("langfuse-observations", LANGFUSE_OBSERVATIONS, "0.0021", "0.00135", "0.00075"),
    ],
)
def test_a_vendor_export_imports_with_its_reported_cost_reconciled(
    client, seeded, file_format, document, total, reported, difference
):
    report = upload_format(client, file_format, document)
    assert report["format"] == file_format
    assert (report["total_usd"], report["reported_usd"], report["difference_usd"]) == (
        total,
        reported,
        difference,
    )
    assert report["reconciliation"][0]["difference_usd"] == difference


@pytest.mark.django_db
def test_an_unknown_format_is_refused(client, seeded):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = {"file": SimpleUploadedFile("x.json", b"{}", "application/json"), "format": "excel"}
    response = client.post("/api/v1/usage/imports", body)
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["field"] == "format"
