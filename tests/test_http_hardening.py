"""Security headers, API rate limiting, and a clear 503 when the database is down."""

import json

import pytest
from django.db import connections


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get("/models")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_the_api_answers_429_with_retry_after_past_the_limit(client, db, settings):
    settings.API_RATE_LIMIT_REQUESTS = 3
    statuses = [client.get("/api/v1/tokenizers").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/tokenizers")
    assert int(response["Retry-After"]) > 0
    assert json.loads(response.content)["error"]["code"] == "rate_limited"
    assert client.get("/models").status_code == 200  # pages are not limited


def test_the_api_keeps_serving_when_the_rate_limit_cache_is_down(client, db, settings, caplog, monkeypatch):
    """Redis as the cache, on a port where nothing listens: requests pass, unlimited, logged."""
    import socket

    from config.middleware import ApiRateLimitMiddleware

    monkeypatch.setattr(ApiRateLimitMiddleware, "_last_warning", 0.0)  # log this time, whatever ran before

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    settings.API_RATE_LIMIT_REQUESTS = 1
    statuses = [client.get("/api/v1/tokenizers").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert "API rate limit not enforced: the cache is unreachable" in caplog.text


@pytest.fixture
def database_down(django_db_blocker):
    """Point the default connection at a PostgreSQL port nobody listens on (a real failure).
    An embedded SQLite file cannot be "unreachable", so these tests run on PostgreSQL."""
    with django_db_blocker.unblock():
        connection = connections["default"]
        saved = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})
        yield
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.postgresql
def test_healthz_says_the_database_is_down_with_503(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"].startswith("unreachable")


@pytest.mark.postgresql
def test_pages_and_api_show_a_clear_message_when_the_database_is_down(client, database_down):
    page = client.get("/models")
    assert page.status_code == 503 and "database cannot be reached" in page.content.decode()
    assert "Traceback" not in page.content.decode() and "OperationalError" not in page.content.decode()
    api = client.get("/api/v1/models")
    assert api.status_code == 503 and json.loads(api.content)["error"]["code"] == "unavailable"


def test_a_nul_character_in_the_url_is_a_clear_400(client, db):
    for url in ["/api/v1/models?search=a%00b", "/api/v1/models/open%00ai/x/prices"]:
        response = client.get(url)
        assert response.status_code == 400 and "NUL" in json.loads(response.content)["error"]["message"]
    page = client.get("/models?q=%00")
    assert page.status_code == 400 and "NUL" in page.content.decode()


def test_admin_forms_refuse_a_post_without_a_csrf_token(editor, gpt_54):
    from django.test import Client

    from pricing.models import ImportRun, PriceVersion

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    versions = PriceVersion.objects.count()
    refresh = browser.post("/admin/pricing/importrun/refresh/", {"source": "genai-prices"})
    add = browser.post("/admin/pricing/priceversion/add/", {"model": gpt_54.pk, "input_usd_per_mtok": "0"})
    assert (refresh.status_code, add.status_code) == (403, 403)
    assert b"CSRF" in refresh.content
    assert not ImportRun.objects.exists() and PriceVersion.objects.count() == versions
    # The refresh form on the page carries the token a real browser sends back.
    page = browser.get("/admin/pricing/importrun/")
    assert b'name="csrfmiddlewaretoken"' in page.content


def test_the_api_takes_only_json_so_a_cross_site_form_cannot_post_to_it(client, gpt_54):
    """A form on another site can only send form encodings or text/plain; the API refuses both,
    and a JSON body from another origin needs a CORS preflight that this app never grants."""
    from calculator.models import Comparison

    form_types = ("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x")
    for content_type in form_types:
        response = client.post("/api/v1/comparisons", data='{"text": "hi"}', content_type=content_type)
        assert response.status_code == 415, content_type
        assert "application/json" in json.loads(response.content)["error"]["message"]
    assert not Comparison.objects.exists()
    preflight = client.options("/api/v1/comparisons", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in preflight


def test_a_program_posts_json_without_a_csrf_token(db):
    """The API is for programs: JSON needs no token (a cross-site form cannot send JSON, above)."""
    from django.test import Client

    program = Client(enforce_csrf_checks=True)
    response = program.post(
        "/api/v1/estimate", json.dumps({"input_tokens": 5}), content_type="application/json"
    )
    assert response.status_code == 200 and json.loads(response.content)["inputs"]["input_tokens"] == 5


def test_a_client_rotating_x_forwarded_for_behind_one_proxy_is_still_limited(client, db, settings):
    """The proxy appends the address it saw; what the client wrote sits to its left and is ignored."""
    settings.API_RATE_LIMIT_REQUESTS, settings.TRUSTED_PROXY_COUNT = 3, 1
    statuses = [
        client.get("/api/v1/tokenizers", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 198.51.100.7").status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    other = client.get("/api/v1/tokenizers", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.8")
    assert other.status_code == 200  # another client behind the same proxy has its own count


def test_two_trusted_proxies_take_the_second_entry_from_the_right(client, db, settings):
    settings.API_RATE_LIMIT_REQUESTS, settings.TRUSTED_PROXY_COUNT = 2, 2
    forwarded = [f"10.9.9.{i}, 198.51.100.7, 10.0.0.{i}" for i in range(3)]  # the inner proxy varies too
    statuses = [client.get("/api/v1/tokenizers", HTTP_X_FORWARDED_FOR=f).status_code for f in forwarded]
    assert statuses == [200, 200, 429]


def test_without_a_trusted_proxy_x_forwarded_for_is_not_read(client, db, settings):
    settings.API_RATE_LIMIT_REQUESTS, settings.TRUSTED_PROXY_COUNT = 2, 0
    statuses = [
        client.get("/api/v1/tokenizers", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_the_proxys_own_client_header_is_the_address_when_configured(client, db, settings):
    settings.API_RATE_LIMIT_REQUESTS, settings.CLIENT_IP_HEADER = 2, "X-Real-IP"
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = [
        client.get(
            "/api/v1/tokenizers", HTTP_X_REAL_IP="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        ).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/tokenizers", HTTP_X_REAL_IP="198.51.100.9").status_code == 200


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/models", "/api/v1/estimate", "/no-such-page"])
def test_a_body_over_the_request_limit_is_a_413_before_it_is_read(client, db, settings, path):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10**9),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert b"1,000 bytes" in response.content


def test_a_multipart_file_over_the_limit_posted_anonymously_is_refused(client, db, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_REQUEST_BYTES = 10_000
    big = SimpleUploadedFile("big.bin", b"x" * 20_000)
    assert client.post("/admin/login/", {"username": "a", "password": "b", "file": big}).status_code == 413
    assert client.post("/", {"file": SimpleUploadedFile("big.bin", b"x" * 20_000)}).status_code == 413


def test_the_admin_upload_alone_may_be_larger(client, settings, editor):
    settings.MAX_REQUEST_BYTES, settings.ADMIN_UPLOAD_MAX_BYTES = 1000, 100_000
    client.force_login(editor)
    body = b"x" * 5000
    upload = client.generic(
        "POST", "/admin/pricing/languagemodel/price-table/", body, content_type="application/octet-stream"
    )
    assert upload.status_code != 413
    over = client.generic(
        "POST",
        "/admin/pricing/languagemodel/price-table/",
        b"",
        CONTENT_LENGTH="100001",
        **{"wsgi.input": Unreadable()},
    )
    assert over.status_code == 413
    assert client.generic("POST", "/admin/login/", body).status_code == 413


def test_a_body_without_a_declared_length_is_refused_unread(client, db):
    response = client.generic(
        "POST", "/api/v1/estimate", b"", HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": Unreadable()}
    )
    assert response.status_code == 411
    assert json.loads(response.content)["error"]["code"] == "length_required"


def test_a_usage_export_may_be_as_large_as_its_own_limit(client, db, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_REQUEST_BYTES, settings.USAGE_MAX_UPLOAD_BYTES = 10_000, 200_000
    header = b"timestamp,model,input_tokens,output_tokens\n"
    rows = b"2026-11-02T10:00:00+00:00,openai/gpt-4o,1000,100\n" * 1000  # about 50 KB
    upload = client.post("/api/v1/usage/imports", {"file": SimpleUploadedFile("u.csv", header + rows)})
    assert upload.status_code != 413, upload.content[:300]
    over = client.generic(
        "POST", "/api/v1/usage/imports", b"", CONTENT_LENGTH="300000", **{"wsgi.input": Unreadable()}
    )
    assert over.status_code == 413
    assert client.post("/", {"file": SimpleUploadedFile("u.csv", header + rows)}).status_code == 413
