"""The shapes of an import's list and effective costs (``usage.costs``) in the API."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from pricing.api.money import ConversionOut, OverlayRuleOut


class RuleUseOut(Schema):
    id: int
    lines: int = Field(description="Bill lines this rule set.")


class ConvertedSumOut(Schema):
    currency: str
    ListCost: str  # noqa: N815 - FinOps FOCUS column names
    ContractedCost: str  # noqa: N815
    EffectiveCost: str  # noqa: N815
    rate: str | None = Field(None, description="By day only: the day's one rate (units per USD).")
    rate_date: str | None = Field(None, description="By day only: the ECB day whose rate applied.")


class MoneyBucketOut(Schema):
    key: str = Field(description="The day (UTC) or the model (provider/model).")
    priced_rows: int
    ListCost: str  # noqa: N815
    ContractedCost: str  # noqa: N815
    EffectiveCost: str  # noqa: N815
    overlay_rules: list[RuleUseOut]
    converted: ConvertedSumOut | None = Field(
        None, description="Each row converted at the ECB rate of its own date, then added up."
    )


class ImportMoneyOut(Schema):
    overlay: str | None
    currency: str | None
    rules: list[OverlayRuleOut] = Field(description="The overlay rules that set at least one line.")
    priced_rows: int
    ListCost: str  # noqa: N815
    ContractedCost: str  # noqa: N815
    EffectiveCost: str  # noqa: N815
    overlay_rules: list[RuleUseOut]
    converted: ConvertedSumOut | None = None
    by_day: list[MoneyBucketOut]
    by_model: list[MoneyBucketOut]
    conversions: list[ConversionOut] = Field(description="Every day's rate, date and source used.")
