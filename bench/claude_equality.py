"""The 10 MB proof (on demand; minutes, since ctok is the reference): the Claude engine's counts
equal ctok 1.3.0's for every generated document, for all three families.

    .venv/bin/python bench/claude_equality.py [--mb 10] [--seed 2026]

Prints, per family, documents, characters, differences (must be 0) and both engines' seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import ctok  # noqa: E402

from calculator.tokenizers.claude.engine import ClaudeEngine  # noqa: E402
from tests.calculator.tokenizers.claude_corpus import documents  # noqa: E402

FAMILIES = (("v3", "3.0"), ("v4.7", "4.7"), ("v4.8", "4.8"))


def prove(mb: float, seed: int) -> int:
    docs = documents(seed=seed, total_chars=int(mb * 1_000_000))
    chars = sum(map(len, docs))
    print(f"{len(docs):,} documents, {chars:,} characters, {sum(len(d.encode()) for d in docs):,} bytes")
    failures = 0
    for key, version in FAMILIES:
        engine = ClaudeEngine(key)
        start = time.perf_counter()
        ours = [engine.count(d) for d in docs]
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        theirs = [ctok.token_count(d, version) - engine.frame for d in docs]
        ctok_s = time.perf_counter() - start
        wrong = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
        failures += len(wrong)
        print(
            f"{key}: {len(wrong)} differences in {len(docs):,} documents ({sum(theirs):,} tokens); "
            f"engine {ours_s:.1f} s, ctok {ctok_s:.1f} s"
        )
        for i in wrong[:5]:
            print(f"  document {i}: ours {ours[i]}, ctok {theirs[i]}: {docs[i][:120]!r}")
    return failures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    sys.exit(1 if prove(args.mb, args.seed) else 0)
