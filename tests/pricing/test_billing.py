"""Bills from the catalogue: the version in force at the moment, its variants stored and read back
in full, each line traced to its version; published prices only (see ``bill_sheets``)."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from pricing.bill import BillError, BillUsage
from pricing.bill.notation import exact_notation
from pricing.bill.rates import Rates, TierRates
from pricing.bill.sheet import Provenance
from pricing.models import LanguageModel, PriceProposal, PriceVersion, Provider
from pricing.models.sheets import VariantRate, price_sheet
from pricing.selectors.bills import bill_for, prefetch_sheets, sheet_of
from pricing.services.versions import CARRY, PriceRejected, accept_proposal, publish_price_version
from pricing.sources.diff import rates_to_json
from tests.conftest import utc
from tests.pricing.legacy_sheet_json import sheet_to_json

from . import bill_sheets as sheets

pytestmark = pytest.mark.django_db
OPUS_PAGE = "https://platform.claude.com/docs/en/about-claude/pricing"


def publish(model, start, rates, sheet=CARRY, url=""):
    return publish_price_version(
        model=model,
        rates=rates,
        effective_from=start,
        origin=PriceVersion.Origin.IMPORT,
        change_reason="test",
        source_url=url,
        sheet=sheet,
    )


@pytest.fixture
def opus(db):
    anthropic = Provider.objects.create(slug="anthropic", name="Anthropic")
    model = LanguageModel.objects.create(
        provider=anthropic, slug="claude-opus-4-6", name="Claude Opus 4.6", tokenizer_key="claude"
    )
    flat = Rates(D("5"), D("25"), D("0.5"), D("6.25"), D("10"), D("2.5"), D("12.5"))
    long_context = Rates(**{**flat.__dict__, "tiers": (TierRates(200_000, D("10"), D("37.5")),)})
    publish(model, utc(2026, 2, 5), long_context, sheets.opus_4_6(long_context_tier=True), OPUS_PAGE)
    publish(model, utc(2026, 3, 13), flat, sheets.opus_4_6(), OPUS_PAGE)
    return model


def test_a_bill_from_the_catalogue_is_the_published_batch_bill(opus):
    usage = BillUsage(input_tokens=50_000, cache_read_tokens=50_000, output_tokens=1_000)
    bill, version = bill_for(model_key="anthropic/claude-opus-4-6", usage=usage, service_tier="batch")
    assert bill.total_usd == D("0.15")
    assert {line.provenance for line in bill.lines} == {Provenance(version.pk, utc(2026, 3, 13), OPUS_PAGE)}


def test_the_200k_tier_ends_on_its_price_change_date(opus):
    usage = BillUsage(input_tokens=250_000)
    last_second = utc(2026, 3, 13) - timedelta(seconds=1)
    before, _ = bill_for(model_key="anthropic/claude-opus-4-6", usage=usage, at=last_second)
    after, _ = bill_for(model_key="anthropic/claude-opus-4-6", usage=usage, at=utc(2026, 3, 13))
    assert (before.total_usd, after.total_usd) == (D("2.5"), D("1.25"))


def test_the_sheet_reads_back_as_it_was_published(opus):
    version = PriceVersion.objects.get(model=opus, effective_from=utc(2026, 2, 5))
    stored = price_sheet(version)
    assert stored.variants == sheets.opus_4_6(long_context_tier=True).variants


def test_a_version_without_variant_rows_bills_by_its_flat_rates(gpt_54):
    usage = BillUsage(input_tokens=300_000, output_tokens=1_000)
    bill, _ = bill_for(model_key="openai/gpt-5.4", usage=usage, at=utc(2026, 11, 27))
    assert bill.total_usd == D("1.5225")


def test_deepseek_v3_price_change_at_16_00_utc(db):
    deepseek = Provider.objects.create(slug="deepseek", name="DeepSeek")
    model = LanguageModel.objects.create(
        provider=deepseek, slug="deepseek-chat", name="V3", tokenizer_key="x"
    )
    publish(model, utc(2025, 2, 8), Rates(D("0.27"), D("1.10")))
    publish(model, utc(2025, 9, 5, 16), Rates(D("0.56"), D("1.68"), D("0.07")))
    usage = BillUsage(input_tokens=1_000_000)
    change = utc(2025, 9, 5, 16)
    before, _ = bill_for(model_key="deepseek/deepseek-chat", usage=usage, at=change - timedelta(seconds=1))
    after, _ = bill_for(model_key="deepseek/deepseek-chat", usage=usage, at=change)
    assert (before.total_usd, after.total_usd) == (D("0.27"), D("0.56"))


def test_an_invalid_sheet_is_refused_and_nothing_is_written(opus):
    bad = sheets.opus_4_6()
    bad.variants["batch"].prices["input"] = sheets.per_mtok(input="9")["input"]
    versions, rates = PriceVersion.objects.count(), VariantRate.objects.count()
    with pytest.raises(PriceRejected) as caught:
        publish(opus, utc(2026, 12, 1), Rates(D("5"), D("25")), bad)
    assert caught.value.problems[0].field == "sheet"
    assert "batch input is above standard" in caught.value.problems[0].message
    assert (PriceVersion.objects.count(), VariantRate.objects.count()) == (versions, rates)


def test_variant_rates_are_append_only(opus):
    rate = VariantRate.objects.first()
    rate.usd = D("0")
    with pytest.raises(PermissionDenied):
        rate.save()
    with pytest.raises(PermissionDenied):
        rate.delete()


@pytest.mark.parametrize(
    ("key", "at", "field"),
    [("anthropic/claude-nope", None, "model"), ("anthropic/claude-opus-4-6", utc(2020, 1, 1), "at")],
)
def test_an_unknown_model_or_a_moment_before_any_price_names_the_field(opus, key, at, field):
    with pytest.raises(BillError) as caught:
        bill_for(model_key=key, usage=BillUsage(input_tokens=1), at=at)
    assert caught.value.field == field


def test_an_accepted_proposal_publishes_its_sheet(opus, editor):
    rates = Rates(D("5"), D("25"), D("0.5"))
    proposed = rates_to_json(rates) | {"extras": exact_notation(sheets.opus_4_6(), rates)}
    proposal = PriceProposal.objects.create(
        model=opus, proposed=proposed, effective_from=utc(2026, 12, 1), reason="locked price"
    )
    version = accept_proposal(proposal=proposal, user=editor)
    assert price_sheet(version).variants == sheets.opus_4_6().variants


def test_a_proposal_stored_with_a_full_json_sheet_is_still_published_exactly(opus, editor):
    proposed = rates_to_json(Rates(D("5"), D("25"), D("0.5"))) | {"sheet": sheet_to_json(sheets.opus_4_6())}
    proposal = PriceProposal.objects.create(
        model=opus, proposed=proposed, effective_from=utc(2026, 12, 1), reason="locked price"
    )
    version = accept_proposal(proposal=proposal, user=editor)
    assert price_sheet(version).variants == sheets.opus_4_6().variants


def test_a_new_flat_price_keeps_the_service_tiers_and_follows_the_new_rates(opus):
    publish(opus, utc(2026, 12, 1), Rates(D("4"), D("20"), D("0.4"), D("5"), D("8"), D("2"), D("10")))
    usage = BillUsage(cache_read_tokens=100_000, web_searches=1)
    bill, _ = bill_for(
        model_key="anthropic/claude-opus-4-6", usage=usage, at=utc(2026, 12, 2), service_tier="batch"
    )
    # The batch discount still halves the (new) cache read, 0.40 -> 0.20; a search is still $0.01.
    assert bill.total_usd == D("0.02") + D("0.01")


def test_publishing_without_a_sheet_on_purpose_drops_the_extras(opus):
    flat = Rates(D("4"), D("20"))
    version = publish_price_version(
        model=opus,
        rates=flat,
        effective_from=utc(2026, 12, 1),
        origin="import",
        change_reason="t",
        sheet=None,
    )
    assert not version.variant_rates.exists()


def test_a_process_reads_each_version_sheet_once_and_each_version_its_own(opus, django_assert_num_queries):
    """Sheets are append-only, so ``sheet_of`` keeps them; a later version is a new entry."""
    older, newer = PriceVersion.objects.filter(model=opus).order_by("effective_from")
    assert sheet_of(older) == price_sheet(PriceVersion.objects.get(pk=older.pk))
    again = PriceVersion.objects.get(pk=older.pk)  # another instance of the same version
    with django_assert_num_queries(0):
        prefetch_sheets([again])
        assert sheet_of(again) == sheet_of(older)
    assert sheet_of(newer) == price_sheet(PriceVersion.objects.get(pk=newer.pk))
    assert sheet_of(newer) != sheet_of(older)  # the 200k tier ended with the older version
