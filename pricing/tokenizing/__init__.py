"""Which tokenizer counts a model. Pure: no Django. The family rule and the keys an admin may choose."""
