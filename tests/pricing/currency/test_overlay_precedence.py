"""Which overlay rule applies to a bill line (pure, no database): model over provider over all,
fixed over percentage, and only within the rule's period."""

from datetime import UTC, datetime
from decimal import Decimal as D

from pricing.bill.engine import BillLine
from pricing.bill.overlays import OverlayTerm, contracted_usd, term_for_line
from pricing.bill.sheet import Provenance

AT = datetime(2026, 6, 1, tzinfo=UTC)
LINE = BillLine(
    what="input", quantity=2_000_000, unit="tokens", rate_usd=D("3"), per=1_000_000, usd=D("6"),
    variant="standard", rate_kind="input", tier_threshold_tokens=None,
    provenance=Provenance(price_version=1, effective_from=AT, source_url=""),
)  # fmt: skip


def term(
    rule_id,
    scope,
    kind="percent",
    adjustment=D("-10"),
    fixed_usd=None,
    start=datetime(2026, 1, 1, tzinfo=UTC),
    **fields,
):
    return OverlayTerm(
        rule_id=rule_id, overlay="o", scope=scope, provider="anthropic" if scope != "all" else "",
        model="claude-sonnet-4-6" if scope == "model" else "", service_tier=fields.get("service_tier", ""),
        line_kind=fields.get("line_kind", ""), kind=kind, adjustment=adjustment if kind != "fixed" else None,
        fixed_usd=fixed_usd, effective_from=start, effective_until=None, note="", evidence_url="",
    )  # fmt: skip


def applied(terms, at=AT, provider="anthropic", model="claude-sonnet-4-6", service_tier="standard"):
    return term_for_line(terms, line=LINE, provider=provider, model=model, service_tier=service_tier, at=at)


def test_model_beats_provider_beats_all() -> None:
    everyone, provider, model = term(1, "all"), term(2, "provider"), term(3, "model")
    assert applied([everyone, provider, model]).rule_id == 3
    assert applied([everyone, provider]).rule_id == 2
    assert applied([everyone, provider], provider="openai", model="gpt-5.4").rule_id == 1


def test_fixed_beats_a_percentage_of_the_same_scope_but_not_a_narrower_scope() -> None:
    fixed = term(1, "provider", kind="fixed", fixed_usd=D("2"), line_kind="input")
    assert applied([term(2, "provider"), fixed]).rule_id == 1
    assert applied([term(3, "model"), fixed]).rule_id == 3


def test_a_rule_applies_only_from_its_start_and_to_its_tier() -> None:
    later = term(1, "all", start=datetime(2026, 7, 1, tzinfo=UTC))
    assert applied([later]) is None
    assert applied([term(2, "all", service_tier="batch")]) is None


def test_amounts_under_each_kind_of_rule() -> None:
    assert contracted_usd(LINE, None) == D("6")
    assert contracted_usd(LINE, term(1, "all", adjustment=D("-20"))) == D("4.8")
    assert contracted_usd(LINE, term(1, "all", kind="basis_points", adjustment=D("250"))) == D("6.15")
    assert contracted_usd(LINE, term(1, "all", kind="fixed", fixed_usd=D("2.5"), line_kind="input")) == D("5")
