from django.apps import AppConfig
from django.conf import settings


class CalculatorConfig(AppConfig):
    name = "calculator"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The tokenizer package imports no Django: its settings are passed in here, once.
        from . import tokenizers

        tokenizers.configure(
            data_dir=settings.TOKENIZER_DATA_DIR,
            max_text_bytes=settings.MAX_TEXT_BYTES,
            count_deadline_seconds=settings.COUNT_DEADLINE_SECONDS,
            long_run_workers=settings.LONG_RUN_WORKERS,
        )
        # The admin offers these keys for a model's tokenizer (pricing cannot import calculator).
        from pricing.tokenizing.choices import register_tokenizer_choices

        register_tokenizer_choices(
            (info.key, f"{info.key} — {info.name}") for info in tokenizers.list_tokenizers()
        )
        from . import provider_counts

        provider_counts.configure(**settings.PROVIDER_COUNTS)
