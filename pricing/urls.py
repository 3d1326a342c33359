from django.urls import path

from pricing import views
from pricing.feeds import PriceChangesFeed

# The catalogue's API routes (pricing.api) are mounted with the rest of /api/v1 in calculator.urls.
urlpatterns = [
    path("models", views.models_page, name="models"),
    path("models/<slug:provider>/<path:model>", views.model_page, name="model"),
    path("changes", views.changes_page, name="price-changes"),
    path("changes/feed", PriceChangesFeed(), name="price-changes-feed"),
]
