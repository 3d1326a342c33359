"""The package index's JSON API (PEP 691): every file of a project with its upload time and hash.

The index is the one pip is configured with (``PIP_INDEX_URL`` or ``pip config``), else pip's own
default, so no host is written here. No Django imports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from packaging.version import InvalidVersion, Version

JSON_API = "application/vnd.pypi.simple.v1+json"
USER_AGENT = "llmcalc-price-history/1"


@dataclass(frozen=True)
class IndexFile:
    """One wheel on the index. ``upload_time`` is when it was published (UTC)."""

    project: str
    version: str
    filename: str
    url: str
    upload_time: datetime
    sha256: str
    size: int


def index_url() -> str:
    """The simple index pip would use: its environment, its configuration, else its default."""
    configured = os.environ.get("PIP_INDEX_URL", "").strip()
    if not configured:
        configured = _pip_config_index()
    if not configured:
        from pip._internal.models.index import PyPI

        configured = PyPI.simple_url
    return configured.rstrip("/")


def _pip_config_index() -> str:
    try:
        listed = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
            [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    for line in listed.splitlines():
        key, _, value = line.partition("=")
        if key.strip().endswith(".index-url") and not key.strip().endswith("extra-index-url"):
            return value.strip().strip("'\"")
    return ""


def list_wheels(project: str, *, base_url: str | None = None, timeout_s: float = 30) -> list[IndexFile]:
    """Every non-yanked wheel of ``project``, oldest upload first."""
    url = f"{base_url or index_url()}/{project}/"
    request = urllib.request.Request(url, headers={"Accept": JSON_API, "User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
        data = json.loads(response.read())
    return parse_project_page(project, data, page_url=url)


def parse_project_page(project: str, data: dict[str, Any], *, page_url: str = "") -> list[IndexFile]:
    """PEP 691 project JSON → wheels, oldest first (files without an upload time are skipped)."""
    wheels = []
    for item in data.get("files", []):
        name = str(item.get("filename", ""))
        uploaded = item.get("upload-time")
        sha256 = (item.get("hashes") or {}).get("sha256")
        if not name.endswith(".whl") or item.get("yanked") or not uploaded or not sha256:
            continue
        wheels.append(
            IndexFile(
                project=project,
                version=name.split("-")[1],
                filename=name,
                url=urllib.parse.urljoin(page_url, str(item["url"])),
                upload_time=datetime.fromisoformat(str(uploaded).replace("Z", "+00:00")),
                sha256=str(sha256),
                size=int(item.get("size") or 0),
            )
        )
    wheels.sort(key=lambda w: (w.upload_time, w.filename))
    return _one_per_version(wheels)


def _one_per_version(wheels: list[IndexFile]) -> list[IndexFile]:
    """A release may ship several wheels; its first upload is its publication."""
    seen: set[str] = set()
    first = []
    for wheel in wheels:
        if wheel.version not in seen:
            seen.add(wheel.version)
            first.append(wheel)
    return first


def newest_release(wheels: list[IndexFile]) -> IndexFile | None:
    """The highest final release (no dev, rc or post-dated pre-release): a maintenance release of
    an older line uploaded last is not the newest map."""

    def final(wheel: IndexFile) -> Version | None:
        try:
            version = Version(wheel.version)
        except InvalidVersion:
            return None
        return None if version.is_prerelease or version.is_devrelease else version

    ranked = [(version, wheel) for wheel in wheels if (version := final(wheel)) is not None]
    return max(ranked, key=lambda pair: pair[0])[1] if ranked else None


def sample(
    wheels: list[IndexFile], *, since: datetime | None = None, every: timedelta | None = None
) -> list[IndexFile]:
    """Wheels uploaded on or after ``since``; with ``every``, the first one of each interval
    (the next one picked is the first uploaded at least ``every`` after the last pick)."""
    picked: list[IndexFile] = []
    for wheel in wheels:
        if since and wheel.upload_time < since:
            continue
        if every and picked and wheel.upload_time < picked[-1].upload_time + every:
            continue
        picked.append(wheel)
    return picked


def parse_every(text: str) -> timedelta:
    """``30d``, ``12h`` or ``2w`` → a timedelta; ``ValueError`` otherwise."""
    units = {"h": "hours", "d": "days", "w": "weeks"}
    number, unit = text[:-1], text[-1:].lower()
    if unit not in units or not number.isdigit() or int(number) <= 0:
        raise ValueError(f"--every must look like 30d, 12h or 2w, not {text!r}")
    return timedelta(**{units[unit]: int(number)})
