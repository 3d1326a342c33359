"""Texts that stress a tokenizer: long runs of one character class and the ordinary pastes made of
them (minified JSON, base64, CSV of numbers, logs). The equality tests count them with the
reference libraries; ``bench/tokenizers_bench.py`` times every engine on them."""

from __future__ import annotations

import base64
import json
import random


def _fill(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


def _minified_json(rng: random.Random, chars: int) -> str:
    rows = []
    size = 0
    while size < chars:
        row = {
            "id": rng.randint(0, 10**9),
            "name": f"item-{rng.randint(0, 999)}",
            "tags": [[{}], {"a": [1.5, None]}],
        }
        rows.append(row)
        size += len(json.dumps(row, separators=(",", ":"))) + 1
    return json.dumps(rows, separators=(",", ":"))[:chars]


def _csv_numbers(rng: random.Random, chars: int) -> str:
    lines, size = [], 0
    while size < chars:
        line = (
            ",".join(str(rng.randint(0, 10 ** rng.randint(1, 9))) for _ in range(8))
            + ",-"
            + str(rng.random())
        )
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)[:chars]


def _log(rng: random.Random, chars: int) -> str:
    lines, size = [], 0
    while size < chars:
        rule = "-" * rng.randint(20, 400) if rng.random() < 0.2 else ""
        pad = " " * rng.randint(0, 300) + "\t" * rng.randint(0, 20)
        stamp = f"2026-12-06T17:{rng.randint(0, 59):02d}:00.{rng.randint(0, 999999):06d}Z"
        line = f"{stamp} INFO{pad}worker[{rng.randint(1, 9)}] ok {rule}"
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)[:chars]


def adversarial_texts(chars: int, seed: int = 20) -> dict[str, str]:
    """Each class at ``chars`` characters (one run, or a paste of that kind)."""
    rng = random.Random(seed)
    return {
        "spaces": _fill(" ", chars),
        "tabs": _fill("\t", chars),
        "spaces after a newline": "a\n" + _fill(" ", max(chars - 2, 0)),  # tiktoken's regex overflowed
        "newlines": _fill("\n", chars),
        "mixed whitespace": "".join(rng.choice(" \t\n\r\u00a0\u3000") for _ in range(chars)),
        "digits": _fill("7", chars),
        "dashes": _fill("-", chars),
        "brackets": _fill("[{", chars),
        "one letter": _fill("a", chars),
        "minified json": _minified_json(rng, chars),
        "base64": base64.b64encode(rng.randbytes(chars * 3 // 4)).decode()[:chars],
        "csv of numbers": _csv_numbers(rng, chars),
        "log": _log(rng, chars),
    }
