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


@register(deploy=False)
def check_refresh_deadline_fits_the_task(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    """A fetch that may outlast its task would be killed holding its lease instead of ending
    and saying why."""
    if settings.PRICE_REFRESH_FETCH_DEADLINE >= settings.CELERY_TASK_TIME_LIMIT:
        return [
            Error(
                f"PRICE_REFRESH_FETCH_DEADLINE ({settings.PRICE_REFRESH_FETCH_DEADLINE} s) is not "
                f"below CELERY_TASK_TIME_LIMIT ({settings.CELERY_TASK_TIME_LIMIT} s).",
                hint="Give the whole fetch less time than the task that runs it.",
                id="llmcalc.E002",
            )
        ]
    return []
