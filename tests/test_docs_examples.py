"""Every `curl` example in the docs succeeds when executed (issue 22: API docs examples that work).

Each example is read out of its Markdown code block, continuation lines joined, split as a shell
would, and sent through the test client to a catalogue loaded from the seed. A saved comparison's
id in an example (random on every install) is replaced by one this test saves first, so the
example is run as a reader would run it after saving their own.
"""

import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pricing.services.seed import load_seed_catalogue

DOCS = Path(__file__).resolve().parent.parent / "docs"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def curl_commands(markdown: str) -> list[str]:
    """Each ``curl`` command of the page's code blocks, over its continuation lines and quotes."""
    commands = []
    for language, block in BLOCK.findall(markdown):
        if language not in ("", "sh", "bash", "shell", "console"):
            continue
        current: list[str] = []
        for line in block.splitlines():
            if not current and not line.lstrip("$ ").startswith("curl "):
                continue
            current.append(line.lstrip("$ ") if not current else line)
            text = "\n".join(current)
            if text.endswith("\\") or not _complete(text):
                continue
            commands.append(re.sub(r"\\\n\s*", " ", text))
            current = []
    return [c for c in commands if "127.0.0.1" in c]


def _complete(text: str) -> bool:
    try:
        shlex.split(re.sub(r"\\\n\s*", " ", text))
    except ValueError:  # an open quote: the body goes on over the next line
        return False
    return True


def parse(command: str) -> tuple[str, str, dict[str, str], str | None]:
    words = shlex.split(command.split(" | ")[0])
    method, headers, data, url = "GET", {}, None, ""
    i = 1
    while i < len(words):
        word = words[i]
        if word == "-X":
            method, i = words[i + 1], i + 1
        elif word == "-H":
            name, _, value = words[i + 1].partition(":")
            headers[name.strip().lower()] = value.strip()
            i += 1
        elif word in ("-d", "--data", "--data-binary"):
            data, i = words[i + 1], i + 1
            method = "POST" if method == "GET" else method
        elif word.startswith("http"):
            url = word
        i += 1
    parts = urlsplit(url)
    return method, parts.path + (f"?{parts.query}" if parts.query else ""), headers, data


EXAMPLES = [
    pytest.param(command, id=f"{page.name}:{n}")
    for page in sorted(DOCS.glob("*.md"))
    for n, command in enumerate(curl_commands(page.read_text(encoding="utf-8")))
    if "-F" not in shlex.split(command.split(" | ")[0])  # file uploads: tests/usage covers them
]


@pytest.fixture
def ids(client, db, settings, tmp_path):
    """A saved comparison's id and a usage import's id, made as a reader would make their own."""
    settings.USAGE_UPLOAD_DIR = tmp_path / "uploads"
    load_seed_catalogue()
    saved = client.post("/api/v1/comparisons", json.dumps({"text": "Hello there"}), "application/json")
    row = {"timestamp": "2026-06-01T12:00:00Z", "model": "openai/gpt-4.1-mini", "input_tokens": 1000}
    usage = client.post("/api/v1/usage/imports", json.dumps({"rows": [row]}), "application/json")
    assert (saved.status_code, usage.status_code) == (201, 202), (saved.content, usage.content)
    return json.loads(saved.content)["id"], json.loads(usage.content)["id"]


def test_the_docs_hold_examples():
    assert len(EXAMPLES) >= 15


@pytest.mark.django_db
@pytest.mark.parametrize("command", EXAMPLES)
def test_a_docs_example_succeeds(client, ids, command):
    saved_id, import_id = ids
    method, path, headers, data = parse(command.replace("<id>", import_id))
    path = re.sub(r"/(c|comparisons)/[A-Za-z0-9_-]{12}(?=[/.?]|$)", rf"/\1/{saved_id}", path)
    if method == "GET":
        response = client.get(path)
    else:
        content_type = headers.get("content-type", "application/json")
        response = client.generic(method, path, data or "", content_type=content_type)
    assert 200 <= response.status_code < 300, (command, response.status_code, response.content[:500])
