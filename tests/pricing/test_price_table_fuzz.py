"""Issue 16, item 3: the price-table upload under generated hostile input (test_admin_fuzz.py
sweeps the new-version form). Whatever arrives (random bytes, CSV-like text full of formulas, huge
or odd numbers and Unicode, workbooks with random cells, forged previews), the answer is a page or a
clear refusal, never a server error, and nothing is written.

Derandomized, with the number of examples stated on each test: 220 generated requests in all.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pricing.models import PriceProposal, PriceTable, PriceVersion
from pricing.sources.price_table import COLUMNS

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/pricing/languagemodel/price-table/"
CONFIRM = "/admin/pricing/languagemodel/price-table/confirm/"


def fuzz(examples: int):
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)  # forms carry no lone surrogates
CELLS = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "=1+2",
            "=CMD|' /C calc'!A0",
            "@SUM(A1)",
            "+1",
            "-1",
            "'=x",
            "1e400",
            "NaN",
            "-Infinity",
            "0.00000000001",
            "99999999999999999999",
            "openai",
            "gpt-5.4",
            "",
            " ",
            "\t",
            "\r\n",
        ]
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers().map(str),
)
HEADERS = st.lists(st.sampled_from([*COLUMNS, "x", ""]), min_size=1, max_size=8)


def csv_text(headers, rows):
    quote = lambda cell: '"' + cell.replace('"', '""') + '"'  # noqa: E731
    return "\n".join(",".join(quote(c) for c in line) for line in [headers, *rows])


CSV_LIKE = st.builds(
    csv_text,
    st.one_of(st.just(["provider", "model", "input_usd_per_mtok", "output_usd_per_mtok"]), HEADERS),
    st.lists(st.lists(CELLS, max_size=8), max_size=6),
)


def nothing_written() -> bool:
    return (
        PriceVersion.objects.count() == 1
        and not PriceTable.objects.exists()
        and not PriceProposal.objects.exists()
    )


def post_upload(client, upload=None, pasted=""):
    data = {
        "change_reason": "fuzz",
        "effective_from_0": "2026-07-01",
        "effective_from_1": "00:00:00",
        "pasted": pasted,
    }
    if upload is not None:
        data["table_file"] = upload
    response = client.post(UPLOAD, data)
    assert response.status_code == 200, response.status_code  # the form again, or a preview
    return response


@fuzz(80)
@given(content=st.binary(max_size=4096), name=st.sampled_from(["t.csv", "t.xlsx", "t", "t.exe"]))
def test_any_bytes_uploaded_get_a_page_never_a_server_error_and_write_nothing(
    client, editor, gpt_54, content, name
):
    client.force_login(editor)
    post_upload(client, SimpleUploadedFile(name, content))
    assert nothing_written()


@fuzz(80)
@given(text=CSV_LIKE)
def test_any_pasted_table_gets_a_page_never_a_server_error_and_writes_nothing(client, editor, gpt_54, text):
    client.force_login(editor)
    post_upload(client, pasted=text)
    assert nothing_written()


@fuzz(20)
@given(
    rows=st.lists(
        st.lists(st.one_of(CELLS, st.floats(), st.integers(), st.booleans(), st.none()), max_size=6),
        max_size=5,
    )
)
def test_any_workbook_gets_a_page_never_a_server_error_and_writes_nothing(client, editor, gpt_54, rows):
    book = Workbook()
    book.active.append(["provider", "model", "input_usd_per_mtok", "output_usd_per_mtok"])
    stream = io.BytesIO()
    try:
        for row in rows:
            book.active.append(row)
        book.save(stream)
    except Exception:  # noqa: BLE001 - openpyxl refuses some characters: such a workbook cannot exist
        return
    client.force_login(editor)
    post_upload(client, SimpleUploadedFile("t.xlsx", stream.getvalue()))
    assert nothing_written()


@fuzz(40)
@given(token=st.one_of(TEXT, st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789:_-.", max_size=300)))
def test_a_forged_confirmation_is_refused_and_writes_nothing(client, editor, gpt_54, token):
    client.force_login(editor)
    response = client.post(CONFIRM, {"table": token, "publish": "1"})
    assert response.status_code == 400
    assert nothing_written()
