"""The admin: price editors add versions (never edit them); everyone else cannot; invalid
prices are refused with a message on the field."""

from decimal import Decimal as D

import pytest

from pricing.models import PriceVersion

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/pricing/priceversion/add/"


def form_data(model, **overrides):
    data = {
        "model": model.pk,
        "input_usd_per_mtok": "3.00",
        "output_usd_per_mtok": "16.00",
        "cache_read_usd_per_mtok": "0.30",
        "effective_from_0": "2026-07-01",
        "effective_from_1": "00:00:00",
        "change_reason": "OpenAI raised the price",
        "source_url": "https://openai.com/api/pricing/",
    }
    data.update(overrides)
    return data


def test_a_price_editor_adds_a_new_version_that_closes_the_old_one(client, editor, gpt_54):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(gpt_54))
    assert response.status_code == 302, response.content.decode()[:2000]
    versions = list(PriceVersion.objects.filter(model=gpt_54).order_by("effective_from"))
    assert [v.input_usd_per_mtok for v in versions] == [D("2.50"), D("3.00")]
    assert versions[0].effective_to == versions[1].effective_from
    assert versions[1].created_by == editor and versions[1].origin == "admin"


def test_the_add_form_starts_from_the_current_price(client, editor, gpt_54):
    client.force_login(editor)
    page = client.get(ADD_URL + f"?model={gpt_54.pk}").content.decode()
    assert 'name="input_usd_per_mtok" value="2.5' in page
    assert 'name="tier1_threshold_tokens" value="272000"' in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"input_usd_per_mtok": "-1"}, "input_usd_per_mtok", "negative"),
        ({"cache_read_usd_per_mtok": "5"}, "cache_read_usd_per_mtok", "above the input price"),
        (
            {"batch_input_usd_per_mtok": "4", "batch_output_usd_per_mtok": "1"},
            "batch_input_usd_per_mtok",
            "above standard",
        ),
        (
            {
                "tier1_threshold_tokens": "200000",
                "tier1_input_usd_per_mtok": "6",
                "tier1_output_usd_per_mtok": "20",
                "tier2_threshold_tokens": "100000",
                "tier2_input_usd_per_mtok": "7",
                "tier2_output_usd_per_mtok": "21",
            },
            "tier2_threshold_tokens",
            "ascend",
        ),
        (
            {
                "tier1_threshold_tokens": "200000",
                "tier1_input_usd_per_mtok": "1",
                "tier1_output_usd_per_mtok": "20",
            },
            "tier1_input_usd_per_mtok",
            "below the base rate",
        ),
        ({"effective_from_0": "2026-01-01"}, "effective_from", "append-only"),
        ({"change_reason": ""}, "change_reason", "required"),
    ],
)
def test_it_refuses_an_invalid_price_with_a_message_on_the_field(
    client, editor, gpt_54, overrides, field, message
):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(gpt_54, **overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert PriceVersion.objects.filter(model=gpt_54).count() == 1


def test_staff_without_the_price_editor_permission_cannot_add_prices(client, staff_non_editor, gpt_54):
    client.force_login(staff_non_editor)
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, form_data(gpt_54)).status_code == 403
    assert PriceVersion.objects.filter(model=gpt_54).count() == 1


def test_nobody_can_change_or_delete_a_published_version_in_admin(client, editor, gpt_54):
    client.force_login(editor)
    version = PriceVersion.objects.get(model=gpt_54)
    url = f"/admin/pricing/priceversion/{version.pk}/change/"
    page = client.get(url)
    assert page.status_code == 403 or 'name="input_usd_per_mtok"' not in page.content.decode()
    client.post(url, form_data(gpt_54, input_usd_per_mtok="0.01"))
    assert (
        client.post(f"/admin/pricing/priceversion/{version.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    version.refresh_from_db()
    assert version.input_usd_per_mtok == D("2.50")


def test_the_model_page_shows_its_price_history(client, editor, gpt_54):
    client.force_login(editor)
    page = client.get(f"/admin/pricing/languagemodel/{gpt_54.pk}/change/").content.decode()
    assert "Price history" in page
    assert "Add a new price version" in page
    assert "test fixture" in page


def test_anonymous_visitors_are_sent_to_the_login(client, gpt_54):
    response = client.get(ADD_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_tier_keeps_its_cache_write_rates_when_an_editor_publishes_it(client, editor, gpt_54):
    # Anthropic's published Claude Sonnet 4.5 prices above 200K prompt tokens (USD/MTok):
    # input 6, output 22.50, 5-minute cache writes 7.50, 1-hour cache writes 12, cache hits 0.60.
    client.force_login(editor)
    tier = {
        "tier1_threshold_tokens": "200000",
        "tier1_input_usd_per_mtok": "6",
        "tier1_output_usd_per_mtok": "22.50",
        "tier1_cache_read_usd_per_mtok": "0.60",
        "tier1_cache_write_5m_usd_per_mtok": "7.50",
        "tier1_cache_write_1h_usd_per_mtok": "12",
    }
    response = client.post(ADD_URL, form_data(gpt_54, **tier))
    assert response.status_code == 302, response.content.decode()[:2000]
    published = PriceVersion.objects.filter(model=gpt_54).latest().tiers.get()
    assert (published.cache_write_5m_usd_per_mtok, published.cache_write_1h_usd_per_mtok) == (
        D("7.50"),
        D("12"),
    )
    page = client.get(ADD_URL + f"?model={gpt_54.pk}").content.decode()
    assert 'name="tier1_cache_write_1h_usd_per_mtok" value="12' in page
