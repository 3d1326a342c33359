"""The catalogue's JSON API: ninja routers and their schemas (mounted under /api/v1 by calculator.urls)."""
