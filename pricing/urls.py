from django.urls import path

from . import views
from .feeds import PriceChangesFeed

# The catalogue's API routes are pricing.api.router, mounted with the rest of /api/v1 in calculator.urls.
urlpatterns = [
    path("models", views.models_page, name="models"),
    path("models/<slug:provider>/<path:model>", views.model_page, name="model"),
    path("changes", views.changes_page, name="price-changes"),
    path("changes/feed", PriceChangesFeed(), name="price-changes-feed"),
]
