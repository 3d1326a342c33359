"""Mark which models' tokenizers a person chose, so the family rule may re-assign only the others.

Before this flag existed, a model's key was either what the import's rule gave it or a person's
choice (the seed, the admin). A key that differs from what that old rule gives can only be a
choice; a key equal to it is treated as the rule's default and may be re-assigned by
``manage.py assign_tokenizers``. The old rule is frozen here (as it was at 0d72c26) because the
live one in ``pricing.families`` keeps changing.
"""

import re

from django.db import migrations, models

# pricing/families.py at 0d72c26: (provider pattern, model pattern, key), first match wins.
_OLD_RULES = [
    (r"openai|azure", r"gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|^o\d|chatgpt|gpt-oss", "o200k_base"),
    (r"openai|azure", r"gpt-4|gpt-3\.5|text-embedding|davinci|babbage", "cl100k_base"),
    (r"anthropic|claude", r"claude-(instant|2|1)", "claude_legacy"),
    (r"anthropic|claude", r"opus-4-7|opus-4\.7", "claude_opus_4_7"),
    (r"anthropic|claude", r"opus-4[.-][89]|(sonnet|opus|haiku)-5|claude-5", "claude_5"),
    (r"anthropic|claude", r"", "claude"),
    (r"google|gemini|vertex", r"gemini-(3\.[1-9]|[4-9])|gemini-3-[1-9]", "gemini3"),
    (r"google|gemini|vertex", r"gemini|gemma", "gemma3"),
    (r"", r"gemma", "gemma3"),
    (r"deepseek", r"", "deepseek_v3"),
    (r"qwen|alibaba|dashscope", r"qwen-?3[.-][5-9]|qwen-?[4-9]", "qwen3_5"),
    (r"qwen|alibaba|dashscope", r"", "qwen2"),
    (r"", r"qwen", "qwen2"),
    (r"mistral", r"large-(2407|2402)|codestral-(2405|22b)|mixtral|mistral-7b", "mistral_spm_v3"),
    (r"mistral", r"large-2411|large-latest", "mistral_spm_v7"),
    (r"mistral", r"", "mistral_tekken"),
    (r"meta|llama", r"llama-?4", "llama4"),
    (r"meta|llama", r"llama-?3", "llama3"),
    (r"", r"llama-?4", "llama4"),
    (r"", r"llama-?3", "llama3"),
    (r"xai|x-ai|grok", r"", "grok"),
]


def _old_rule(provider: str, model: str) -> str:
    provider, model = provider.lower(), model.lower()
    for provider_pattern, model_pattern, key in _OLD_RULES:
        if re.search(provider_pattern, provider) and re.search(model_pattern, model):
            return key
    return "generic"


def mark_chosen(apps, schema_editor):
    LanguageModel = apps.get_model("pricing", "LanguageModel")
    chosen = [
        pk
        for pk, provider, slug, key in LanguageModel.objects.values_list(
            "pk", "provider__slug", "slug", "tokenizer_key"
        )
        if key != _old_rule(provider, slug)
    ]
    LanguageModel.objects.filter(pk__in=chosen).update(tokenizer_chosen=True)


class Migration(migrations.Migration):
    dependencies = [
        ("pricing", "0006_price_table_retired_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="languagemodel",
            name="tokenizer_chosen",
            field=models.BooleanField(
                default=False,
                help_text="Set when a person chose the tokenizer (admin, seed); the automatic family rule "
                "(manage.py assign_tokenizers) then leaves it alone.",
            ),
        ),
        migrations.RunPython(mark_chosen, migrations.RunPython.noop),
    ]
