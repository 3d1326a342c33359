"""Image tokens against the providers' own worked examples (OpenAI's and Anthropic's vision
guides, Google's Gemini media-resolution table)."""

import pytest

from pricing.bill import ImageInput, NoImageRule, image_tokens


@pytest.mark.parametrize(
    ("size", "detail", "tokens"),
    [((1024, 1024), "high", 765), ((2048, 4096), "high", 1105), ((4096, 8192), "low", 85)],
)
def test_openai_tiles_match_the_vision_guide(size, detail, tokens):
    assert image_tokens("openai", "gpt-4o", ImageInput(*size, detail)) == tokens


@pytest.mark.parametrize(("side", "tokens"), [(200, 54), (1000, 1334), (1092, 1590)])
def test_anthropic_pixels_over_750_match_the_vision_guide(side, tokens):
    assert image_tokens("anthropic", "claude-opus-4-6", ImageInput(side, side)) == tokens


def test_anthropic_scales_a_large_image_down_first():
    assert image_tokens("anthropic", "claude-opus-4-6", ImageInput(4000, 4000)) <= 1600


@pytest.mark.parametrize(
    ("detail", "tokens"), [("low", 280), ("medium", 560), ("high", 1120), ("auto", 1120)]
)
def test_gemini_3_counts_per_image_by_media_resolution(detail, tokens):
    assert image_tokens("google", "gemini-3.1-pro-preview", ImageInput(3000, 2000, detail)) == tokens


def test_earlier_gemini_counts_a_small_image_once_and_a_large_one_per_tile():
    assert image_tokens("google", "gemini-2.0-flash", ImageInput(384, 384)) == 258
    assert image_tokens("google", "gemini-2.0-flash", ImageInput(1536, 800)) == 258 * 4


def test_gpt_4o_mini_and_the_o_series_have_their_own_tile_counts():
    assert image_tokens("openai", "gpt-4o-mini", ImageInput(1024, 1024, "high")) == 2833 + 4 * 5667
    assert image_tokens("openai", "o3", ImageInput(512, 512, "low")) == 75


def test_openais_patch_models_are_refused_rather_than_miscounted():
    for model in ("gpt-4.1-mini", "gpt-5.4-mini"):
        with pytest.raises(NoImageRule, match="patches"):
            image_tokens("openai", model, ImageInput(10, 10))


def test_a_provider_without_a_published_rule_says_so():
    with pytest.raises(NoImageRule):
        image_tokens("deepseek", "deepseek-v4-pro", ImageInput(10, 10))
