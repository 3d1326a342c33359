"""System checks that refuse an insecure production configuration."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def check_secret_key_in_production(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [
            Error(
                "DEBUG is off but SECRET_KEY is the development default.",
                hint="Set the SECRET_KEY environment variable to a long random value.",
                id="llmcalc.E001",
            )
        ]
    return []
