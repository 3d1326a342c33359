"""Pure parsers of upstream price formats (no Django imports).

Each source module offers ``parse(payload: bytes) -> ParsedPayload``; ``SOURCES`` names them. The
service in ``pricing.refresh`` fetches the bytes, calls the parser, validates and diffs.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class SourceInfo:
    """One upstream: its name, its parser module, and its rank when two sources price one model."""

    name: str
    module: str
    priority: int  # lower wins: a model priced by a higher-priority source is only cross-checked

    def load(self) -> ModuleType:
        import importlib

        return importlib.import_module(f"pricing.sources.{self.module}")


SOURCES: dict[str, SourceInfo] = {
    info.name: info
    for info in (
        SourceInfo("genai-prices", "genai_prices_v2", 0),
        SourceInfo("litellm", "litellm", 1),
        SourceInfo("openrouter", "openrouter", 2),
    )
}
