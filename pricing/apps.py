from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "pricing"
    verbose_name = "Price catalogue"

    def ready(self) -> None:
        from config import checks  # noqa: F401  (registers the deployment checks)
