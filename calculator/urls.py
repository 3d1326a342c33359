from django.urls import path

from . import api, openapi, views

urlpatterns = [
    path("", views.index, name="calculator"),
    path("tokenizers", views.tokenizers_page, name="tokenizers"),
    path("healthz", views.healthz, name="healthz"),
    path("c/<str:comparison_id>.json", views.comparison_json, name="comparison-json"),
    path("c/<str:comparison_id>.csv", views.comparison_csv, name="comparison-csv"),
    path("c/<str:comparison_id>", views.comparison_page, name="comparison"),
    path("api/v1/estimate", api.estimate, name="api-estimate"),
    path("api/v1/tokenize", api.tokenize, name="api-tokenize"),
    path("api/v1/tokenizers", api.tokenizer_list, name="api-tokenizers"),
    path("api/v1/budgets/presets", api.presets, name="api-presets"),
    path("api/v1/comparisons", api.comparisons, name="api-comparisons"),
    path("api/v1/openapi.json", openapi.openapi_json, name="api-openapi"),
]
