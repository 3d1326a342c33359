"""The admin by screen: the catalogue and its versions, actions that need a reason, price tables,
and the refresh (import runs, proposals, "Refresh now"). Django's autodiscovery imports this."""

from pricing.admin import catalogue, overlays, refresh  # noqa: F401  (each registers its ModelAdmins)
