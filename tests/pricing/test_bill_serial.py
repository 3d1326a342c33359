"""A sheet stored as full JSON by an older proposal is read exactly; bad JSON says so."""

import json

import pytest

from pricing.bill.serial import SheetFormatError, sheet_from_json
from tests.pricing.legacy_sheet_json import sheet_to_json

from . import bill_sheets as sheets


@pytest.mark.parametrize("make", [sheets.opus_4_6, sheets.gpt_5_4, sheets.deepseek_v4_pro, sheets.whisper_1])
def test_a_sheet_survives_a_round_trip_through_json_text(make):
    sheet = make()
    assert sheet_from_json(json.loads(json.dumps(sheet_to_json(sheet)))) == sheet


def test_money_stays_an_exact_decimal_string():
    data = sheet_to_json(sheets.opus_4_6())
    assert data["variants"]["batch"]["prices"]["cache_write_5m"] == {"usd": "3.125", "per": 1_000_000}


@pytest.mark.parametrize(
    "data", [[], {"variants": {"standard": {"prices": {"input": {"usd": "abc"}}}}}, {"bands": []}]
)
def test_json_that_is_not_a_sheet_is_refused(data):
    with pytest.raises(SheetFormatError):
        sheet_from_json(data)
