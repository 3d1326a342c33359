"""The daily refresh of the ECB reference rates, served from a local HTTP server in the ECB's
own layout (a zip holding ``eurofxref-hist.csv``)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings

from pricing.models import ReferenceRate
from pricing.refresh.reference_rates import refresh_reference_rates
from pricing.selectors.currency import convert
from pricing.tasks import refresh_reference_rates_task
from tests.pricing.refresh.conftest import PayloadServer

pytestmark = pytest.mark.django_db

HEADER = "Date,USD,JPY,BGN,CYP,CZK,DKK,EEK,GBP,"
# Two days after the package's last day (2026-10-30), and that last day itself.
LINES = [
    "2026-11-03,1.1520,176.10,N/A,N/A,24.300,7.4700,N/A,0.8400,",
    "2026-11-02,1.1500,176.00,N/A,N/A,24.310,7.4710,N/A,0.8390,",
    "2026-10-30,9.9999,175.68,N/A,N/A,24.353,7.4735,N/A,0.8338,",
]


def ecb_zip(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", "\n".join([HEADER, *lines]) + "\n")
    return buffer.getvalue()


def test_it_stores_only_the_days_after_the_bundled_history(payload_server: PayloadServer) -> None:
    url = payload_server.serve("/eurofxref-hist.zip", ecb_zip(LINES))
    assert refresh_reference_rates(url=url) == 10
    assert sorted(set(ReferenceRate.objects.values_list("day", flat=True))) == [
        date(2026, 11, 2),
        date(2026, 11, 3),
    ]
    stored = ReferenceRate.objects.get(day=date(2026, 11, 2), currency="USD")
    assert stored.per_eur == Decimal("1.1500") and stored.source_url == url


def test_a_stored_day_is_never_rewritten_and_a_rerun_adds_nothing(payload_server: PayloadServer) -> None:
    url = payload_server.serve("/first.zip", ecb_zip(LINES))
    refresh_reference_rates(url=url)
    corrected = [LINES[0].replace("1.1520", "1.2000"), *LINES[1:]]
    url = payload_server.serve("/second.zip", ecb_zip(corrected))
    assert refresh_reference_rates(url=url) == 0
    assert ReferenceRate.objects.get(day=date(2026, 11, 3), currency="USD").per_eur == Decimal("1.1520")


def test_a_day_after_the_package_converts_at_the_fetched_rate_and_names_it(
    payload_server: PayloadServer,
) -> None:
    url = payload_server.serve("/eurofxref-hist.zip", ecb_zip(LINES))
    with override_settings(ECB_RATES_URL=url):
        assert refresh_reference_rates_task.delay().get() == {"added": 10}
    conversion = convert(Decimal("1.152"), currency="EUR", day=date(2026, 11, 4))
    assert conversion.rate_date == date(2026, 11, 3)
    assert conversion.usd_per_eur == Decimal("1.1520")
    assert conversion.source.url == url
    assert "2026-11-04" in conversion.note
    # Within the bundled history the package's data stands, whatever a later file says.
    assert convert(Decimal("1"), currency="EUR", day=date(2026, 10, 30)).usd_per_eur == Decimal("1.1172")


def test_a_file_that_is_not_the_ecbs_fails_the_command_and_writes_nothing(
    payload_server: PayloadServer,
) -> None:
    url = payload_server.serve("/broken.zip", b"<html>moved</html>")
    with pytest.raises(Exception, match="not an ECB reference-rate file"):
        call_command("refresh_reference_rates", url=url)
    assert not ReferenceRate.objects.exists()
