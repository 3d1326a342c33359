"""The generic CSV's reader, without a database: the columns the issue lists, absent ones zero,
unknown ones refused by name, timestamps with an offset, hostile files refused naming the row."""

import codecs
import io
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from usage.formats import COLUMNS, UsageFileError, read_generic_csv, read_json_rows


def read(text: str | bytes, max_rows: int = 100) -> list:
    data = text.encode() if isinstance(text, str) else text
    return list(read_generic_csv(io.BytesIO(data), max_rows=max_rows))


def refusal(text: str | bytes, max_rows: int = 100) -> UsageFileError:
    with pytest.raises(UsageFileError) as caught:
        read(text, max_rows)
    return caught.value


def test_the_columns_are_the_issues_list_in_its_order():
    assert COLUMNS == (
        "timestamp",
        "model",
        "input_tokens",
        "cache_read_tokens",
        "cache_write_5m_tokens",
        "cache_write_1h_tokens",
        "output_tokens",
        "reasoning_tokens",
        "service_tier",
        "reported_cost_usd",
        "tags",
    )


def test_absent_columns_and_empty_cells_are_zero():
    [record] = read(
        "timestamp,model,output_tokens,input_tokens\n2026-08-01T10:00:00+08:00,openai/gpt-5.4,7,\n"
    )
    assert record.at == datetime(2026, 8, 1, 2, tzinfo=UTC)
    assert record.at.utcoffset() == timedelta(hours=8)
    assert (record.usage.input_tokens, record.usage.output_tokens, record.usage.cache_read_tokens) == (
        0,
        7,
        0,
    )
    assert (record.service_tier, record.reported_cost_usd, record.tags, record.row) == (
        "standard",
        None,
        (),
        2,
    )


def test_a_full_row_reads_every_column():
    header = ",".join(COLUMNS)
    row = '2026-08-01T00:00:00Z,anthropic/claude-opus-4-6,1,2,3,4,5,6,batch,0.0125,"b;a,a"'
    [record] = read(f"{header}\n{row}\n")
    usage = record.usage
    assert (usage.input_tokens, usage.cache_read_tokens, usage.cache_write_5m_tokens) == (1, 2, 3)
    assert (usage.cache_write_1h_tokens, usage.output_tokens, usage.reasoning_tokens) == (4, 5, 6)
    assert (record.service_tier, record.reported_cost_usd, record.tags) == (
        "batch",
        Decimal("0.0125"),
        ("a", "b"),
    )


def test_unknown_columns_are_refused_with_their_names():
    error = refusal("timestamp,model,prompt_tokens,cost\n")
    assert error.row == 1
    assert "unknown columns: 'cost', 'prompt_tokens'" in str(error)


def test_a_missing_required_column_is_named():
    assert "missing columns: timestamp" in str(refusal("model,input_tokens\nopenai/gpt-5.4,1\n"))


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("2026-08-01T00:00:00", "has no UTC offset"),
        ("2026-13-01T00:00:00Z", "is not an ISO 8601 timestamp"),
        ("yesterday", "is not an ISO 8601 timestamp"),
    ],
)
def test_a_timestamp_needs_iso_8601_with_an_offset(cell, words):
    error = refusal(f"timestamp,model\n2026-08-01T00:00:00Z,openai/gpt-5.4\n{cell},openai/gpt-5.4\n")
    assert (error.row, error.column) == (3, "timestamp")
    assert words in str(error)
    assert str(error).startswith("Row 3, column timestamp: ")


@pytest.mark.parametrize("cell", ["-5", "1.5", "ten", "1e3", "99999999999999"])
def test_a_token_count_must_be_a_whole_number_within_reason(cell):
    error = refusal(f"timestamp,model,input_tokens\n2026-08-01T00:00:00Z,m/x,{cell}\n")
    assert (error.row, error.column) == (2, "input_tokens")


@pytest.mark.parametrize(
    ("column", "cell"), [("model", "=HYPERLINK(1)"), ("tags", "@SUM(A1)"), ("model", "+cmd")]
)
def test_formula_cells_are_refused_never_run(column, cell):
    header = "timestamp,model,tags"
    values = {"model": "openai/gpt-5.4", "tags": "", column: cell}
    error = refusal(f"{header}\n2026-08-01T00:00:00Z,{values['model']},{values['tags']}\n")
    assert (error.row, error.column) == (2, column)
    assert "formula" in str(error)


def test_utf8_with_a_bom_and_utf16_read_alike():
    text = "timestamp,model,tags\r\n2026-08-01T00:00:00Z,openai/gpt-5.4,équipe\r\n"
    expected = read(text)
    assert read(codecs.BOM_UTF8 + text.encode()) == expected
    assert read(text.encode("utf-16")) == expected  # Python writes the byte order mark first
    assert expected[0].tags == ("équipe",)


def test_latin_1_is_refused_naming_the_row():
    data = (
        b"timestamp,model,tags\n2026-08-01T00:00:00Z,openai/gpt-5.4,ok\n"
        + "2026-08-01T00:00:00Z,x/y,é\n".encode("latin-1")
    )
    error = refusal(data)
    assert "not UTF-8" in str(error)
    assert error.row is not None


def test_the_row_limit_is_enforced_on_the_row_past_it():
    rows = "".join(f"2026-08-01T00:00:00Z,openai/gpt-5.4,{n}\n" for n in range(4))
    error = refusal("timestamp,model,input_tokens\n" + rows, max_rows=3)
    assert error.row == 5 and "more than 3 rows" in str(error)


def test_a_row_with_too_many_cells_is_refused():
    error = refusal("timestamp,model\n2026-08-01T00:00:00Z,openai/gpt-5.4,extra\n")
    assert (error.row, "3 cells, but the header has 2 columns") == (2, str(error).split(": ", 1)[1][:37])


def test_blank_lines_are_skipped_and_row_numbers_stay_the_files():
    records = read("timestamp,model\n\n2026-08-01T00:00:00Z,openai/gpt-5.4\n")
    assert [r.row for r in records] == [3]


def test_an_empty_file_is_refused():
    assert "the file is empty" in str(refusal(b""))


def test_json_rows_take_the_same_columns_and_refuse_unknown_keys():
    tz = timezone(timedelta(hours=-5))
    [record] = read_json_rows(
        [
            {
                "timestamp": "2026-08-01T00:00:00-05:00",
                "model": "openai/gpt-5.4",
                "input_tokens": 3,
                "tags": ["x"],
            }
        ],
        max_rows=10,
    )
    assert (record.at, record.usage.input_tokens, record.tags) == (datetime(2026, 8, 1, tzinfo=tz), 3, ("x",))
    with pytest.raises(UsageFileError, match="unknown columns: 'prompt'"):
        list(read_json_rows([{"timestamp": "2026-08-01T00:00:00Z", "model": "m", "prompt": 1}], max_rows=10))
    with pytest.raises(UsageFileError, match="Row 1, column input_tokens"):
        list(
            read_json_rows(
                [{"timestamp": "2026-08-01T00:00:00Z", "model": "m", "input_tokens": True}], max_rows=10
            )
        )
