"""How the packages hang together: rooms by role, and the layer contracts that import-linter checks.

The contracts live in pyproject.toml (``make lint`` runs them too); running them here means a
change that breaks a layer, or imports back up, fails the suite as well as the lint."""

from pathlib import Path

import pytest
from importlinter.cli import lint_imports

from config.env import parse_bool

ROOT = Path(__file__).resolve().parents[1]


def top_level_modules(package: str) -> list[str]:
    return sorted(p.name for p in (ROOT / package).glob("*.py"))


def test_pricing_keeps_only_what_django_expects_at_its_top_level():
    assert top_level_modules("pricing") == [
        "__init__.py",
        "apps.py",
        "feeds.py",
        "forms.py",
        "tasks.py",
        "urls.py",
        "views.py",
    ]


def test_the_catalogue_has_a_room_for_each_role():
    rooms = {p.name for p in (ROOT / "pricing").iterdir() if (p / "__init__.py").exists()}
    assert {
        "models",
        "bill",
        "sources",
        "history",
        "refresh",
        "services",
        "selectors",
        "api",
        "admin",
    } <= rooms


def test_the_tokenizers_keep_at_most_ten_modules_at_their_top_level():
    assert len(top_level_modules("calculator/tokenizers")) <= 10


def test_the_tokenizers_have_a_room_for_engines_claude_and_chat():
    package = ROOT / "calculator" / "tokenizers"
    rooms = {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    assert {"engines", "claude", "chat"} <= rooms
    patterns = ("engines_*.py", "claude*.py", "chat*.py")
    prefixed = [p.name for pattern in patterns for p in package.glob(pattern)]
    assert prefixed == []


def test_every_layer_contract_is_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True, no_logo=True) == 0


@pytest.mark.parametrize(
    ("text", "expected"), [("1", True), (" Yes", True), ("on", True), ("off", False), ("0", False)]
)
def test_yes_no_texts_read_the_same_everywhere(text, expected):
    assert parse_bool(text, name="FLAG") is expected


def test_a_yes_no_text_that_is_neither_is_refused_by_name():
    with pytest.raises(ValueError, match="FLAG must be true/false"):
        parse_bool("maybe", name="FLAG")
