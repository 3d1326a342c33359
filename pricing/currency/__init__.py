"""Pure: currencies from the European Central Bank's dated euro reference rates. No Django.

Amounts in this app are exact USD. ``convert_usd`` turns one into another currency at the ECB
reference rates of a date (the cross rate through the euro, as the ECB publishes rates per euro);
a date without rates (a weekend, a TARGET holiday) takes the last earlier day's and says so.
"""

from pricing.currency.ecb import RateError, parse_ecb_payload
from pricing.currency.rates import (
    LONGEST_GAP_DAYS,
    Conversion,
    DatedRates,
    RateSource,
    RateTable,
    convert_usd,
)

__all__ = [
    "LONGEST_GAP_DAYS",
    "Conversion",
    "DatedRates",
    "RateError",
    "RateSource",
    "RateTable",
    "convert_usd",
    "parse_ecb_payload",
]
