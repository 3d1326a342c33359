"""The refresh tests' local HTTP server, shared here (tests never touch the internet)."""

from tests.pricing.refresh.conftest import payload_server

__all__ = ["payload_server"]
