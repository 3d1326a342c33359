"""Usage imports: a usage export in, every row billed at its own moment, totals out."""
