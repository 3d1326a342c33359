"""Hostile input against every documented endpoint: schemathesis generates requests from
/api/v1/openapi.json and calls the app in-process; no response may be a server error."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def keep_test_connection():
    """The raw WSGI app closes old connections at each request's end, which would close the
    test's transaction on PostgreSQL; Django's own test client suspends that the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db, keep_test_connection):
    """Seeded inside the test's transaction: once per operation, rolled back after it."""
    from pricing.services.seed import load_seed_catalogue

    load_seed_catalogue()


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_api_fail(case, seeded):
    response = case.call()
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
    )
