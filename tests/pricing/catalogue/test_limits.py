"""Context windows filled from LiteLLM where the price sources lack one. Pure: no database.

Expected sizes are LiteLLM's own (the recorded excerpt in fixtures/payloads).
"""

from __future__ import annotations

from pricing.sources import litellm
from pricing.sources.limits import context_index, context_window_for
from tests.pricing.refresh.conftest import PAYLOADS


def index():
    return context_index(litellm.parse((PAYLOADS / "litellm_excerpt.json").read_bytes()).records)


def test_a_model_gets_its_own_entrys_context_window_whatever_the_case_of_its_id() -> None:
    assert context_window_for("google", "Gemini-3.1-Pro-Preview", index()) == 1_048_576


def test_a_resold_model_gets_its_makers_context_window() -> None:
    assert context_window_for("openrouter", "x-ai/grok-4-0709", index()) == 256_000
    assert context_window_for("openrouter", "acme/unknown-model", index()) is None
