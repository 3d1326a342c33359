"""How prices are shown. Pure: no Django. Money as text (``money``), a change in words, a price chart."""
