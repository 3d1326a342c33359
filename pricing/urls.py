from django.urls import path

from . import api, views

urlpatterns = [
    path("models", views.models_page, name="models"),
    path("models/<slug:provider>/<path:model>", views.model_page, name="model"),
    path("api/v1/models", api.models_list, name="api-models"),
    path("api/v1/models/<slug:provider>/<path:model>/prices", api.model_prices, name="api-model-prices"),
]
