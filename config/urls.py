from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("pricing.urls")),
    path("", include("calculator.urls")),
    path("", include("usage.urls")),
]

handler404 = "config.api.not_found"
