"""The admin at catalogue scale: models found by any part of provider, slug or name; tokenizer
keys from the registry; plain rates with units; data-quality filters; lock, unlock and retire
with a reason."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry

from calculator.tokenizers import list_tokenizers
from pricing.bill.rates import Rates
from pricing.models import ImportRun, LanguageModel, PriceVersion
from pricing.services.versions import Evidence, publish_price_version

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/pricing/languagemodel/"


def autocomplete(client, term, model_name="priceversion", field_name="model"):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "pricing", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200, response.content[:300]
    return [item["text"] for item in response.json()["results"]]


def test_a_model_is_found_by_part_of_its_name_slug_or_provider(client, editor, gpt_54):
    client.force_login(editor)
    for term in ("GPT-5", "5.4", "openai", "OpenAI"):
        assert autocomplete(client, term) == ["OpenAI GPT-5.4"], term
    assert autocomplete(client, "claude") == []
    assert autocomplete(client, "open", model_name="languagemodel", field_name="provider") == ["OpenAI"]


def test_the_add_form_chooses_the_model_by_autocomplete_and_shows_plain_rates_with_units(
    client, editor, gpt_54
):
    client.force_login(editor)
    page = client.get(f"/admin/pricing/priceversion/add/?model={gpt_54.pk}").content.decode()
    assert "admin-autocomplete" in page and "<option value=" in page
    assert 'name="input_usd_per_mtok" value="2.50"' in page
    assert 'name="cache_read_usd_per_mtok" value="0.25"' in page
    assert "0.2500000000" not in page
    assert "input (USD per million tokens)" in page


def test_a_published_version_and_the_history_show_rates_as_plain_decimals(client, editor, gpt_54):
    client.force_login(editor)
    version = PriceVersion.objects.get(model=gpt_54)
    for url in (
        f"/admin/pricing/priceversion/{version.pk}/change/",
        f"/admin/pricing/languagemodel/{gpt_54.pk}/change/",
        "/admin/pricing/priceversion/",
    ):
        page = client.get(url).content.decode()
        assert "2.50" in page and "15.00" in page, url
        assert "2.5000000000" not in page and "2,5000000000" not in page, url
        assert "USD/MTok" in page, url


def test_the_tokenizer_is_chosen_from_the_registry_keys(client, editor, gpt_54):
    client.force_login(editor)
    page = client.get(f"/admin/pricing/languagemodel/{gpt_54.pk}/change/").content.decode()
    assert '<select name="tokenizer_key"' in page
    for info in list_tokenizers():
        assert f'<option value="{info.key}"' in page
    assert '<option value="o200k_base" selected>' in page


def test_the_data_quality_filter_finds_each_kind_of_problem(client, editor, gpt_54, openai):
    client.force_login(editor)
    bare = LanguageModel.objects.create(
        provider=openai, slug="mystery", name="Mystery", tokenizer_key="generic"
    )
    LanguageModel.objects.filter(pk=bare.pk).update(missing_since="2026-11-01T00:00Z")
    ImportRun.objects.create(
        source="openrouter",
        status=ImportRun.Status.SUCCEEDED,
        diff=[{"model": "openai/gpt-5.4", "action": "disagrees"}],
    )
    windowed = LanguageModel.objects.create(
        provider=openai, slug="windowed", name="Windowed", tokenizer_key="o200k_base", context_window=8192
    )
    publish_price_version(
        model=windowed,
        rates=Rates(input_usd_per_mtok=Decimal("1"), output_usd_per_mtok=Decimal("2")),
        effective_from=datetime(2025, 6, 1, tzinfo=UTC),
        origin=PriceVersion.Origin.IMPORT,
        change_reason="first seen in a snapshot",
        evidence=Evidence.of(dated_by_evidence=True, earliest=datetime(2025, 5, 2, tzinfo=UTC)),
    )
    for quality, expected in {
        "start_unknown": ["Windowed"],
        "no_context": ["Mystery"],
        "generic_tokenizer": ["Mystery"],
        "missing_upstream": ["Mystery"],
        "no_price": ["Mystery"],
        "sources_disagree": ["GPT-5.4"],
    }.items():
        response = client.get(CHANGELIST, {"quality": quality})
        assert [m.name for m in response.context["cl"].result_list] == expected, quality


def lock(client, model, action="lock_prices", reason="negotiated rate"):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [model.pk], "apply": "1", "reason": reason}
    )


def test_locking_asks_for_a_reason_then_publishes_the_same_rates_locked(client, editor, gpt_54):
    client.force_login(editor)
    asked = client.post(CHANGELIST, {"action": "lock_prices", "_selected_action": [gpt_54.pk]})
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    assert PriceVersion.objects.filter(model=gpt_54).count() == 1
    lock(client, gpt_54)
    old, locked = PriceVersion.objects.filter(model=gpt_54).order_by("effective_from")
    assert locked.locked and locked.to_rates() == old.to_rates()
    assert locked.change_reason == "Locked: negotiated rate" and locked.created_by == editor
    page = client.get(f"/admin/pricing/languagemodel/{gpt_54.pk}/change/").content.decode()
    assert "no rate changed; locked" in page
    lock(client, gpt_54, "unlock_prices", "contract ended")
    latest = PriceVersion.objects.filter(model=gpt_54).latest()
    assert not latest.locked and latest.change_reason == "Unlocked: contract ended"


def test_a_lock_without_a_reason_is_not_applied(client, editor, gpt_54):
    client.force_login(editor)
    response = lock(client, gpt_54, reason="")
    assert "This field is required" in response.content.decode()
    assert PriceVersion.objects.filter(model=gpt_54).count() == 1


def test_retiring_sets_the_date_and_status_and_records_the_reason(client, editor, gpt_54, openai):
    client.force_login(editor)
    later = LanguageModel.objects.create(
        provider=openai, slug="gpt-later", name="Later", tokenizer_key="o200k_base"
    )
    for model, day in ((gpt_54, "2026-06-01"), (later, "2099-01-01")):
        client.post(
            CHANGELIST,
            {
                "action": "retire",
                "_selected_action": [model.pk],
                "apply": "1",
                "reason": "provider shut it down",
                "retired_at": day,
                "source_url": "https://developers.openai.com/api/docs/deprecations",
            },
        )
    gpt_54.refresh_from_db()
    later.refresh_from_db()
    assert (gpt_54.retired_at, gpt_54.status) == (datetime(2026, 6, 1, tzinfo=UTC), "retired")
    assert (later.retired_at, later.status) == (
        datetime(2099, 1, 1, tzinfo=UTC),
        "deprecated",
    )  # announced, not yet
    assert gpt_54.retirement_source_url == "https://developers.openai.com/api/docs/deprecations"
    entry = LogEntry.objects.filter(object_id=str(gpt_54.pk)).get()
    assert entry.user == editor and "provider shut it down" in entry.get_change_message()
    assert PriceVersion.objects.filter(model=gpt_54).count() == 1  # prices stay


def test_a_non_editor_sees_no_action_and_cannot_run_one(client, staff_non_editor, gpt_54):
    from django.contrib.auth.models import Permission

    staff_non_editor.user_permissions.add(Permission.objects.get(codename="view_languagemodel"))
    client.force_login(staff_non_editor)
    page = client.get(CHANGELIST).content.decode()
    assert "lock_prices" not in page and "Upload a price table" not in page
    client.post(
        CHANGELIST,
        {
            "action": "retire",
            "_selected_action": [gpt_54.pk],
            "apply": "1",
            "reason": "x",
            "retired_at": "2026-01-01",
            "source_url": "https://example.com/deprecations",
        },
    )
    lock(client, gpt_54)
    gpt_54.refresh_from_db()
    assert gpt_54.retired_at is None and PriceVersion.objects.filter(model=gpt_54).count() == 1


def test_the_review_queue_shows_current_and_proposed_rates_as_plain_decimals(client, editor, gpt_54):
    from pricing.models import PriceProposal

    client.force_login(editor)
    PriceProposal.objects.create(
        model=gpt_54,
        current_version=PriceVersion.objects.get(model=gpt_54),
        reason="jump",
        proposed={"input_usd_per_mtok": "5", "output_usd_per_mtok": "30.5"},
        effective_from="2026-08-01T00:00Z",
    )
    page = client.get("/admin/pricing/priceproposal/").content.decode()
    for shown in ("2.50", "5.00", "30.50"):
        assert f">{shown}<" in page, shown
    assert "roposed input (USD/MTok)" in page
    assert "2.5000000000" not in page


@pytest.mark.parametrize("bad_id", ["NaN", "99999999999999999999", "1; DROP TABLE", "²"])
def test_an_autocomplete_field_posted_with_no_id_is_refused_on_the_form_not_with_a_server_error(
    client, editor, gpt_54, bad_id
):
    client.force_login(editor)
    response = client.post("/admin/pricing/priceversion/add/", {"model": bad_id, "change_reason": "x"})
    assert response.status_code == 200 and "model" in response.context["adminform"].form.errors
    response = client.post(
        "/admin/pricing/languagemodel/add/", {"provider": bad_id, "slug": "x", "name": "x"}
    )
    assert response.status_code == 200 and "provider" in response.context["adminform"].form.errors
    assert PriceVersion.objects.count() == 1 and LanguageModel.objects.count() == 1


JAN_1 = datetime(2026, 1, 1, tzinfo=UTC)
SOURCE = "https://developers.openai.com/api/docs/deprecations"


def post_change(client, model, **changes):
    """Post the model's change form as the admin shows it to this user, with ``changes``."""
    from django.forms.models import model_to_dict

    page = client.get(f"/admin/pricing/languagemodel/{model.pk}/change/").context
    fields = page["adminform"].form.fields
    data = {k: v for k, v in model_to_dict(model).items() if v is not None and k in fields}
    for inline in page["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return client.post(f"/admin/pricing/languagemodel/{model.pk}/change/", {**data, **changes})


def test_a_non_editor_cannot_retire_through_the_change_form(client, staff_non_editor, gpt_54):
    from django.contrib.auth.models import Permission

    staff_non_editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_languagemodel", "change_languagemodel"])
    )
    client.force_login(staff_non_editor)
    form = client.get(f"/admin/pricing/languagemodel/{gpt_54.pk}/change/").context["adminform"].form
    assert "status" not in form.fields and "retired_at" not in form.fields
    response = post_change(client, gpt_54, status="retired", name="GPT-5.4 (renamed)")
    assert response.status_code == 302  # the rest of the form is saved; the lifecycle is not
    gpt_54.refresh_from_db()
    assert (gpt_54.name, gpt_54.status, gpt_54.retired_at) == ("GPT-5.4 (renamed)", "active", None)


def test_an_editor_retiring_through_the_change_form_must_say_why(client, editor, gpt_54):
    client.force_login(editor)
    refused = post_change(client, gpt_54, status="retired")
    assert refused.status_code == 200 and "Say why the status changed" in refused.content.decode()
    gpt_54.refresh_from_db()
    assert gpt_54.status == "active"
    done = post_change(client, gpt_54, status="retired", lifecycle_reason="shut down on 1 January")
    assert done.status_code == 302
    gpt_54.refresh_from_db()
    assert gpt_54.status == "retired"
    messages = [e.get_change_message() for e in LogEntry.objects.filter(object_id=str(gpt_54.pk))]
    assert any("shut down on 1 January" in m and "retired" in m for m in messages)


def test_the_services_refuse_a_lock_or_a_retirement_by_a_non_editor_or_without_a_reason(
    staff_non_editor, editor, gpt_54
):
    from django.core.exceptions import PermissionDenied

    from pricing.services.lifecycle import retire_models, set_prices_locked

    with pytest.raises(PermissionDenied):
        set_prices_locked(model=gpt_54, locked=True, reason="x", user=staff_non_editor)
    with pytest.raises(PermissionDenied):
        retire_models(models=[gpt_54], at=JAN_1, source_url=SOURCE, user=staff_non_editor, reason="x")
    with pytest.raises(ValueError, match="reason"):
        set_prices_locked(model=gpt_54, locked=True, reason="  ", user=editor)
    with pytest.raises(ValueError, match="reason"):
        retire_models(models=[gpt_54], at=JAN_1, source_url=SOURCE, user=editor, reason="")
    gpt_54.refresh_from_db()
    assert gpt_54.retired_at is None and PriceVersion.objects.filter(model=gpt_54).count() == 1


def model_form(model, **changes):
    data = {
        "provider": model.provider_id,
        "slug": model.slug,
        "name": model.name,
        "tier": model.tier,
        "status": model.status,
        "tokenizer_key": model.tokenizer_key,
        "notes": "",
        "price_versions-TOTAL_FORMS": "0",
        "price_versions-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_an_editor_sets_a_lifecycle_moment_with_its_source_and_is_refused_one_without(client, editor, gpt_54):
    client.force_login(editor)
    page = client.get(f"{CHANGELIST}{gpt_54.pk}/change/").content.decode()
    assert 'name="retired_at_0"' in page and 'name="retirement_source_url"' in page
    url = f"{CHANGELIST}{gpt_54.pk}/change/"
    refused = client.post(url, model_form(gpt_54, retired_at_0="2026-07-24", retired_at_1="15:59:00"))
    assert "Give the provider&#x27;s page that states this moment." in refused.content.decode()
    gpt_54.refresh_from_db()
    assert gpt_54.retired_at is None
    source = "https://developers.openai.com/api/docs/deprecations"
    done = client.post(
        url,
        model_form(
            gpt_54,
            retired_at_0="2026-07-24",
            retired_at_1="15:59:00",
            retirement_source_url=source,
            lifecycle_reason="OpenAI's deprecations page",
        ),
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    gpt_54.refresh_from_db()
    assert (gpt_54.retired_at, gpt_54.retirement_source_url) == (
        datetime(2026, 7, 24, 15, 59, tzinfo=UTC),
        source,
    )


def test_a_non_editor_sees_the_lifecycle_but_cannot_change_it(client, staff_non_editor, gpt_54):
    from django.contrib.auth.models import Permission

    staff_non_editor.user_permissions.add(Permission.objects.get(codename="view_languagemodel"))
    client.force_login(staff_non_editor)
    page = client.get(f"{CHANGELIST}{gpt_54.pk}/change/").content.decode()
    assert "Lifecycle" in page and 'name="retired_at_0"' not in page
