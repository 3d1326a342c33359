"""Price history from published snapshots of a price source (issue 11).

Each release of a package that bundles price data (``genai-prices``; ``litellm``'s bundled map) is
dated evidence: its upload time on the package index is when it was published. A price that
snapshot S (published at T_S) shows and the snapshot before it (T_prev) did not was set after
T_prev and no later than T_S.

- ``index``: the package index's JSON API (PEP 691), located from pip's own configuration;
- ``remote_zip``: one member of a wheel through HTTP Range requests;
- ``snapshots``: fetch and cache each snapshot under ``VAR_DIR/snapshots`` with its sha256;
- ``eras``: read every era of ``genai-prices``' bundled data (pure);
- ``timeline``: replay snapshots oldest first into dated versions with windows (pure).
"""
