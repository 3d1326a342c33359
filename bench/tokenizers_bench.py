"""Tokenizer benchmark (``make bench``; not part of the tests).

Builds a deterministic ~1 MB text of English (licence texts on disk) and Python (stdlib sources),
then prints and records in docs/benchmarks.md: each engine's load time and raw single-thread MB/s;
the app's all-tokenizers ``count_tokens_many`` wall time at 2 KB, 100 KB and 1 MB; its ratio to
the sum of the raw single-thread times; a warm (cached) repeat; tokencost for comparison.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import time
import types
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from calculator import tokenizers  # noqa: E402
from calculator.tokenizers import claude, registry  # noqa: E402
from calculator.tokenizers.catalogue import SPECS  # noqa: E402

DATA_DIR = Path(os.environ.get("TOKENIZER_DATA_DIR", REPO / "var" / "tokenizers"))
MB = 1_000_000
DATE = time.strftime("%Y-%m-%d")


def build_text(size: int = MB) -> str:
    """Alternating English and Python, from files every Debian Python install has."""
    english = [p.read_text(errors="replace") for p in sorted(Path("/usr/share/common-licenses")
               .glob("*")) if p.is_file()]
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    python = [p.read_text(errors="replace") for p in sorted(stdlib.glob("*.py"))]
    parts, total, i = [], 0, 0
    while total < size:
        for chunk in (english[i % len(english)][:20_000], python[i % len(python)][:20_000]):
            parts.append(chunk)
            total += len(chunk.encode())
        i += 1
    return "".join(parts).encode()[:size].decode(errors="ignore")


def raw_engines(text: str) -> dict[str, tuple[float, float]]:
    """Engine owner key -> (load seconds, single-thread seconds for ``text``)."""
    out = {}
    for owner in dict.fromkeys(spec.owner for spec in SPECS.values()):
        start = time.perf_counter()
        adapter = registry._adapter(owner)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        family = SPECS[owner].claude_family
        if family:  # in-process, one thread: the raw speed of ctok itself
            claude.count_chunk(text, family)
        else:
            adapter.count(text)
        out[owner] = (loaded, time.perf_counter() - start)
    return out


def app_wall(text: str) -> tuple[float, float]:
    """(cold, warm) seconds of count_tokens_many over every key."""
    keys = [i.key for i in tokenizers.list_tokenizers()]
    registry._cache.clear()
    start = time.perf_counter()
    tokenizers.count_tokens_many(text, keys)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    tokenizers.count_tokens_many(text, keys)
    return cold, time.perf_counter() - start


def tokencost_time(text: str) -> str:
    """tokencost counting the same model set, one call per model (as it works)."""
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(DATA_DIR))  # our files, no download
    for name in ("anthropic", "aiohttp"):  # used only by its Claude and network paths
        sys.modules.setdefault(name, types.ModuleType(name))
    try:
        from tokencost import count_string_tokens
    except Exception as exc:  # optional tool
        return f"not measured ({exc.__class__.__name__}: {exc})"
    models = ["gpt-4o", "gpt-4.1", "gpt-4", "gpt-3.5-turbo", "o3", "gpt-5", "gemini-2.5-pro",
              "deepseek-chat", "mistral-large-latest", "llama-3.3-70b", "grok-4", "qwen-max"]
    start = time.perf_counter()
    for model in models:
        try:
            count_string_tokens(text, model)
        except Exception:
            count_string_tokens(text, "gpt-4")  # what tokencost falls back to for others
    return f"{time.perf_counter() - start:.2f} s for {len(models)} models (Claude needs its API)"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), "unknown")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    # A shared machine: the load average says how much of the two cores we really had.
    return f"{os.cpu_count()} cores (nproc), {cpu}, load average at start {load}"


def run() -> list[str]:
    tokenizers.configure(data_dir=DATA_DIR)
    text = build_text()
    mb = len(text.encode()) / MB
    raw = raw_engines(text)
    lines = [f"Date: {DATE}. Machine: {machine()}. Text: {mb:.2f} MB of English licences and "
             "Python stdlib sources.", "", "| engine (key) | load s | single-thread s | MB/s |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {k} | {load:.2f} | {secs:.2f} | {mb / secs:.2f} |"
              for k, (load, secs) in raw.items()]
    raw_sum = sum(secs for _load, secs in raw.values())
    lines += ["", f"Sum of raw single-thread times (1 MB, every engine): {raw_sum:.2f} s.", "",
              "| `count_tokens_many`, all 18 keys | cold s | warm (cached) s |", "| --- | --- | --- |"]
    start = time.perf_counter()
    app_wall(text[:100_000])  # first use starts the Claude process pool; a once-per-process cost
    first_use = time.perf_counter() - start
    for label, n in (("2 KB", 2_000), ("100 KB", 100_000), ("1 MB", MB)):
        cold, warm = app_wall(text[:n])
        lines.append(f"| {label} | {cold:.2f} | {warm:.4f} |")
    cold_sampled, _ = app_wall(text)
    tokenizers.configure(data_dir=DATA_DIR, claude_sample_bytes=None)
    app_wall(text[:1000])  # reload engines outside the timing
    cold_full, _ = app_wall(text)
    lines += ["", f"First use in a process (starts the Claude process pool, loads ctok in its "
              f"workers), 100 KB: {first_use:.2f} s, not included above."]
    lines += ["", f"Ratio wall / sum of raw, 1 MB: {cold_sampled / raw_sum:.2f} with the Claude "
              f"estimator sampling (default, > 256 KB), {cold_full / raw_sum:.2f} counting every "
              "Claude chunk (target <= 0.6).", "",
              f"tokencost on the same 1 MB: {tokencost_time(text)}."]
    return lines


def write_section(lines: list[str], path: Path = REPO / "docs" / "benchmarks.md") -> None:
    """Replace only the "## Tokenizers" section, keeping every other section."""
    body = "## Tokenizers\n\n" + "\n".join(lines) + "\n"
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    start = old.find("## Tokenizers")
    if start == -1:
        new = old.rstrip("\n") + "\n\n" + body
    else:
        end = old.find("\n## ", start + 1)
        new = old[:start] + body + ("\n" + old[end + 1:] if end != -1 else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new)


if __name__ == "__main__":
    result = run()
    print("\n".join(result))
    write_section(result)
