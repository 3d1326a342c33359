"""Tokenizer tests read the real vocabulary files, which ``make test`` fetches before pytest
(``manage.py fetch_tokenizer_assets``). A missing file fails the tests loudly: never a skip."""

import os
from pathlib import Path

import pytest

from calculator import tokenizers
from calculator.tokenizers.assets import ASSETS, is_verified

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = Path(os.environ.get("TOKENIZER_DATA_DIR", REPO_ROOT / "var" / "tokenizers"))
    missing = [name for name, a in ASSETS.items() if not is_verified(path / name, a.sha256)]
    assert not missing, (
        f"tokenizer files missing in {path}: {missing}; run "
        "`.venv/bin/python manage.py fetch_tokenizer_assets` (make test does)"
    )
    return path


@pytest.fixture(autouse=True)
def configured(data_dir):
    tokenizers.configure(data_dir=data_dir, max_text_bytes=5 * 1024 * 1024)
    yield
    tokenizers.configure(data_dir=data_dir, max_text_bytes=5 * 1024 * 1024)
