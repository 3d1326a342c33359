"""Issue 16's sweep for the admin's price form: hostile values in every field (huge, tiny and
non-finite numbers, formulas, NUL characters, invalid UTF-8, 100 KB cells, foreign ids) never make
a 5xx, and a refused form writes nothing. 60 generated posts (derandomized in CI)."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pricing.models import PriceTier, PriceVersion

from .test_admin import ADD_URL, form_data

FIELDS = [
    "model",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "cache_read_usd_per_mtok",
    "batch_input_usd_per_mtok",
    "batch_output_usd_per_mtok",
    "request_usd",
    "effective_from_0",
    "effective_from_1",
    "change_reason",
    "source_url",
    "tier1_threshold_tokens",
    "tier1_input_usd_per_mtok",
    "tier1_output_usd_per_mtok",
]
HOSTILE = st.one_of(
    st.sampled_from(
        [
            "NaN",
            "Infinity",
            "-Infinity",
            "1e999999",
            "1e-999999",
            "-0",
            "0",
            "=1+1",
            "+1",
            "@SUM(A1)",
            "9" * 400,
        ]
    ),
    st.sampled_from(["a\x00b", "2026-02-30", "0000-01-01", "9999-12-31", "25:61:00", "99999999999999999999"]),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
    st.integers(10_000, 100_000).map(lambda n: "x" * n),
)


@pytest.fixture
def editor_client(client, editor, gpt_54):
    client.force_login(editor)
    return client, gpt_54


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(changes=st.dictionaries(st.sampled_from(FIELDS), HOSTILE, min_size=1, max_size=4))
def test_no_hostile_admin_form_makes_a_5xx_and_a_refusal_writes_nothing(editor_client, changes):
    client, model = editor_client
    data = {k: str(v) for k, v in form_data(model).items()}
    body = "&".join(
        f"{quote(key)}={quote(changes.get(key, data.get(key, '')), safe='')}" for key in {*data, *changes}
    )
    before = (PriceVersion.objects.count(), PriceTier.objects.count())
    response = client.post(ADD_URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert (PriceVersion.objects.count(), PriceTier.objects.count()) == before
        assert b"errornote" in response.content or b"errorlist" in response.content
