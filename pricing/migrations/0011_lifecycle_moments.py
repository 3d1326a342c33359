"""A model's launch, deprecation and retirement become moments (UTC) with a source each.

``deprecated_on`` and ``retired_on`` were days; they become the start of that day in UTC (what the
app already meant by them) and the day columns go. No source was recorded for them, so the source
columns start empty; the curated lifecycle facts (fixtures/lifecycle.json) replace an unsourced
moment when ``load_catalogue`` runs.
"""

from datetime import UTC, datetime, time

from django.db import migrations, models


def days_to_moments(apps, schema_editor):
    LanguageModel = apps.get_model("pricing", "LanguageModel")
    dated = LanguageModel.objects.filter(models.Q(deprecated_on__isnull=False) | models.Q(retired_on__isnull=False))
    for model in dated.only("pk", "deprecated_on", "retired_on"):
        LanguageModel.objects.filter(pk=model.pk).update(
            deprecated_at=_start(model.deprecated_on), retired_at=_start(model.retired_on)
        )


def moments_to_days(apps, schema_editor):
    LanguageModel = apps.get_model("pricing", "LanguageModel")
    dated = LanguageModel.objects.filter(models.Q(deprecated_at__isnull=False) | models.Q(retired_at__isnull=False))
    for model in dated.only("pk", "deprecated_at", "retired_at"):
        LanguageModel.objects.filter(pk=model.pk).update(
            deprecated_on=_day(model.deprecated_at), retired_on=_day(model.retired_at)
        )


def _start(day):
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def _day(moment):
    return moment.astimezone(UTC).date() if moment else None


class Migration(migrations.Migration):

    dependencies = [
        ("pricing", "0010_model_lifecycle_aliases_observations"),
    ]

    operations = [
        migrations.AddField(
            model_name="languagemodel",
            name="launched_at",
            field=models.DateTimeField(blank=True, help_text="When the provider first served this model (UTC).", null=True),
        ),
        migrations.AddField(
            model_name="languagemodel",
            name="launch_source_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="launch source"),
        ),
        migrations.AddField(
            model_name="languagemodel",
            name="deprecated_at",
            field=models.DateTimeField(blank=True, help_text="When the provider announced the model's shutdown (UTC).", null=True),
        ),
        migrations.AddField(
            model_name="languagemodel",
            name="deprecation_source_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="deprecation source"),
        ),
        migrations.AddField(
            model_name="languagemodel",
            name="retired_at",
            field=models.DateTimeField(blank=True, help_text="The moment the provider stops (or stopped) serving this model (UTC): no price is in force from then on.", null=True),
        ),
        migrations.AddField(
            model_name="languagemodel",
            name="retirement_source_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="retirement source"),
        ),
        migrations.RunPython(days_to_moments, moments_to_days),
        migrations.RemoveField(model_name="languagemodel", name="deprecated_on"),
        migrations.RemoveField(model_name="languagemodel", name="retired_on"),
    ]
