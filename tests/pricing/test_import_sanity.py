"""Sanity rules at import (issue 21 item 6): rows no source can mean as a text model's price are
refused, by the refresh and by the history's replay alike, and the bundled history holds none.

The cases are the ones found in LiteLLM's map and genai-prices: AWS's Llama 3 8B listed a second
time under its percent-encoded id at 220 / 720 per million (the real row: 0.30 / 0.60), and
Fireworks' Stable Diffusion, SSD-1B and Playground image models priced as if per token."""

from datetime import date
from decimal import Decimal as D

import pytest

from pricing.bill.rates import Rates
from pricing.history.fixture import read_fixture
from pricing.services.history_load import HISTORY_PATH
from pricing.sources.records import PricePoint, PriceRecord
from pricing.sources.sanity import sanity_problems


def record(model: str, upstream_id: str, input_rate: str, output_rate: str) -> PriceRecord:
    rates = Rates(D(input_rate), D(output_rate))
    provider = model.split("/")[0]
    return PriceRecord(
        provider, model.split("/", 1)[1], model, upstream_id, (PricePoint(date(2025, 7, 11), rates),)
    )


def test_a_percent_encoded_id_is_refused_naming_what_it_reads():
    (problem,) = sanity_problems(
        record("aws/meta.llama3-8b-instruct-v1%3A0", "meta.llama3-8b-instruct-v1%3A0", "220", "720")
    )
    assert "percent-encoded id" in problem and "'meta.llama3-8b-instruct-v1:0'" in problem


@pytest.mark.parametrize(
    "model",
    [
        "fireworks/accounts/fireworks/models/stable-diffusion-xl-1024-v1-0",
        "fireworks/accounts/fireworks/models/SSD-1B",
        "fireworks/accounts/fireworks/models/playground-v2-5-1024px-aesthetic",
        "fireworks/accounts/fireworks/models/sd3-medium-ControlNet",
        "together/black-forest-labs/flux.1-schnell",
    ],
)
def test_an_image_model_priced_per_token_is_refused(model):
    (problem,) = sanity_problems(record(model, model.split("/", 1)[1], "0.13", "0.13"))
    assert "image-generation model" in problem


@pytest.mark.parametrize(
    "model",
    [
        "openai/gpt-4o",
        "openai/o1-pro",  # $150 / $600 per million: the dearest text model sold, not a mistake
        "fireworks/accounts/fireworks/models/llama-v3p1-405b-instruct",
        "google/gemini-2.5-flash",
        "together/meta-llama/Llama-3.3-70B-Instruct-Turbo",
    ],
)
def test_text_models_at_real_prices_pass(model):
    assert sanity_problems(record(model, model.split("/", 1)[1], "150", "600")) == []


def test_a_rate_above_a_thousand_dollars_per_million_is_a_unit_mistake():
    (problem,) = sanity_problems(record("acme/text-1", "text-1", "0.5", "1500"))
    assert problem.startswith("output_usd_per_mtok 1500 USD per million tokens is above 1000")


def test_the_bundled_history_holds_no_row_the_rules_refuse():
    models, _providers = read_fixture(HISTORY_PATH)
    keys = [f"{m.provider}/{m.model}" for m in models]
    assert not [k for k in keys if "%3A" in k or "%2F" in k]
    assert not [k for k in keys if "stable-diffusion" in k or "SSD-1B" in k or "playground-v2" in k]
    assert len(keys) > 2000  # the rules took 15 rows out, not the history
