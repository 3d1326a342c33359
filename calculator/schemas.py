"""The calculator API's response schemas (and the tokenize request). The estimate row's schema is
built from its declaration in ``columns``; money and ratios become strings only here."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import operator
import typing
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from config.api import Iso
from pricing.api.schemas import Money
from pricing.bill.money import money

from .columns import COLUMNS, EstimateRow, columns_json
from .estimate import Estimate
from .tokenizers.chat.conversation import ConversationError, parse_conversation

# A ratio such as characters per token: a decimal string ("3.57"), or null.
Ratio = Annotated[
    Decimal | None, PlainSerializer(lambda v: None if v is None else str(v), return_type=str | None)
]


def _row_field(kind: str, annotation: Any) -> tuple[Any, Any]:
    """A row field's schema type: its declared type, with money and moments as they are sent."""
    optional = type(None) in typing.get_args(annotation)
    if kind == "money":
        return (Money, ...)
    if kind == "moment":
        return (Iso | None if optional else Iso, ...)
    return (annotation, ...)


class Out(BaseModel):
    """An estimate's part, read from its dataclasses by pydantic's compiled code. (ninja's
    ``Schema`` wraps every nested object in a Python attribute getter first: for one estimate's
    twenty rows, 40 tokenizers' and columns' objects that was a third of the request's time.)"""

    model_config = ConfigDict(from_attributes=True)


_hints = typing.get_type_hints(EstimateRow)
EstimateRowOut = create_model(
    "EstimateRow",
    __base__=Out,
    **{c.name: _row_field(c.kind, _hints[c.name]) for c in COLUMNS},  # type: ignore[arg-type]
)


class ColumnOut(Out):
    name: str
    label: str
    kind: str
    csv: bool
    table: bool
    shows: str | None
    counted: bool


class TextStatsOut(Out):
    characters: int
    bytes: int
    words: int
    sha256: str


class TokenizerCountOut(Out):
    key: str
    name: str
    exact: bool
    note: str
    available: bool
    tokens: int | None
    chars_per_token: Ratio
    tokens_per_word: Ratio


class EstimateBody(Out):
    """An estimate as it is saved and exported."""

    schema_version: int
    as_of: Iso
    inputs: dict[str, Any]
    text: TextStatsOut | None
    tokenizers: list[TokenizerCountOut]
    results: list[EstimateRowOut]  # type: ignore[valid-type]
    cheapest_fitting: str | None
    without_price: list[str]


class EstimateOut(EstimateBody):
    """With ``overlay`` or ``currency`` asked, the answer also has ``overlay``, ``conversion`` and
    ``money`` (see docs/currency-and-overlays.md); without, exactly these fields."""

    model_config = ConfigDict(from_attributes=True, extra="allow")

    elapsed_ms: float
    columns: list[ColumnOut] = Field(
        default_factory=columns_json,
        validate_default=True,
        description="The comparison table's columns, in display order.",
    )


class ComparisonOut(EstimateBody):
    """The saved estimate and where to find it again."""

    id: str
    url: str
    json_url: str
    csv_url: str


def table_json(result: Estimate, *, with_rows: bool = True) -> dict[str, Any]:
    """The estimate for the calculator page: as ``EstimateOut`` sends it, except that the rows are
    ``{"fields": [...], "rows": [[...], ...]}``, each row its values in the order of ``fields``
    (the same values ``results`` has). With every model that is about half the bytes, and read
    without validating 2,800 rows of some fifty fields each."""
    answer = EstimateOut.model_validate(dataclasses.replace(result, results=())).model_dump(mode="json")
    del answer["results"]
    if not with_rows:  # the caller writes them (``write_rows``)
        return answer
    return {**answer, "results_table": {"fields": list(_FIELDS), "rows": _table_rows(result.results)}}


_FIELDS = tuple(c.name for c in COLUMNS)
_AS_MONEY = tuple(i for i, c in enumerate(COLUMNS) if c.kind == "money")
_UNSET: Any = object()
_AS_MOMENT = tuple(i for i, c in enumerate(COLUMNS) if c.kind == "moment")


def _table_rows(rows: Iterable[EstimateRow]) -> list[list[Any]]:
    """Each row's values as ``EstimateRowOut`` serialises them (money exact strings, moments ISO)."""
    values_of = operator.attrgetter(*_FIELDS)
    # ``money`` depends on the amount alone, and rows share amounts (models priced alike).
    texts: dict[Decimal | None, str | None] = {}
    table = []
    for row in rows:
        values = list(values_of(row))
        for index in _AS_MONEY:
            amount = values[index]
            text = texts.get(amount, _UNSET)
            if text is _UNSET:
                text = texts[amount] = money(amount)
            values[index] = text
        for index in _AS_MOMENT:
            if values[index] is not None:
                values[index] = values[index].isoformat()
        table.append(values)
    return table


# The table answer's fields as ``write_rows`` writes them: first those a row takes from its
# model, its count and its price version (the same for a model from one request to the next),
# then those the request's sizes and the bill give.
_STATIC = tuple(
    name
    for name in _FIELDS
    if name
    not in {
        "cached_input_tokens",
        "output_tokens",
        "input_usd",
        "output_usd",
        "total_usd",
        "requests_per_month",
        "monthly_usd",
        "tier_applied",
        "batch_applied",
        "fits_context",
        "service_tier",
        "threshold_note",
        "reasoning_tokens",
        "cache_write_tokens",
        "cache_write_lifetime",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
    }
)
TABLE_FIELDS = _STATIC + tuple(name for name in _FIELDS if name not in _STATIC)

# Each distinct run of static values, written as JSON once per process: keyed by the values
# themselves (each field holds one type, and every moment the catalogue gives is UTC), so equal
# keys write alike. Bounded like the estimate's other caches.
STATIC_JSON_ENTRIES = 20_000
_static_json: dict[tuple[Any, ...], str] = {}


DYNAMIC_FIELDS = TABLE_FIELDS[len(_STATIC) :]


@dataclasses.dataclass(frozen=True)
class WrittenRows:
    """An answer's rows as the table answer writes them: ``heads`` each row's static values and
    ``tails`` the rest (JSON without brackets), in the answer's order."""

    heads: list[str]
    tails: list[str]

    def json(self) -> str:
        """The rows in the order of ``TABLE_FIELDS`` as one JSON array of arrays."""
        return f"[{','.join(f'[{head},{tail}]' for head, tail in zip(self.heads, self.tails, strict=True))}]"

    def stamp_and_places(self) -> tuple[str, list[int]]:
        """What the page keeps of the rows (their static values) as one stamp, and each row's place
        among them in the stamp's own order (heads sorted as text, each distinct: a head names its
        provider and model). Two answers with the same stamp hold the same models with the same
        static values, whatever process wrote them and in whatever order their rows came."""
        order = sorted(range(len(self.heads)), key=self.heads.__getitem__)
        digest = hashlib.blake2b(digest_size=12)
        digest.update(_FIELDS_TEXT)
        for index in order:
            digest.update(self.heads[index].encode("utf-8", "surrogatepass"))
            digest.update(b"\n")  # never in a head: JSON escapes it
        places = [0] * len(order)
        for place, index in enumerate(order):
            places[index] = place
        return digest.hexdigest(), places


_FIELDS_TEXT = json.dumps(TABLE_FIELDS).encode()


def write_rows(rows: Iterable[EstimateRow]) -> WrittenRows:
    """Each row's static part, written once per process, and the rest once per distinct values in
    this answer (models billed alike share them)."""
    static_of = operator.attrgetter(*_STATIC)
    dynamic_of = operator.attrgetter(*DYNAMIC_FIELDS)
    dynamic_json: dict[tuple[Any, ...], str] = {}
    heads, tails = [], []
    for row in rows:
        static = static_of(row)
        head = _static_json.get(static)
        if head is None:
            if len(_static_json) >= STATIC_JSON_ENTRIES:
                _static_json.clear()
            head = _static_json[static] = _values_json(_STATIC, static)
        dynamic = dynamic_of(row)
        tail = dynamic_json.get(dynamic)
        if tail is None:
            tail = dynamic_json[dynamic] = _values_json(DYNAMIC_FIELDS, dynamic)
        heads.append(head)
        tails.append(tail)
    return WrittenRows(heads, tails)


def table_update_json(written: WrittenRows, places: list[int]) -> str:
    """A re-cost's rows for a page that holds the static values (``stamp_and_places``): per row in
    the answer's order its place there and the index of its other values in ``values``, each
    distinct list of values written once. ``{"fields", "values", "rows"}``."""
    numbers: dict[str, int] = {}
    pairs = []
    for place, tail in zip(places, written.tails, strict=True):
        number = numbers.get(tail)
        if number is None:
            number = numbers[tail] = len(numbers)
        pairs.append(f"[{place},{number}]")
    values = ",".join(f"[{tail}]" for tail in numbers)
    fields = json.dumps(list(DYNAMIC_FIELDS), separators=(",", ":"))
    return f'{{"fields":{fields},"values":[{values}],"rows":[{",".join(pairs)}]}}'


_KIND = {c.name: c.kind for c in COLUMNS}
# One encoder for every row (``json.dumps`` with options builds one per call).
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _values_json(names: tuple[str, ...], values: tuple[Any, ...]) -> str:
    """``values`` (of the fields ``names``) as JSON, without the brackets, written as
    ``_table_rows`` writes them: money exact strings, moments ISO."""
    written = list(values)
    for index in _money_at(names):
        written[index] = money(written[index])
    for index in _moments_at(names):
        if written[index] is not None:
            written[index] = written[index].isoformat()
    return _ENCODE(written)[1:-1]


@functools.cache
def _money_at(names: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(index for index, name in enumerate(names) if _KIND[name] == "money")


@functools.cache
def _moments_at(names: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(index for index, name in enumerate(names) if _KIND[name] == "moment")


def estimate_json(result: Estimate) -> dict[str, Any]:
    """The estimate as JSON-ready data (money as strings), as it is saved."""
    return EstimateBody.model_validate(result, from_attributes=True).model_dump(mode="json")


def _string_or_none(message: str) -> Any:
    def check(value: Any) -> Any:
        if value is not None and not isinstance(value, str):
            raise PydanticCustomError("invalid", message)
        return value

    return BeforeValidator(check)


def _string(message: str) -> Any:
    def check(value: Any) -> Any:
        if not isinstance(value, str):
            raise PydanticCustomError("invalid", message)
        return value

    return BeforeValidator(check)


class TokenizeRequest(Schema):
    """A text, or a conversation (``messages`` and optional ``tools``, with ``model`` choosing the
    framing where one tokenizer serves several: gpt-oss or GPT-4o, Gemma or Gemini)."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str | None, _string_or_none("must be a string.")] = None
    tokenizer: Annotated[str, _string("must name a tokenizer (see GET /api/v1/tokenizers).")]
    messages: list[dict[str, Any]] | None = None
    tools: list[dict[str, Any]] | None = None
    model: Annotated[str, _string("must be a model id.")] = ""

    @model_validator(mode="after")
    def _text_or_messages(self) -> TokenizeRequest:
        if (self.text is None) == (self.messages is None):
            raise PydanticCustomError("invalid", "Send either text or messages.", {"field": "text"})
        if self.tools is not None and self.messages is None:
            raise PydanticCustomError("invalid", "tools go with messages.", {"field": "tools"})
        if self.messages is not None:
            try:
                parse_conversation(self.messages, self.tools)
            except ConversationError as exc:
                raise PydanticCustomError("invalid", str(exc), {"field": exc.field}) from None
        return self


class TokenOut(Schema):
    id: int | None
    text: str
    start: int
    end: int


class TokenizeOut(Schema):
    tokenizer: str
    name: str
    exact: bool
    boundaries_real: bool
    count: int
    spans: int
    truncated: bool
    tokens: list[TokenOut]
    characters: int
    words: int
    chars_per_token: Ratio
    tokens_per_word: Ratio
    # For a conversation: the count split into content, framing and tool definitions.
    content_tokens: int | None = None
    framing_tokens: int | None = None
    tools_tokens: int | None = None
    framing: str | None = None
    framing_source: str | None = None
    image_tokens: int | None = None  # a conversation's images, by image_rule (the maker's published rule)
    image_rule: str | None = None


class QualityOut(Schema):
    """How good the counts are: measured agreement with the provider's count, and where."""

    label: str
    detail: str
    source: str


class TokenizerOut(Schema):
    key: str
    name: str
    engine: str
    exact: bool
    note: str
    licence: str
    available: bool
    unavailable_reason: str | None
    models: int
    quality: QualityOut


class GenericGroupOut(Schema):
    reason: str
    family: str | None
    explanation: str
    models: int
    examples: list[str]


class CoverageOut(Schema):
    """How many catalogue models are counted with their own family's tokenizer, and why the
    others fall back to the generic estimate."""

    models: int
    own_family_exact: int
    own_family_estimate: int
    generic: int
    generic_by_reason: list[GenericGroupOut]


class TokenizersOut(Schema):
    results: list[TokenizerOut]
    coverage: CoverageOut


class RangeOut(Schema):
    low: int
    typical: int
    high: int


class PresetOut(Schema):
    key: str
    name: str
    input_tokens: RangeOut
    output_tokens: RangeOut


class PresetsOut(Schema):
    results: list[PresetOut]
