"""The price table as a file: reading what people (and attackers) upload, writing exports.
Pure: no database."""

import csv
import io
import re
import zipfile
from decimal import Decimal as D

import pytest
from openpyxl import Workbook, load_workbook

from pricing.bill.money import plain_rate
from pricing.bill.rates import Rates, TierRates
from pricing.display.change_words import rate_changes
from pricing.sources.price_table import (
    COLUMNS,
    MAX_TABLE_BYTES,
    TableRefused,
    parse_rates,
    rate_cells,
    read_table,
    write_table,
)

HEADER = "provider,model,input_usd_per_mtok,output_usd_per_mtok\n"


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_an_export_reads_back_as_the_same_rows_in_both_formats():
    rates = Rates(D("2.50"), D("15.00"), D("0.25"), tiers=(TierRates(272_000, D("5.00"), D("22.50")),))
    row = {"provider": "openai", "model": "gpt-5.4", "name": "GPT-5.4", **rate_cells(rates)}
    for file_format in ("csv", "xlsx"):
        [read] = read_table(write_table([row], file_format=file_format), filename=f"t.{file_format}")
        assert read.line == 2
        assert parse_rates(read.cells) == (rates, [])
        assert read.cells["name"] == "GPT-5.4"


def test_an_export_writes_formula_text_as_plain_text_and_reads_it_back_unchanged():
    attack = '=HYPERLINK("http://127.0.0.1/x","click")'
    row = {"provider": "openai", "model": "gpt-5.4", "name": attack, "input_usd_per_mtok": "1"}
    text = write_table([row], file_format="csv").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][2] == "'" + attack
    sheet = load_workbook(io.BytesIO(write_table([row], file_format="xlsx"))).active
    assert sheet["C2"].data_type == "s" and sheet["C2"].value == "'" + attack
    for file_format in ("csv", "xlsx"):
        data = write_table([{**row, "output_usd_per_mtok": "2"}], file_format=file_format)
        assert read_table(data, filename=f"t.{file_format}")[0].cells["name"] == attack


def test_the_columns_follow_the_rate_fields_and_two_tier_slots():
    assert COLUMNS[:5] == ("provider", "model", "name", "input_usd_per_mtok", "output_usd_per_mtok")
    assert "request_usd" in COLUMNS and "tier2_cache_write_1h_usd_per_mtok" in COLUMNS


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "t.csv", "empty"),
        (
            (HEADER + "openai,gpt-5.4,0.4,1.6\n").encode("latin-1") + "caf\xe9".encode("latin-1"),
            "t.csv",
            "UTF-8",
        ),
        (bytes(range(256)) * 20, "junk.bin", "UTF-8"),
        (b"provider,model\x00,x\n", "t.csv", "NUL"),
        (b"PK\x03\x04" + b"\x00" * 200, "t.xlsx", "not a valid XLSX"),
        (b"x" * (MAX_TABLE_BYTES + 1), "t.csv", "limit"),
        ((HEADER + "openai,m,1,2\n" * 100_000).encode(), "t.csv", "100,000 rows"),
        ((HEADER + "openai," + "m" * 5000 + ",1,2\n").encode(), "t.csv", "5,000 characters"),
        ((HEADER + 'openai,"' + "m" * 200_000 + '",1,2\n').encode(), "t.csv", "could not be read as CSV"),
        (b"provider,model,price\nopenai,m,1\n", "t.csv", "Missing column(s): input_usd_per_mtok"),
        (
            (HEADER.strip() + ",input_price\nopenai,m,1,2,3\n").encode(),
            "t.csv",
            "Unknown column(s): 'input_price'",
        ),
        (HEADER.encode(), "t.csv", "no rows"),
    ],
)
def test_a_hostile_or_broken_file_is_refused_whole_with_a_clear_message(data, filename, message):
    with pytest.raises(TableRefused, match=re.escape(message)):
        read_table(data, filename=filename)


def test_a_workbook_with_a_formula_is_refused_and_the_formula_never_runs():
    data = xlsx(
        [
            ["provider", "model", "input_usd_per_mtok", "output_usd_per_mtok"],
            ["openai", "gpt-5.4", "=CMD|' /C calc'!A0", 2],
        ]
    )
    with pytest.raises(TableRefused, match="Cell C2 holds a formula"):
        read_table(data, filename="t.xlsx")


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    assert len(stream.getvalue()) < MAX_TABLE_BYTES
    with pytest.raises(TableRefused, match="unpacks to 52,428,800 bytes"):
        read_table(stream.getvalue(), filename="bomb.xlsx")


def test_a_workbook_with_more_rows_than_the_limit_is_refused():
    data = xlsx(
        [["provider", "model", "input_usd_per_mtok", "output_usd_per_mtok"]] + [["a", "b", 1, 2]] * 5_001
    )
    with pytest.raises(TableRefused, match="more than 5,000 rows"):
        read_table(data, filename="t.xlsx")


def test_spreadsheet_numbers_keep_the_digits_they_show():
    data = xlsx(
        [["provider", "model", "input_usd_per_mtok", "output_usd_per_mtok"], ["openai", "m", 0.4, 16]]
    )
    rates, problems = parse_rates(read_table(data, filename="t.xlsx")[0].cells)
    assert problems == [] and rates.input_usd_per_mtok == D("0.4") and rates.output_usd_per_mtok == D("16")


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"input_usd_per_mtok": "$0.40"}, "input_usd_per_mtok", "decimal amount like 0.40"),
        ({"input_usd_per_mtok": "NaN"}, "input_usd_per_mtok", "finite"),
        ({"input_usd_per_mtok": "0.00000000001"}, "input_usd_per_mtok", "more than 10 decimal places"),
        ({"input_usd_per_mtok": "1e15"}, "input_usd_per_mtok", "too large"),
        ({"input_usd_per_mtok": "-1"}, "input_usd_per_mtok", "negative"),
        ({"input_usd_per_mtok": ""}, "input_usd_per_mtok", "required"),
        ({"cache_read_usd_per_mtok": "5"}, "cache_read_usd_per_mtok", "above the input price"),
        ({"tier1_threshold_tokens": "200000"}, "tier1_input_usd_per_mtok", "required when this tier is used"),
        (
            {
                "tier1_threshold_tokens": "lots",
                "tier1_input_usd_per_mtok": "6",
                "tier1_output_usd_per_mtok": "20",
            },
            "tier1_threshold_tokens",
            "positive whole number",
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
    ],
)
def test_a_bad_row_is_refused_with_the_message_on_its_column(cells, column, message):
    rates, problems = parse_rates({"input_usd_per_mtok": "3", "output_usd_per_mtok": "16", **cells})
    assert rates is None
    assert any(p.field == column and message in p.message for p in problems), problems


def test_rates_show_as_plain_decimals_with_at_least_two_places():
    assert plain_rate(D("0.4000000000")) == "0.40"
    assert plain_rate(D("2.5")) == "2.50"
    assert plain_rate(D("0.0028000000")) == "0.0028"
    assert plain_rate(D("15")) == "15.00"
    assert plain_rate(None) == "—"


def test_the_changes_of_a_version_name_each_rate_and_tier_that_moved():
    old = Rates(D("2.50"), D("15.00"), D("0.25"), tiers=(TierRates(272_000, D("5.00"), D("22.50")),))
    new = Rates(D("3.00"), D("15.00"), tiers=(TierRates(272_000, D("6.00"), D("22.50")),))
    assert rate_changes(old, new) == [
        "input 2.50 → 3.00",
        "cache read 0.25 → —",
        "tier > 272,000 input 5.00 → 6.00",
    ]
    assert rate_changes(None, new) == ["first price"]


@pytest.mark.parametrize(
    ("write_only", "found"),
    [(False, "2,000 rows of 200 columns, 400,000 cells"), (True, "more than 115,023 cells")],
    ids=["declared-size", "undeclared-size"],
)
def test_a_workbook_of_too_many_cells_is_refused_naming_the_limit(write_only, found):
    """Within the row and byte limits, far wider than any real table; a workbook declares its
    size (refused unread) or not (refused as the cells are counted)."""
    from pricing.sources.price_table import MAX_TABLE_CELLS

    book = Workbook(write_only=write_only)
    sheet = book.create_sheet() if write_only else book.active
    for _ in range(2_000):
        sheet.append([1] * 200)
    stream = io.BytesIO()
    book.save(stream)
    assert len(stream.getvalue()) < MAX_TABLE_BYTES
    with pytest.raises(TableRefused) as refused:
        read_table(stream.getvalue(), filename="wide.xlsx")
    assert MAX_TABLE_CELLS == 5_001 * len(COLUMNS) == 115_023
    assert str(refused.value).startswith(f"The workbook has {found}; the limit is 115,023 cells")


@pytest.mark.parametrize(
    ("separator", "named"), [(";", "semicolons (;)"), ("\t", "tabs"), ("|", "vertical bars (|)")]
)
def test_a_csv_saved_with_another_delimiter_says_which_one_it_found(separator, named):
    text = separator.join(["provider", "model", "input_usd_per_mtok", "output_usd_per_mtok"])
    text += "\n" + separator.join(["openai", "gpt-5.4", "0,40", "1,60"]) + "\n"
    with pytest.raises(TableRefused, match=re.escape(f"The columns are separated by {named}, not commas")):
        read_table(text.encode(), filename="t.csv")


def test_a_row_with_more_cells_than_the_header_is_named_by_its_line():
    text = HEADER + "openai,gpt-5.4,0.40,1.60\nopenai,gpt-4.1,2,00,8\n"
    with pytest.raises(TableRefused, match="line 3 has 5 cells, the header 4"):
        read_table(text.encode(), filename="t.csv")
