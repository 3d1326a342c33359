"""Every write to the catalogue: publish a version, lock and retire, price tables, the seed, the
history load, aliases and tokenizer keys. Nothing else writes a price."""
