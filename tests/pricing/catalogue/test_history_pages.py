"""The history shown: a model's price chart, the "what changed" page and its Atom feed, and
/models as of a date. Expected prices are DeepSeek's published ones (see test_known_cases)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from pricing.models import LanguageModel, PriceVersion
from pricing.services.seed import load_seed_catalogue
from pricing.services.versions import publish_price_version

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def seeded(db: object) -> None:
    load_seed_catalogue()


def test_a_model_page_draws_its_price_history_as_an_accessible_svg_chart(client) -> None:
    page = client.get("/models/deepseek/deepseek-chat").content.decode()
    assert '<svg viewBox="0 0 640 240" role="img" aria-labelledby="chart-title chart-desc"' in page
    assert "from 2025-09-05: $0.56 in, $1.68 out; from 2025-09-29: $0.28 in, $0.42 out" in page
    assert page.count("<polyline") == 2
    assert "Retired</dt><dd>2026-07-24" in page


def test_an_alias_page_shows_its_model_and_the_model_lists_its_other_names(client) -> None:
    page = client.get("/models/mistral/mistral-large").content.decode()
    assert "mistral-large-2411" in page and "Also known as</dt><dd><code>mistral-large</code>" in page


def test_what_changed_lists_price_changes_by_date_with_their_direction(client) -> None:
    page = client.get("/changes?provider=deepseek&from=2025-09-01&to=2025-09-30").content.decode()
    # DeepSeek's pricing page: from 2025-09-05 16:00 UTC deepseek-chat rose (0.27 / 1.10 -> 0.56 /
    # 1.68) and deepseek-reasoner's input rose while its output fell (0.55 / 2.19 -> 0.56 / 1.68);
    # both fell on 2025-09-29 (V3.2-Exp: 0.28 / 0.42).
    assert '<p id="change-count">4 changes.</p>' in page
    assert page.index("2025-09-29") < page.index("2025-09-05")  # newest first
    assert '<td class="down">down</td>' in page and '<td class="up">up</td>' in page
    down = client.get("/changes?provider=deepseek&from=2025-09-01&to=2025-09-30&direction=down")
    assert '<p id="change-count">2 changes.</p>' in down.content.decode()


def test_what_changed_and_its_feed_leave_out_a_version_that_changes_no_rate(client) -> None:
    chat = LanguageModel.objects.get(provider__slug="deepseek", slug="deepseek-chat")
    latest = PriceVersion.objects.latest_of(chat)
    assert latest is not None
    publish_price_version(
        model=chat,
        rates=latest.to_rates(),
        effective_from=datetime(2026, 5, 10, tzinfo=UTC),
        origin=PriceVersion.Origin.IMPORT,
        change_reason="an import that restates the price in force",
    )
    window = "provider=deepseek&from=2026-05-01&to=2026-05-31"
    assert '<p id="change-count">0 changes.</p>' in client.get(f"/changes?{window}").content.decode()
    feed = ET.fromstring(client.get(f"/changes/feed?{window}").content)
    assert feed.findall(f"{ATOM}entry") == []


def test_what_changed_names_a_bad_filter_and_still_answers(client) -> None:
    response = client.get("/changes?from=2025-13-45&direction=sideways")
    page = response.content.decode()
    assert response.status_code == 200
    assert "From: &#x27;2025-13-45&#x27; is not a date" in page and "Direction: must be one of" in page


def test_the_atom_feed_carries_the_same_filtered_changes(client) -> None:
    response = client.get("/changes/feed?provider=deepseek&from=2025-09-01&to=2025-09-30")
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == [
        "DeepSeek DeepSeek R1 (deepseek-reasoner): down from 2025-09-29",
        "DeepSeek DeepSeek V3 (deepseek-chat): down from 2025-09-29",
        "DeepSeek DeepSeek R1 (deepseek-reasoner): mixed from 2025-09-05",
        "DeepSeek DeepSeek V3 (deepseek-chat): up from 2025-09-05",
    ]
    assert "$0.28 in / $0.42 out per million tokens (was $0.56 in / $1.68 out)" in (
        entries[1].findtext(f"{ATOM}summary") or ""
    )


def test_models_as_of_a_date_says_how_many_models_had_a_known_price(client) -> None:
    page = client.get("/models?as_of=2025-01-15").content.decode()
    # The seed's models launched by then (tests/pricing/catalogue/test_known_cases.py names them).
    assert "As of 2025-01-15, 6 models had a known price" in page
