"""Migration 0007 marks as chosen exactly the keys the old import rule could not have given."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("pricing", "0006_price_table_retired_on")]
AFTER = [("pricing", "0007_model_tokenizer_chosen")]


@pytest.mark.django_db(transaction=True)
def test_a_key_the_old_rule_would_not_give_is_marked_chosen_and_the_rest_left_to_the_rule():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    provider = old.get_model("pricing", "Provider").objects.create(slug="openai", name="OpenAI")
    Model = old.get_model("pricing", "LanguageModel")
    # The old rule gave gpt-4o o200k_base and gpt-6-astra generic; cl100k for gpt-4o-mini was a choice.
    for slug, key in [("gpt-4o", "o200k_base"), ("gpt-6-astra", "generic"), ("gpt-4o-mini", "cl100k_base")]:
        Model.objects.create(provider=provider, slug=slug, name=slug, tokenizer_key=key)

    executor = MigrationExecutor(connection)
    try:
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("pricing", "LanguageModel")
        chosen = dict(new.objects.values_list("slug", "tokenizer_chosen"))
    finally:  # leave the schema as later tests expect it: every migration applied
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert chosen == {"gpt-4o": False, "gpt-6-astra": False, "gpt-4o-mini": True}
