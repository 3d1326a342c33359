"""Read the price data of any release of ``genai-prices`` into its v2 JSON shape. Pure, no Django.

Every release so far (0 … 0.2.x, 2025-07 on) ships its data as ``genai_prices/data.py``: one
``providers`` list built from constructor calls (``Provider(...)``, ``ModelInfo(...)``,
``ModelPrice(...)``, ``ConditionalPrice(...)``, ``TieredPrices(...)``, ``Decimal('…')``,
``datetime.date(…)``). The eras differ in which classes and fields exist (era 0 lists every
field with ``None``; 0.0.x adds ``ConditionalPrice`` and time-of-day constraints; 0.1 adds
usage extractors; 0.2 adds ``PriceVariant`` for batch). Rather than import a stranger's module
(it would execute code and need that release's ``types.py``), the file is parsed with ``ast``
and only literal constructor calls are evaluated: a call becomes a dict of its keyword
arguments (``or_`` → ``or``, as the v2 JSON spells it), so one tolerant reader covers all eras.
A release that also ships a JSON data file is read from it instead.
"""

from __future__ import annotations

import ast
import io
import json
import zipfile
from datetime import UTC, date, time
from decimal import Decimal

DATA_MODULE = "genai_prices/data.py"
DATA_JSONS = ("genai_prices/data.json", "genai_prices/data_v2.json")


class EraError(ValueError):
    """The release's data could not be read."""


def v2_payload_from_wheel(wheel: bytes) -> bytes:
    """The release's providers as v2 JSON bytes (money as decimal strings, sorted keys)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(wheel))
        names = set(archive.namelist())
        for name in DATA_JSONS:
            if name in names:
                return archive.read(name)
        source = archive.read(DATA_MODULE)
    except (zipfile.BadZipFile, KeyError) as error:
        raise EraError(f"no price data in this wheel: {error}") from None
    providers = providers_from_source(source)
    return json.dumps(providers, sort_keys=True, separators=(",", ":")).encode()


def providers_from_source(source: bytes) -> list[object]:
    """Evaluate the ``providers = [...]`` assignment of a ``data.py`` without running it."""
    tree = ast.parse(source)
    for node in tree.body:
        target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
        if isinstance(target, ast.Name) and target.id == "providers" and node.value is not None:  # type: ignore[attr-defined]
            value = literal(node.value)  # type: ignore[attr-defined]
            if not isinstance(value, list):
                raise EraError("providers is not a list")
            return value
    raise EraError("no providers assignment in data.py")


def literal(node: ast.AST) -> object:
    """A JSON-ready value of a literal expression made of the data module's constructors."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return [literal(item) for item in node.elts]
    if isinstance(node, ast.Dict):
        return {str(literal(k)): literal(v) for k, v in zip(node.keys, node.values, strict=True) if k}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -literal(node.operand)  # type: ignore[operator]
    if isinstance(node, ast.Call):
        return _call(node)
    raise EraError(f"unexpected expression in data.py: {ast.unparse(node)[:60]}")


def _call(node: ast.Call) -> object:
    name = ast.unparse(node.func)
    args = [literal(arg) for arg in node.args]
    if name == "Decimal":
        return str(Decimal(str(args[0])))
    if name in ("datetime.date", "date"):
        return date(*args).isoformat()  # type: ignore[arg-type]
    if name in ("datetime.time", "time"):
        return time(*args, tzinfo=UTC).isoformat()  # type: ignore[arg-type, misc]
    if name in ("datetime.UTC", "datetime.timezone.utc"):
        return None
    if args:
        raise EraError(f"{name}(...) with positional arguments is not a known data constructor")
    fields = {kw.arg.rstrip("_"): literal(kw.value) for kw in node.keywords if kw.arg}
    return {key: value for key, value in fields.items() if value is not None}
