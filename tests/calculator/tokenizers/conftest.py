"""Tokenizer tests read the real vocabulary files, which ``make test`` fetches before pytest
(``manage.py fetch_tokenizer_assets``). A missing file fails the tests loudly: never a skip.

The registry is configured once per session, so each vocabulary loads once for all the tests;
a test that needs other settings asks for ``reconfigure``, which puts the session's back after it.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from calculator import tokenizers
from calculator.tokenizers import registry
from calculator.tokenizers.assets import ASSETS, is_verified

REPO_ROOT = Path(__file__).resolve().parents[3]
MAX_TEXT_BYTES = 5 * 1024 * 1024


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = Path(os.environ.get("TOKENIZER_DATA_DIR", REPO_ROOT / "var" / "tokenizers"))
    missing = [name for name, a in ASSETS.items() if not is_verified(path / name, a.sha256)]
    assert not missing, (
        f"tokenizer files missing in {path}: {missing}; run "
        "`.venv/bin/python manage.py fetch_tokenizer_assets` (make test does)"
    )
    return path


@pytest.fixture(scope="session", autouse=True)
def configured(data_dir: Path) -> Iterator[None]:
    before = registry.settings
    tokenizers.configure(data_dir=data_dir, max_text_bytes=MAX_TEXT_BYTES)
    yield
    registry.settings = before


@pytest.fixture(autouse=True)
def fresh_counts() -> None:
    """Cached counts are cheap to drop (engines stay loaded): each test counts for real."""
    registry.clear_cache()


@pytest.fixture
def reconfigure(configured: None) -> Iterator[Callable[..., None]]:
    """``reconfigure(**settings)`` for this test only; the session's settings come back after."""
    session = registry.settings
    yield tokenizers.configure
    registry.settings = session
    registry.clear_cache()
