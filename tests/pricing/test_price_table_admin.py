"""A price table in one step, through the admin: upload → preview → confirm publishes every new
version through the service in one transaction, or nothing; exports carry the same columns."""

import csv
import io
import re
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django.core import signing

from pricing.bill.rates import Rates
from pricing.models import PriceProposal, PriceTable, PriceVersion
from pricing.services.versions import publish_price_version
from pricing.sources.price_table import COLUMNS
from tests.pricing.acme import create_acme_models

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/pricing/languagemodel/price-table/"
CONFIRM = "/admin/pricing/languagemodel/price-table/confirm/"
EXPORT = "/admin/pricing/languagemodel/price-table/export.csv"
REASON = "Acme cut its prices on 2026-07-01"
SOURCE = "https://acme.example/pricing"


@pytest.fixture
def acme_models(db):
    return create_acme_models()


def table(rows):
    lines = [",".join(COLUMNS[:5])] + [",".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def upload(client, text, **overrides):
    data = {
        "pasted": text,
        "change_reason": REASON,
        "source_url": SOURCE,
        "effective_from_0": "2026-07-01",
        "effective_from_1": "00:00:00",
        **overrides,
    }
    return client.post(UPLOAD, data)


def signed_table(response):
    return re.search(r'name="table" value="([^"]+)"', response.content.decode()).group(1)


def outcomes(response):
    return {row.key: row.action for row in response.context["plan"]}


def test_one_upload_one_preview_one_confirmation_publish_twenty_versions_with_one_reason_and_source(
    client, editor, acme_models
):
    client.force_login(editor)
    preview = upload(client, table([("acme", m.slug, m.name, "0.80", "3.20") for m in acme_models]))
    assert preview.status_code == 200
    assert set(outcomes(preview).values()) == {"new"} and len(outcomes(preview)) == 20
    assert PriceVersion.objects.count() == 20  # a preview writes nothing
    done = client.post(CONFIRM, {"table": signed_table(preview), "publish": "1"})
    assert done.status_code == 302
    new = PriceVersion.objects.filter(origin="admin").order_by("model__slug")
    assert new.count() == 20
    assert {(v.change_reason, v.source_url, v.created_by) for v in new} == {
        (f"Price table #{PriceTable.objects.get().pk}: {REASON}", SOURCE, editor)
    }
    assert {(v.input_usd_per_mtok, v.output_usd_per_mtok) for v in new} == {(D("0.80"), D("3.20"))}
    assert PriceTable.objects.get().versions.count() == 20
    old = PriceVersion.objects.filter(origin="seed").first()
    assert old.effective_to == datetime(2026, 7, 1, tzinfo=UTC)


def test_the_preview_says_per_row_new_unchanged_proposal_or_refused_with_the_reason(
    client, editor, acme_models
):
    client.force_login(editor)
    client.post(
        "/admin/pricing/languagemodel/",
        {
            "action": "lock_prices",
            "_selected_action": [acme_models[3].pk],
            "apply": "1",
            "reason": "contract",
        },
    )
    preview = upload(
        client,
        table(
            [
                ("acme", "acme-1", "", "1.10", "4.40"),
                ("acme", "acme-2", "", "1.00", "4.00"),
                ("acme", "acme-3", "", "2.00", "4.00"),
                ("acme", "acme-4", "", "1.10", "4.00"),
                ("acme", "acme-5", "", "-1", "4.00"),
                ("acme", "nope", "", "1", "2"),
                ("acme", "acme-1", "", "1", "2"),
            ]
        ),
        effective_from_0="2027-01-01",  # after the lock, which starts now
    )
    plan = {(row.line, row.key): row for row in preview.context["plan"]}
    assert [row.action for row in plan.values()] == [
        "new",
        "unchanged",
        "proposal",
        "proposal",
        "refused",
        "refused",
        "refused",
    ]
    assert plan[(2, "acme/acme-1")].changes == ("input 1.00 → 1.10", "output 4.00 → 4.40")
    assert "input_usd_per_mtok changes by 100% (over 50%)" in plan[(4, "acme/acme-3")].message
    assert "locked" in plan[(5, "acme/acme-4")].message
    assert "input_usd_per_mtok: must not be negative" in plan[(6, "acme/acme-5")].message
    assert "no model acme/nope" in plan[(7, "acme/nope")].message
    assert "the same model as row 2" in plan[(8, "acme/acme-1")].message
    page = preview.content.decode()
    assert 'id="publish"' not in page and "nothing can be published" in page


def test_a_table_with_a_bad_row_publishes_nothing_until_the_row_is_dropped(client, editor, acme_models):
    client.force_login(editor)
    preview = upload(
        client, table([("acme", "acme-1", "", "0.90", "3.60"), ("acme", "acme-2", "", "x", "3")])
    )
    before = PriceVersion.objects.count()
    refused = client.post(CONFIRM, {"table": signed_table(preview), "publish": "1"})
    assert (
        refused.status_code == 200 and "1 row(s) refused: nothing was published" in refused.content.decode()
    )
    assert PriceVersion.objects.count() == before and PriceTable.objects.count() == 0
    dropped = client.post(CONFIRM, {"table": signed_table(preview), "drop_refused": "1"})
    assert outcomes(dropped) == {"acme/acme-1": "new"}
    client.post(CONFIRM, {"table": signed_table(dropped), "publish": "1"})
    assert PriceVersion.objects.count() == before + 1


def test_a_proposal_row_queues_a_proposal_and_publishes_no_version(client, editor, acme_models):
    client.force_login(editor)
    preview = upload(client, table([("acme", "acme-1", "", "3.00", "4.00")]))
    client.post(CONFIRM, {"table": signed_table(preview), "publish": "1"})
    proposal = PriceProposal.objects.get()
    assert proposal.proposed["input_usd_per_mtok"] == "3" and "needs review" in proposal.reason
    assert PriceVersion.objects.filter(origin="admin").count() == 0


def test_a_table_whose_catalogue_changed_since_the_preview_is_not_published(client, editor, acme_models):
    client.force_login(editor)
    preview = upload(client, table([("acme", "acme-1", "", "0.90", "3.60")]))
    publish_price_version(
        model=acme_models[0],
        rates=Rates(D("0.95"), D("3.80")),
        effective_from=datetime(2026, 6, 1, tzinfo=UTC),
        origin="admin",
        change_reason="someone else",
        created_by=editor,
    )
    response = client.post(CONFIRM, {"table": signed_table(preview), "publish": "1"})
    assert "changed since the preview" in response.content.decode()
    assert PriceTable.objects.count() == 0 and PriceVersion.objects.filter(model=acme_models[0]).count() == 2


def test_an_altered_or_foreign_preview_is_refused_and_nothing_is_written(client, editor, acme_models):
    client.force_login(editor)
    token = signed_table(upload(client, table([("acme", "acme-1", "", "0.90", "3.60")])))
    state = signing.loads(token, salt="pricing.price-table.preview")
    forged = token.replace(token[-5:], "AAAAA")
    assert client.post(CONFIRM, {"table": forged, "publish": "1"}).status_code == 400
    state["user"] = editor.pk + 1000
    foreign = signing.dumps(state, salt="pricing.price-table.preview", compress=True)
    assert client.post(CONFIRM, {"table": foreign, "publish": "1"}).status_code == 403
    assert PriceVersion.objects.filter(origin="admin").count() == 0


def test_staff_without_the_price_editor_permission_are_refused_at_every_step(
    client, editor, staff_non_editor, acme_models
):
    client.force_login(editor)
    token = signed_table(upload(client, table([("acme", "acme-1", "", "0.90", "3.60")])))
    client.force_login(staff_non_editor)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, table([("acme", "acme-1", "", "0.90", "3.60")])).status_code == 403
    assert client.post(CONFIRM, {"table": token, "publish": "1"}).status_code == 403
    assert client.get(EXPORT).status_code == 403
    client.post(
        "/admin/pricing/languagemodel/",
        {"action": "lock_prices", "_selected_action": [acme_models[0].pk], "apply": "1", "reason": "x"},
    )
    assert PriceVersion.objects.filter(origin="admin").count() == 0 and PriceTable.objects.count() == 0


HOSTILE = {
    "a formula": "provider,model,input_usd_per_mtok,output_usd_per_mtok\nacme,acme-1,=1+2,4\n",
    "a huge cell": "provider,model,input_usd_per_mtok,output_usd_per_mtok\nacme," + "a" * 10_000 + ",1,4\n",
    "100,000 rows": "provider,model,input_usd_per_mtok,output_usd_per_mtok\n" + "acme,acme-1,1,4\n" * 100_000,
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_pasted_table_gets_a_clear_refusal_and_nothing_is_written(
    client, editor, acme_models, name
):
    client.force_login(editor)
    response = upload(client, HOSTILE[name])
    assert response.status_code == 200
    if name == "a formula":  # one bad row: refused in the preview, never evaluated
        assert "must be a decimal amount like 0.40, got &#x27;=1+2&#x27;" in response.content.decode()
    else:
        assert response.context["form"].errors["pasted"]
    assert PriceVersion.objects.count() == 20 and PriceTable.objects.count() == 0


def workbook_with_formula():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["provider", "model", "input_usd_per_mtok", "output_usd_per_mtok"])
    book.active.append(["acme", "acme-1", "=CMD|' /C calc'!A0", 4])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (
            "provider,model,input_usd_per_mtok,output_usd_per_mtok\nacme,café,1,4\n".encode("cp1252"),
            "t.csv",
            "UTF-8",
        ),
        (bytes(range(256)) * 50, "t.xlsx", "not a valid XLSX"),
        (workbook_with_formula(), "t.xlsx", "Cell C2 holds a formula; formulas are never run"),
        (b"\x00\x01binary junk" * 100, "t.csv", "NUL characters"),
    ],
)
def test_a_hostile_uploaded_file_gets_a_clear_refusal_and_nothing_is_written(
    client, editor, acme_models, content, filename, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    response = client.post(
        UPLOAD,
        {
            "table_file": SimpleUploadedFile(filename, content),
            "change_reason": REASON,
            "effective_from_0": "2026-07-01",
            "effective_from_1": "00:00:00",
        },
    )
    assert message in " ".join(response.context["form"].errors["table_file"])
    assert PriceVersion.objects.count() == 20 and PriceTable.objects.count() == 0


def test_the_export_carries_the_filtered_current_table_in_the_upload_columns(
    client, editor, acme_models, gpt_54
):
    client.force_login(editor)
    response = client.get(EXPORT + "?provider__id__exact=" + str(acme_models[0].provider_id))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0].keys()) == COLUMNS
    assert len(rows) == 20 and {r["provider"] for r in rows} == {"acme"}
    assert (rows[0]["input_usd_per_mtok"], rows[0]["output_usd_per_mtok"]) == ("1", "4")
    everything = client.get(EXPORT).content.decode("utf-8-sig")
    gpt = next(r for r in csv.DictReader(io.StringIO(everything)) if r["model"] == "gpt-5.4")
    assert (gpt["input_usd_per_mtok"], gpt["tier1_threshold_tokens"], gpt["tier1_input_usd_per_mtok"]) == (
        "2.5",
        "272000",
        "5",
    )
    preview = upload(client, everything)
    assert set(outcomes(preview).values()) == {"unchanged"}  # an export uploaded back changes nothing


def test_the_history_shows_what_each_version_changed_and_who_made_it(client, editor, acme_models):
    client.force_login(editor)
    preview = upload(client, table([("acme", "acme-1", "", "0.80", "4.00")]))
    client.post(CONFIRM, {"table": signed_table(preview), "publish": "1"})
    number = PriceTable.objects.get().pk
    page = client.get(f"/admin/pricing/languagemodel/{acme_models[0].pk}/change/").content.decode()
    assert "input 1.00 → 0.80" in page and "first price" in page
    assert f"price table #{number}" in page and "editor" in page
    table_page = client.get(f"/admin/pricing/pricetable/{number}/change/").content.decode()
    assert "acme/acme-1" in table_page and "input 1.00 → 0.80" in table_page


def test_the_same_preview_confirmed_twice_publishes_once(client, editor, acme_models):
    client.force_login(editor)
    rows = [("acme", "acme-1", "Acme 1", "0.80", "3.20"), ("acme", "acme-2", "Acme 2", "9.00", "4.00")]
    preview = upload(client, table(rows))
    assert outcomes(preview) == {"acme/acme-1": "new", "acme/acme-2": "proposal"}
    first = client.post(CONFIRM, {"table": signed_table(preview), "publish": "1"})
    again = client.post(CONFIRM, {"table": signed_table(preview), "publish": "1"})
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert PriceTable.objects.count() == 1
    assert PriceVersion.objects.filter(origin="admin").count() == 1
    assert PriceProposal.objects.count() == 1


def with_cache(model, cache_read, batch_input=None):
    publish_price_version(
        model=model,
        rates=Rates(D("1.00"), D("4.00"), D(cache_read), batch_input_usd_per_mtok=batch_input),
        effective_from=datetime(2026, 2, 1, tzinfo=UTC),
        origin=PriceVersion.Origin.SEED,
        change_reason="with a cache rate",
    )


def test_a_column_absent_from_the_file_keeps_the_current_rate(client, editor, acme_models):
    with_cache(acme_models[0], "0.10", batch_input=D("0.50"))
    client.force_login(editor)
    preview = upload(client, table([("acme", "acme-1", "Acme 1", "0.90", "4.00")]))  # no cache, no batch
    (row,) = preview.context["plan"]
    assert row.action == "new" and row.removals == ()
    client.post(CONFIRM, {"table": signed_table(preview), "publish": "1"})
    latest = PriceVersion.objects.filter(model=acme_models[0]).latest()
    assert (latest.input_usd_per_mtok, latest.cache_read_usd_per_mtok, latest.batch_input_usd_per_mtok) == (
        D("0.90"),
        D("0.10"),
        D("0.50"),
    )


def test_an_empty_cell_removes_the_rate_and_the_preview_shows_it_in_red_first(client, editor, acme_models):
    with_cache(acme_models[0], "0.10")
    client.force_login(editor)
    header = "provider,model,input_usd_per_mtok,output_usd_per_mtok,cache_read_usd_per_mtok"
    text = header + "\nacme,acme-1,0.90,4.00,\n"
    preview = upload(client, text)
    (row,) = preview.context["plan"]
    assert row.removals == ("cache read 0.10 → —",)
    page = preview.content.decode()
    assert '<span class="removal">removed: cache read 0.10 → —</span>' in page
    assert 'id="preview-removals">1 rate removed' in page
    assert PriceVersion.objects.filter(model=acme_models[0]).latest().cache_read_usd_per_mtok == D("0.10")
    client.post(CONFIRM, {"table": signed_table(preview), "publish": "1"})
    assert PriceVersion.objects.filter(model=acme_models[0]).latest().cache_read_usd_per_mtok is None
