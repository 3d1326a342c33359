"""Replaying snapshots into dated versions, and merging two sources. Pure: no database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from pricing.bill.rates import Rates
from pricing.history.timeline import SnapshotFacts, merge, replay
from pricing.sources.records import ParsedPayload, PricePoint, PriceRecord

T1 = datetime(2025, 5, 4, 5, 41, tzinfo=UTC)
T2 = datetime(2025, 6, 3, 9, 0, tzinfo=UTC)
T3 = datetime(2025, 7, 11, 17, 41, tzinfo=UTC)


def snapshot(project: str, version: str, at: datetime) -> SnapshotFacts:
    return SnapshotFacts(project, version, f"{project}-{version}.whl", at, "a" * 64, "b" * 64)


def rates(inp: str, out: str) -> Rates:
    return Rates(input_usd_per_mtok=Decimal(inp), output_usd_per_mtok=Decimal(out))


def payload(*models: tuple[str, list[tuple[date | None, Rates]]]) -> ParsedPayload:
    records = [
        PriceRecord("openai", key, key, key, tuple(PricePoint(day, r) for day, r in points))
        for key, points in models
    ]
    return ParsedPayload(records=records, models_in_payload=len(records))


def starts(history) -> list[tuple[datetime, datetime | None, str, Decimal]]:
    return [
        (v.change.effective_from, v.change.earliest, v.change.dated_by, v.change.rates.input_usd_per_mtok)
        for v in history.versions
    ]


def test_a_price_a_snapshot_first_shows_is_dated_by_it_within_the_window_since_the_one_before() -> None:
    result = replay(
        "litellm",
        [
            (snapshot("litellm", "1", T1), payload(("o3", [(None, rates("10", "40"))]))),
            (
                snapshot("litellm", "2", T2),
                payload(("o3", [(None, rates("2", "8"))]), ("o4", [(None, rates("1", "4"))])),
            ),
        ],
    )
    assert starts(result.models["openai/o3"]) == [
        (T1, None, "evidence", Decimal("10")),  # no earlier snapshot: start unknown
        (T2, T1, "evidence", Decimal("2")),  # set after T1, by T2
    ]
    assert starts(result.models["openai/o4"]) == [(T2, T1, "evidence", Decimal("1"))]
    assert result.models["openai/o3"].versions[1].snapshot.version == "2"


def test_an_upstream_start_date_wins_over_the_snapshot_date() -> None:
    cut = date(2025, 6, 1)
    result = replay(
        "genai-prices",
        [
            (snapshot("genai-prices", "1", T1), payload(("o3", [(None, rates("10", "40"))]))),
            (snapshot("genai-prices", "2", T2), payload(("o3", [(None, rates("2", "8"))]))),
            # A later release dates the cut: its date replaces the window, before anything is published.
            (
                snapshot("genai-prices", "3", T3),
                payload(("o3", [(None, rates("10", "40")), (cut, rates("2", "8"))])),
            ),
        ],
    )
    assert starts(result.models["openai/o3"])[-1] == (
        datetime(2025, 6, 1, tzinfo=UTC),
        None,
        "upstream",
        Decimal("2"),
    )


def test_a_scheduled_price_withdrawn_before_its_date_never_takes_effect() -> None:
    later = date(2025, 9, 1)
    result = replay(
        "genai-prices",
        [
            (
                snapshot("genai-prices", "1", T1),
                payload(("m", [(None, rates("2", "8")), (later, rates("3", "9"))])),
            ),
            (snapshot("genai-prices", "2", T2), payload(("m", [(None, rates("2", "8"))]))),
        ],
    )
    assert starts(result.models["openai/m"]) == [(T1, None, "evidence", Decimal("2"))]


def test_the_second_source_gives_history_only_before_the_first_sources_evidence() -> None:
    litellm = replay(
        "litellm",
        [
            (
                snapshot("litellm", "1", T1),
                payload(("o3", [(None, rates("10", "40"))]), ("other", [(None, rates("1", "1"))])),
            ),
            (snapshot("litellm", "2", T3), payload(("o3", [(None, rates("3", "9"))]))),
        ],
    )
    genai = replay(
        "genai-prices", [(snapshot("genai-prices", "0", T2), payload(("o3", [(None, rates("2", "8"))])))]
    )
    [o3] = merge(genai, litellm, new_providers=[])
    assert [(v.snapshot.project, v.change.rates.input_usd_per_mtok) for v in o3.versions] == [
        ("litellm", Decimal("10")),
        ("genai-prices", Decimal("2")),
    ]
    # A model only the second source lists is kept only for providers it may add.
    assert {h.key for h in merge(genai, litellm, new_providers=["openai"])} == {"openai/o3", "openai/other"}


def test_models_priced_before_the_first_source_existed_join_and_their_delisting_is_recorded() -> None:
    litellm = replay(
        "litellm",
        [
            (
                snapshot("litellm", "1", T1),
                payload(
                    ("gpt-4-0314", [(None, rates("30", "60"))]),
                    ("together-ai-up-to-4b", [(None, rates("0.1", "0.1"))]),
                    ("o3", [(None, rates("10", "40"))]),
                ),
            ),
            (
                snapshot("litellm", "2", T3),
                payload(("o3", [(None, rates("2", "8"))]), ("o5", [(None, rates("1", "4"))])),
            ),
        ],
    )
    genai = replay(
        "genai-prices", [(snapshot("genai-prices", "0", T2), payload(("o3", [(None, rates("2", "8"))])))]
    )
    merged = {h.key: h for h in merge(genai, litellm, new_providers=[], legacy_before=T2)}
    # gpt-4-0314 was priced before genai-prices' first release; o5 only after it; a size
    # bracket is no model.
    assert set(merged) == {"openai/o3", "openai/gpt-4-0314"}
    legacy = merged["openai/gpt-4-0314"]
    assert legacy.last_seen == T1 and legacy.delisted_at == T3  # gone from the next snapshot
    assert litellm.models["openai/o3"].delisted_at is None  # listed by the last snapshot
