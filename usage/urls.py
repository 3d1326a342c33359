from django.urls import path

from usage import views

# The usage API (usage.api) is mounted with the rest of /api/v1 in calculator.urls.
urlpatterns = [
    path("usage", views.upload_page, name="usage-upload"),
    path("usage/<str:import_id>", views.import_page, name="usage-import"),
]
