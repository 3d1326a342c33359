"""The all-models estimate's fast path: each row's money equals the bill engine's bill for that one
model (``bill_for``, which reads the version and bills it alone), models with equal prices share a
bill and models with other prices do not; and the page's table answer (POST /api/v1/estimate/table)
holds the public answer's rows, value for value.

The seed catalogue has a long-context tier (GPT-5.4 above 272K), time bands (DeepSeek V4: peak on
weekdays), flex and batch prices; two models are added with GPT-5.4's prices exactly, and one
with its output a cent dearer."""

import json
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from calculator.estimate import cache_usage
from pricing.bill import BillError
from pricing.bill.money import money
from pricing.bill.rates import Rates, TierRates
from pricing.models import LanguageModel, PriceVersion, Provider
from pricing.selectors.bills import bill_for, prices_key, sheet_of
from pricing.services.seed import load_seed_catalogue
from pricing.services.versions import publish_price_version
from tests.conftest import anthropic_contract

pytestmark = pytest.mark.django_db

TWINS = {"twin/gpt-5.4-twin": "15.00", "twin/gpt-5.4-other-host": "15.00", "twin/gpt-5.4-dearer": "15.01"}

# (request, why): each billed for every model, then checked row by row against bill_for.
REQUESTS = [
    ({"input_tokens": 300_000, "output_tokens": 1_000, "as_of": "2026-11-27"}, "over the 272K tier"),
    (
        {
            "input_tokens": 50_000,
            "output_tokens": 700,
            "cached_input_share": 0.3,
            "cache_write_share": 0.1,
            "cache_write_lifetime": "1h",
            "reasoning_tokens": 200,
            "as_of": "2026-11-27",
        },
        "cache reads, writes and reasoning",
    ),
    ({"input_tokens": 10_000, "service_tier": "flex", "as_of": "2026-11-27"}, "flex where offered"),
    ({"input_tokens": 280_000, "batch": True, "as_of": "2026-11-27"}, "batch, over the tier"),
    ({"input_tokens": 1_000_000, "as_of": "2026-08-24T03:00:00Z"}, "a weekday's peak band"),
    ({"input_tokens": 1_000_000, "as_of": "2026-08-23T03:00:00Z"}, "a Sunday, off-peak"),
    ({"text": "How much will this prompt cost on every model? " * 40, "as_of": "2026-11-27"}, "a text"),
]


@pytest.fixture(autouse=True)
def seeded(db):
    load_seed_catalogue()
    twin = Provider.objects.create(slug="twin", name="Twin Hosting")
    for key, output in TWINS.items():
        model = LanguageModel.objects.create(
            provider=twin, slug=key.partition("/")[2], name=key, tokenizer_key="o200k_base"
        )
        publish_price_version(
            model=model,
            rates=Rates(
                D("2.50"),
                D(output),
                D("0.25"),
                batch_input_usd_per_mtok=D("1.25"),
                batch_output_usd_per_mtok=D("7.50"),
                tiers=(TierRates(272_000, D("5.00"), D("22.50"), D("0.50")),),
            ),
            effective_from=datetime(2026, 3, 5, tzinfo=UTC),
            origin=PriceVersion.Origin.SEED,
            change_reason="test: GPT-5.4's prices at another host",
        )


def post(client, url, body):
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def engine_bill(row, body):
    """The bill of one model's request, billed alone: at the requested tier where the model offers
    it, else at standard (as the estimate promises)."""
    usage = cache_usage(
        row["input_tokens"],
        row["output_tokens"],
        row["cached_input_tokens"],
        row["cache_write_tokens"],
        row["cache_write_lifetime"] or "5m",
        reasoning_tokens=row["reasoning_tokens"],
    )
    at = datetime.fromisoformat(row_as_of(body))
    tier = "batch" if body.get("batch") else body.get("service_tier", "standard")
    key = f"{row['provider']}/{row['model']}"
    try:
        return bill_for(model_key=key, usage=usage, at=at, service_tier=tier)[0]
    except BillError as error:
        assert error.field == "service_tier", error
        return bill_for(model_key=key, usage=usage, at=at)[0]


def row_as_of(body):
    moment = body["as_of"]
    return moment.replace("Z", "+00:00") if "T" in moment else f"{moment}T23:59:59.999999+00:00"


@pytest.mark.parametrize(("body", "why"), REQUESTS, ids=[why for _, why in REQUESTS])
def test_every_row_costs_what_the_engine_bills_that_model_alone(client, body, why):
    status, answer = post(client, "/api/v1/estimate", {**body, "all_models": True})
    assert status == 200, answer
    priced = [row for row in answer["results"] if row["total_usd"] is not None]
    assert len(priced) >= 15  # the seed catalogue and the twins, not a handful
    for row in priced:
        bill = engine_bill(row, body)
        expected = (money(bill.total_usd), money(bill.prompt_usd), bill.tier_threshold_tokens, bill.variant)
        got = (row["total_usd"], row["input_usd"], row["tier_applied"], row["service_tier"])
        assert got == expected, f"{row['provider']}/{row['model']} ({why})"


def test_equal_prices_share_a_bill_and_a_cent_more_does_not(client):
    status, answer = post(
        client, "/api/v1/estimate", {"input_tokens": 300_000, "output_tokens": 1_000_000, "all_models": True}
    )
    assert status == 200, answer
    rows = {f"{r['provider']}/{r['model']}": r for r in answer["results"]}
    # 300,000 x 5.00 + 1,000,000 x 22.50 per million: every model priced as GPT-5.4, tier crossed.
    for key in ("openai/gpt-5.4", "twin/gpt-5.4-twin", "twin/gpt-5.4-other-host"):
        assert (rows[key]["total_usd"], rows[key]["tier_applied"]) == ("24", 272_000), key
    # Its base output price is a cent dearer; above the tier it bills alike.
    assert rows["twin/gpt-5.4-dearer"]["output_usd_per_mtok"] == "22.5"
    base = post(
        client, "/api/v1/estimate", {"input_tokens": 1_000, "output_tokens": 1_000_000, "all_models": True}
    )
    cheap = {f"{r['provider']}/{r['model']}": r["total_usd"] for r in base[1]["results"]}
    assert cheap["twin/gpt-5.4-twin"] == "15.0025"  # 1,000 x 2.50 + 1,000,000 x 15.00 per million
    assert cheap["twin/gpt-5.4-dearer"] == "15.0125"


def test_prices_key_ignores_provenance_and_tells_prices_apart():
    versions = {
        key: PriceVersion.objects.get(model__provider__slug="twin", model__slug=key.partition("/")[2])
        for key in TWINS
    }
    twin, host, dearer = (sheet_of(versions[key]) for key in TWINS)
    assert twin.provenance != host.provenance
    assert prices_key(twin) == prices_key(host)
    assert prices_key(twin) != prices_key(dearer)


def table_as_results(answer):
    table = answer.pop("results_table")
    answer["results"] = [dict(zip(table["fields"], values, strict=True)) for values in table["rows"]]
    return answer


@pytest.mark.parametrize(
    "body",
    [
        {"text": "Count me on every model, please.", "all_models": True, "as_of": "2026-11-27T10:00:00Z"},
        {"input_tokens": 300_000, "all_models": True, "cached_input_share": 0.5, "as_of": "2026-11-27"},
        {"input_tokens": 5_000, "as_of": "2020-01-01"},  # nothing priced then: rows with price notes
        {"input_tokens": 5_000, "models": ["openai/gpt-5.4"], "overlay": "acme-2026", "as_of": "2026-11-27"},
        {"input_tokens": 5_000, "all_models": True, "overlay": "acme-2026", "as_of": "2026-11-27"},
    ],
    ids=["text", "tokens", "unpriced", "overlay-one", "overlay-all"],
)
def test_the_table_answer_is_the_public_answer_with_rows_as_values(client, body):
    anthropic_contract()
    public_status, public = post(client, "/api/v1/estimate", body)
    table_status, table = post(client, "/api/v1/estimate/table", body)
    assert (public_status, table_status) == (200, 200), (public, table)
    assert "results" not in table
    assert table["results_table"]["fields"][:3] == ["provider", "model", "name"]
    for answer in (public, table):
        answer.pop("elapsed_ms")
    assert table_as_results(table) == public


def test_the_table_answer_refuses_bad_input_as_the_public_one_does(client):
    status, answer = post(client, "/api/v1/estimate/table", {"input_tokens": -1})
    assert (status, answer["error"]["field"]) == (400, "input_tokens")
    status, answer = post(client, "/api/v1/estimate/table", {"input_tokens": 1, "models": ["nobody/none"]})
    assert (status, answer["error"]["code"]) == (400, "unknown_model")


def test_the_table_answer_is_not_in_the_public_api_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/estimate" in paths
    assert "/api/v1/estimate/table" not in paths


def test_what_the_estimate_keeps_between_requests_follows_every_catalogue_change(client):
    """The catalogue read is reused across requests (rows the database returns unchanged are not
    converted again); each kind of change an admin or an import writes shows in the next estimate,
    including writes that send no signal (``QuerySet.update``)."""
    body = {"input_tokens": 1_000, "output_tokens": 1_000_000, "all_models": True, "as_of": "2026-11-27"}

    def rows():
        status, answer = post(client, "/api/v1/estimate/table", body)
        assert status == 200, answer
        return {f"{r['provider']}/{r['model']}": r for r in table_as_results(answer)["results"]}

    before = rows()
    assert before["twin/gpt-5.4-twin"]["total_usd"] == "15.0025"
    assert before["twin/gpt-5.4-twin"]["name"] == "twin/gpt-5.4-twin"
    twin = LanguageModel.objects.get(provider__slug="twin", slug="gpt-5.4-twin")
    # A new price from June: 1,000 x 2.50 + 1,000,000 x 16.00 per million.
    publish_price_version(
        model=twin,
        rates=Rates(D("2.50"), D("16.00"), D("0.25")),
        effective_from=datetime(2026, 6, 1, tzinfo=UTC),
        origin=PriceVersion.Origin.SEED,
        change_reason="test: a dearer output price",
    )
    LanguageModel.objects.filter(pk=twin.pk).update(name="Twin renamed", context_window=1_000)
    LanguageModel.objects.filter(provider__slug="twin", slug="gpt-5.4-other-host").update(
        retired_at=datetime(2026, 11, 1, tzinfo=UTC)
    )
    dearer = PriceVersion.objects.get(model__provider__slug="twin", model__slug="gpt-5.4-dearer")
    PriceVersion.objects.filter(pk=dearer.pk).update(effective_to=datetime(2026, 10, 1, tzinfo=UTC))
    after = rows()
    assert after["twin/gpt-5.4-twin"]["total_usd"] == "16.0025"
    assert (after["twin/gpt-5.4-twin"]["name"], after["twin/gpt-5.4-twin"]["context_window"]) == (
        "Twin renamed",
        1_000,
    )
    assert after["twin/gpt-5.4-twin"]["fits_context"] is False
    assert "twin/gpt-5.4-other-host" not in after  # retired by then: not sold
    assert after["twin/gpt-5.4-dearer"]["total_usd"] is None  # its only price ended in October
    # The same request once more answers the same (from what was kept).
    assert rows() == after


def update_as_results(base, answer):
    """A re-cost answer (``results_update``) read as the page reads it: each row is the base row at
    its place, with the changing values from the update."""
    update = answer.pop("results_update")
    table = base["results_table"]
    held = [None] * len(table["rows"])
    for place, values in zip(table["places"], table["rows"], strict=True):
        held[place] = dict(zip(table["fields"], values, strict=True))
    answer["results"] = [
        {**held[place], **dict(zip(update["fields"], update["values"][which], strict=True))}
        for place, which in update["rows"]
    ]
    return answer


RECOSTS = [
    {"text": "Count me on every model, please.", "all_models": True, "as_of": "2026-11-27T10:00:00Z"},
    {"input_tokens": 300_000, "all_models": True, "cached_input_share": 0.5, "as_of": "2026-11-27"},
    {"input_tokens": 5_000, "all_models": True, "overlay": "acme-2026", "as_of": "2026-11-27"},
    {"input_tokens": 50_000, "as_of": "2026-11-27"},  # the featured set
]


@pytest.mark.parametrize("body", RECOSTS, ids=["text", "tokens-cached", "overlay-all", "featured"])
def test_a_recost_against_the_rows_held_sends_only_what_changed_and_equals_the_public_answer(client, body):
    """Another output size (and reasoning, requests a month, tier): the rows' static values are
    the same, so ``?since=<stamp>`` answers with the changing values only; read onto the rows of
    the first answer they are the public estimate's rows for the new request, value for value, in
    its order (price versions and tokenizers included)."""
    anthropic_contract()
    status, first = post(client, "/api/v1/estimate/table", {**body, "output_tokens": 500})
    assert status == 200, first
    stamp = first["results_table"]["stamp"]
    again = {
        **body,
        "output_tokens": 2_000_000,
        "reasoning_tokens": 300,
        "requests_per_month": 7,
        "batch": True,
    }
    status, update = post(client, f"/api/v1/estimate/table?since={stamp}", again)
    assert status == 200, update
    assert "results_table" not in update and update["results_update"]["stamp"] == stamp
    assert len(update["results_update"]["values"]) <= len(update["results_update"]["rows"])
    assert not {"name", "price_version", "tokenizer"} & set(update["results_update"]["fields"])
    status, public = post(client, "/api/v1/estimate", again)
    assert status == 200, public
    recost = update_as_results(first, update)
    assert [row["total_usd"] for row in recost["results"]] != [
        row[first["results_table"]["fields"].index("total_usd")] for row in first["results_table"]["rows"]
    ]
    for answer in (public, recost):
        answer.pop("elapsed_ms")
    assert recost == public
    assert all(row["price_version"] for row in recost["results"] if row["total_usd"] is not None)


def test_a_recost_with_another_stamp_gets_the_full_answer(client):
    """A stamp the rows do not have (unknown, another text, a catalogue change) gets the full
    answer with the rows' own stamp, never values to lay onto other rows."""
    body = {"text": "Count me on every model, please.", "all_models": True, "as_of": "2026-11-27"}
    status, first = post(client, "/api/v1/estimate/table", body)
    stamp = first["results_table"]["stamp"]
    status, same = post(client, f"/api/v1/estimate/table?since={stamp}", {**body, "output_tokens": 9})
    assert "results_update" in same  # the control: the same rows answer with the update

    def full(since, request):
        status, answer = post(client, f"/api/v1/estimate/table?since={since}", request)
        assert status == 200, answer
        assert "results_update" not in answer
        return answer["results_table"]["stamp"]

    assert full("not-a-stamp", body) == stamp
    other_text = full(stamp, {**body, "text": "Another text, counted afresh."})
    assert other_text != stamp
    featured = full(stamp, {**body, "all_models": False})
    assert featured not in (stamp, other_text)
    LanguageModel.objects.filter(provider__slug="twin", slug="gpt-5.4-twin").update(name="Twin renamed")
    renamed = full(stamp, body)
    assert renamed != stamp
    status, answer = post(client, f"/api/v1/estimate/table?since={renamed}", body)
    rows = update_as_results({"results_table": {**answer_table(client, body)}}, answer)["results"]
    assert {row["name"] for row in rows if row["model"] == "gpt-5.4-twin"} == {"Twin renamed"}


def answer_table(client, body):
    return post(client, "/api/v1/estimate/table", body)[1]["results_table"]
