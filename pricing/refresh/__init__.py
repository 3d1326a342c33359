"""The price refresh: fetch → parse → validate → diff → publish | propose, for one source.

``refresh_prices()`` (in ``run``) is the one entry point; the Celery task, the command and the
admin call it. The steps live in their own modules: ``fetch`` (the HTTP GET), ``lease`` (one run
per source at a time), ``archive`` (raw payloads by hash), ``apply`` (the catalogue writes) and
``errors``. Each step imports only the steps it needs, never this package, so there is no cycle.
"""

from pricing.refresh.errors import FetchError, RefreshRefused
from pricing.refresh.run import refresh_prices

__all__ = ["FetchError", "RefreshRefused", "refresh_prices"]
