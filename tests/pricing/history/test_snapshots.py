"""Listing releases, reading one zip member by Range requests, caching snapshots: a local index."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from pricing.history.index import index_url, list_wheels, parse_every, sample
from pricing.history.remote_zip import read_member
from pricing.history.snapshots import LITELLM_MEMBER, SnapshotError, fetch_snapshots

from .conftest import genai_wheel, litellm_wheel, model_py


def test_it_takes_the_index_from_pip_configuration_not_from_a_written_host(index) -> None:
    assert index_url() == index.simple_url


def test_it_lists_each_release_once_oldest_first_with_the_index_upload_time(index) -> None:
    index.publish("genai-prices", "0.0.2", genai_wheel(model_py("m", "2", "4")), "2025-08-01T10:00:00.5Z")
    index.publish("genai-prices", "0.0.1", genai_wheel(model_py("m", "1", "2")), "2025-07-11T17:41:26Z")
    wheels = list_wheels("genai-prices")
    assert [w.version for w in wheels] == ["0.0.1", "0.0.2"]
    assert wheels[0].upload_time == datetime(2025, 7, 11, 17, 41, 26, tzinfo=UTC)
    assert wheels[1].url.startswith(index.base_url + "/files/")


def test_it_samples_the_first_release_of_each_interval_since_a_date(index) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for day in (0, 3, 20, 31, 40, 75):
        uploaded = (start + timedelta(days=day)).isoformat().replace("+00:00", "Z")
        index.publish("litellm", f"1.{day}.0", litellm_wheel({}, filler_bytes=10), uploaded)
    picked = sample(list_wheels("litellm"), since=start + timedelta(days=1), every=parse_every("30d"))
    assert [w.version for w in picked] == ["1.3.0", "1.40.0", "1.75.0"]
    with pytest.raises(ValueError, match="30d"):
        parse_every("monthly")


def test_it_reads_one_member_of_a_remote_wheel_with_range_requests_only(index) -> None:
    wheel = litellm_wheel({"openai/o3": ("10", "40")})
    index.publish("litellm", "1.68.0", wheel, "2025-05-04T05:41:44Z")
    [listed] = list_wheels("litellm")
    member = read_member(listed.url, LITELLM_MEMBER, size=listed.size)
    assert json.loads(member)["openai/o3"]["input_cost_per_token"] == 1e-05
    assert index.whole_gets == {}
    assert index.served[listed.filename] < len(wheel) / 4  # the 300 KB filler was never sent


def test_snapshots_are_cached_with_their_hashes_and_fetched_once(index, tmp_path) -> None:
    index.publish("genai-prices", "0.0.1", genai_wheel(model_py("m", "1", "2")), "2025-07-11T17:41:26Z")
    index.publish("litellm", "1.68.0", litellm_wheel({"openai/o3": ("10", "40")}), "2025-05-04T05:41:44Z")
    for project in ("genai-prices", "litellm"):
        first = list(fetch_snapshots(list_wheels(project), cache_dir=tmp_path))
        again = list(fetch_snapshots(list_wheels(project), cache_dir=tmp_path))
        assert [s.content for s in first] == [s.content for s in again]
    assert sum(index.whole_gets.values()) == 1  # the genai-prices wheel, once
    manifest = json.loads((tmp_path / "litellm" / "manifest.json").read_text())
    [entry] = manifest.values()
    assert entry["member"] == LITELLM_MEMBER and entry["upload_time"] == "2025-05-04T05:41:44+00:00"
    assert len(entry["wheel_sha256"]) == len(entry["content_sha256"]) == 64


def test_a_wheel_that_does_not_match_the_index_hash_is_refused(index, tmp_path) -> None:
    index.publish("genai-prices", "0.0.1", genai_wheel(model_py("m", "1", "2")), "2025-07-11T17:41:26Z")
    index.tampered.add("genai_prices-0.0.1-py3-none-any.whl")
    with pytest.raises(SnapshotError, match="sha256"):
        list(fetch_snapshots(list_wheels("genai-prices"), cache_dir=tmp_path))
    assert not (tmp_path / "genai-prices" / "genai_prices-0.0.1-py3-none-any.whl").exists()
