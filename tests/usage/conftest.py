"""Usage imports are tested on the seed catalogue, with uploads kept in the test's own folder and
the API's rate limit off (the tests bill thousands of rows one request at a time)."""

import csv
import io
import json
from decimal import Decimal

import pytest

from pricing.services.seed import load_seed_catalogue

HEADER = [
    "timestamp",
    "model",
    "input_tokens",
    "cache_read_tokens",
    "cache_write_5m_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
    "service_tier",
    "reported_cost_usd",
    "tags",
]


@pytest.fixture
def usage_settings(settings, tmp_path):
    settings.USAGE_UPLOAD_DIR = tmp_path / "uploads"
    settings.API_RATE_LIMIT_REQUESTS = 0
    return settings


@pytest.fixture
def seeded(db, usage_settings):
    load_seed_catalogue()


def csv_bytes(rows: list[dict], header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def upload(client, data: bytes, name: str = "usage.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/api/v1/usage/imports", {"file": SimpleUploadedFile(name, data, "text/csv")})
    return response.status_code, json.loads(response.content)


def post_rows(client, rows: list[dict]):
    body = json.dumps({"rows": rows})
    response = client.post("/api/v1/usage/imports", body, content_type="application/json")
    return response.status_code, json.loads(response.content)


def get_import(client, import_id: str) -> dict:
    response = client.get(f"/api/v1/usage/imports/{import_id}")
    assert response.status_code == 200, response.content
    return json.loads(response.content)


USAGE_FIELDS = HEADER[2:8]


def bill_over_http(client, row: dict) -> tuple[int, Decimal | None]:
    """What POST /api/v1/bill says of one row: (status, total) - the test's reference."""
    usage = {name: int(row[name]) for name in USAGE_FIELDS if row.get(name) not in (None, "")}
    body = {"model": row["model"], "at": row["timestamp"], "usage": usage}
    if row.get("service_tier"):
        body["service_tier"] = row["service_tier"]
    response = client.post("/api/v1/bill", json.dumps(body), content_type="application/json")
    data = json.loads(response.content)
    return response.status_code, Decimal(data["total_usd"]) if response.status_code == 200 else None
