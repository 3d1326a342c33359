from django.urls import path

from config.api import make_api
from pricing.api.bill import router as bill_router
from pricing.api.catalogue import router as catalogue_router
from usage.api import router as usage_router

from . import api, bill_page, reprice_api, views

api_v1 = make_api([catalogue_router, bill_router, api.router, reprice_api.router, usage_router])

urlpatterns = [
    path("", views.index, name="calculator"),
    path("tokenizers", views.tokenizers_page, name="tokenizers"),
    path("bill", bill_page.bill_page, name="bill"),
    path("bill.json", bill_page.bill_json_page, name="bill-json"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("c/<str:comparison_id>.json", views.comparison_json, name="comparison-json"),
    path("c/<str:comparison_id>.csv", views.comparison_csv, name="comparison-csv"),
    path("c/<str:comparison_id>", views.comparison_page, name="comparison"),
    path("api/v1/", api_v1.urls),
]
