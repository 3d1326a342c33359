"""Every read of the catalogue for pages and the API: prices in force, bills from the catalogue,
changes over time, where sources disagree."""
