"""tokencost's copy of LiteLLM's price map as dated evidence inside the index's litellm gap."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from pricing.history.build import replay_cached, source_snapshots
from pricing.history.index import list_wheels
from pricing.history.snapshots import TOKENCOST_MEMBER, SnapshotError, fetch_snapshots

from .conftest import litellm_wheel, make_wheel


def tokencost_wheel(prices: dict[str, tuple[str, str]] | None) -> bytes:
    """A tokencost wheel: its code and, from 0.1.0 on, LiteLLM's map as ``model_prices.json``."""
    members = {"tokencost/__init__.py": b"# tokencost\n"}
    if prices is not None:
        data = {
            key: {
                "litellm_provider": "openai",
                "mode": "chat",
                "input_cost_per_token": float(inp) / 1e6,
                "output_cost_per_token": float(out) / 1e6,
            }
            for key, (inp, out) in prices.items()
        }
        members[TOKENCOST_MEMBER] = json.dumps(data).encode()
    return make_wheel(members)


def publish(index) -> None:
    first = litellm_wheel({"openai/gpt-4": ("30", "60")}, 10)
    index.publish("litellm", "1.7.1", first, "2023-11-25T23:11:00Z")
    index.publish("tokencost", "0.0.5", tokencost_wheel(None), "2024-01-04T22:56:50Z")
    index.publish("tokencost", "0.1.8", tokencost_wheel({"gpt-4o": ("5", "15")}), "2024-05-22T01:06:50Z")
    later = {"openai/gpt-4o": ("2.5", "10"), "openai/gpt-4": ("30", "60")}
    index.publish("litellm", "1.53.1", litellm_wheel(later, 10), "2024-11-28T05:36:31Z")
    # Uploaded within a month of litellm's own releases, with an older copy of the map: not used.
    index.publish("tokencost", "0.1.18", tokencost_wheel({"gpt-4o": ("5", "15")}), "2024-12-10T00:00:00Z")
    index.publish("litellm", "1.56.4", litellm_wheel(later, 10), "2024-12-29T04:41:56Z")


def fetch_all(tmp_path) -> list[str]:
    lines: list[str] = []
    for project in ("litellm", "tokencost"):
        for _ in fetch_snapshots(list_wheels(project), cache_dir=tmp_path, progress=lines.append):
            pass
    return lines


def test_a_tokencost_release_is_read_whole_checked_and_only_its_price_map_kept(index, tmp_path) -> None:
    publish(index)
    lines = fetch_all(tmp_path)
    assert any("tokencost 0.0.5: no tokencost/model_prices.json, skipped" in line for line in lines)
    kept = (tmp_path / "tokencost" / "tokencost-0.1.8-py3-none-any.whl.member").read_bytes()
    assert json.loads(kept)["gpt-4o"]["output_cost_per_token"] == 1.5e-05
    manifest = json.loads((tmp_path / "tokencost" / "manifest.json").read_text())
    assert manifest["tokencost-0.1.8-py3-none-any.whl"]["member"] == TOKENCOST_MEMBER


def test_a_tokencost_wheel_that_differs_from_the_index_hash_is_refused(index, tmp_path) -> None:
    index.publish("tokencost", "0.1.8", tokencost_wheel({"gpt-4o": ("5", "15")}), "2024-05-22T01:06:50Z")
    index.tampered.add("tokencost-0.1.8-py3-none-any.whl")
    with pytest.raises(SnapshotError, match="sha256"):
        list(fetch_snapshots(list_wheels("tokencost"), cache_dir=tmp_path))


def test_republished_snapshots_fill_only_the_gaps_of_the_source_own_releases(index, tmp_path) -> None:
    publish(index)
    fetch_all(tmp_path)
    used = [(s.project, s.version) for s in source_snapshots("litellm", tmp_path)]
    assert used == [
        ("litellm", "1.7.1"),
        ("tokencost", "0.1.8"),
        ("litellm", "1.53.1"),
        ("litellm", "1.56.4"),
    ]
    versions = replay_cached("litellm", tmp_path).models["openai/gpt-4o"].versions
    first, cut = (v.change for v in versions)
    assert (first.rates.input_usd_per_mtok, first.rates.output_usd_per_mtok) == (Decimal(5), Decimal(15))
    assert versions[0].snapshot.label == "tokencost 0.1.8"
    assert first.effective_from == datetime(2024, 5, 22, 1, 6, 50, tzinfo=UTC)
    assert first.earliest == datetime(2023, 11, 25, 23, 11, tzinfo=UTC)  # the litellm release before
    assert (cut.rates.input_usd_per_mtok, cut.rates.output_usd_per_mtok) == (Decimal("2.5"), Decimal(10))
    assert cut.earliest == first.effective_from  # set after tokencost 0.1.8, by litellm 1.53.1
