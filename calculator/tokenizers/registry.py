"""Key -> engine registry: lazy loading once per process, validation, counting in parallel and
a content-hash cache. Pure Python: the host application passes its settings in through
``configure`` (the Django app config does, at startup)."""

from __future__ import annotations

import ctypes
import hashlib
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from .assets import ASSETS, is_verified
from .catalogue import SPECS, Spec, loader_of
from .engines import pieces
from .types import (
    Adapter,
    CountDeadline,
    Settings,
    TextTooLarge,
    Token,
    TokenCount,
    TokenizerError,
    TokenizerInfo,
    TokenizerUnavailable,
    UnknownTokenizer,
)

_T = TypeVar("_T")
CACHE_ENTRIES = 4096  # (text hash, engine) -> count; ints are small, texts are not kept


settings = Settings()  # until the host application calls configure
# How many real counts each engine has run (not cache hits); tests and the benchmark read it.
count_calls: Counter[str] = Counter()

# Engines by (owner key, the settings they were loaded with): configuring back to earlier
# settings finds the engines loaded then, so a test that needs a special configuration does not
# make every later test load the vocabularies again.
_adapters: dict[tuple[str, Path], Adapter] = {}
_load_locks: dict[str, threading.Lock] = {key: threading.Lock() for key in SPECS}
_cache: OrderedDict[tuple[str, str], int] = OrderedDict()
_cache_lock = threading.Lock()
_threads = ThreadPoolExecutor(max_workers=8, thread_name_prefix="tokenizer")
# A short text is counted by every engine in turn, in the request's thread: handing fifteen
# sub-millisecond counts to other threads costs more than it saves (a server runs several
# requests at once anyway). Longer texts are counted by distinct engines in parallel.
PARALLEL_FROM_CHARS = 20_000


def configure(
    *,
    data_dir: str | Path | None = None,
    max_text_bytes: int | None = None,
    count_deadline_seconds: float | None = None,
    long_run_workers: int | None = None,
) -> None:
    """Set the data folder, the text size limit in UTF-8 bytes, the counting deadline in
    seconds and the number of helper processes for long runs; what is not given stays as it is.
    Cached counts are dropped; loaded engines are kept for the settings they were loaded with."""
    global settings
    settings = Settings(
        data_dir=settings.data_dir if data_dir is None else Path(data_dir),
        max_text_bytes=settings.max_text_bytes if max_text_bytes is None else max_text_bytes,
        count_deadline_seconds=(
            settings.count_deadline_seconds if count_deadline_seconds is None else count_deadline_seconds
        ),
        long_run_workers=settings.long_run_workers if long_run_workers is None else long_run_workers,
    )
    pieces.configure(workers=settings.long_run_workers)
    clear_cache()


def clear_cache() -> None:
    """Forget every cached count (loaded engines stay)."""
    with _cache_lock:
        _cache.clear()


def _slot(spec: Spec, current: Settings) -> tuple[str, Path]:
    """Where the engine of ``spec`` is kept: its owner key and the settings loading depends on."""
    return (spec.owner, current.data_dir)


def _spec(key: str) -> Spec:
    try:
        return SPECS[key]
    except KeyError:
        raise UnknownTokenizer(f"unknown tokenizer {key!r}") from None


def list_tokenizers() -> list[TokenizerInfo]:
    return [spec.info for spec in SPECS.values()]


def get_info(key: str) -> TokenizerInfo:
    return _spec(key).info


def unavailable_reason(key: str) -> str | None:
    """Why ``key`` cannot count, or None when its files are present and verified."""
    spec = _spec(key)
    for filename in loader_of(spec).files:
        if not is_verified(settings.data_dir / filename, ASSETS[filename].sha256):
            return (
                f"vocabulary file {filename} is missing or fails its SHA-256 check in "
                f"{settings.data_dir}; run the fetch_tokenizer_assets command"
            )
    if spec.engine == "ctok":
        try:
            import ctok  # noqa: F401
        except ImportError:
            return "the ctok package is not installed"
    return None


def is_available(key: str) -> bool:
    return unavailable_reason(key) is None


def _adapter(key: str) -> Adapter:
    spec, current = _spec(key), settings  # one snapshot, should configure run meanwhile
    slot = _slot(spec, current)
    adapter = _adapters.get(slot)
    if adapter is not None:
        return adapter
    reason = unavailable_reason(key)
    if reason:
        raise TokenizerUnavailable(f"{key}: {reason}")
    with _load_locks[spec.owner]:
        if slot not in _adapters:
            _adapters[slot] = loader_of(spec)(SPECS[spec.owner], current)
        return _adapters[slot]


def preload(keys: Iterable[str] | None = None) -> dict[str, str | None]:
    """Load the adapters of ``keys`` (default: every tokenizer) now, in this thread.

    For a server that forks workers: loaded before the fork, the vocabularies are shared
    copy-on-write instead of loaded again by each worker on its first request. Starts no
    thread or process. Returns each key's unavailable reason (None: loaded); never raises.
    """
    outcome: dict[str, str | None] = {}
    for key in keys if keys is not None else SPECS:
        try:
            _adapter(key)
            outcome[key] = None
        except Exception as exc:  # a missing file must not stop the server from starting
            outcome[key] = str(exc)
    return outcome


def check_text(text: str) -> bytes:
    """The UTF-8 bytes of ``text``; refuses non-str, lone surrogates and oversize text."""
    if not isinstance(text, str):
        raise TokenizerError(f"text must be a string, not {type(text).__name__}")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise TokenizerError(f"text is not valid Unicode: lone surrogate at character {exc.start}") from None
    if len(data) > settings.max_text_bytes:
        raise TextTooLarge(
            f"text is {len(data):,} bytes of UTF-8; the limit is {settings.max_text_bytes:,} bytes"
        )
    return data


def _count_raw(owner: str, adapter: Adapter, text: str) -> int:
    count_calls[owner] += 1
    return _unpanicked(adapter.count, text)


def _unpanicked(call: Callable[[str], _T], text: str) -> _T:
    """``call(text)``, with a Rust library's panic (a BaseException, which no ``except Exception``
    sees) turned into the TokenizerError every caller handles."""
    try:
        return call(text)
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise TokenizerError(f"the tokenizer's library failed on this text ({exc})") from None


def _count_cached(key: str, text: str, digest: str) -> int:
    owner = _spec(key).owner
    with _cache_lock:
        hit = _cache.get((digest, owner))
        if hit is not None:
            _cache.move_to_end((digest, owner))
            return hit
    adapter = _adapter(key)
    count = _count_raw(owner, adapter, text) if text else 0
    with _cache_lock:
        _cache[(digest, owner)] = count
        while len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)
    return count


def count_tokens(text: str, key: str) -> int:
    """Tokens of ``text`` alone (no BOS/EOS, no chat frame)."""
    digest = hashlib.sha256(check_text(text)).hexdigest()
    return _count_cached(key, text, digest)


def tokenize(text: str, key: str) -> tuple[Sequence[Token], bool]:
    """Tokens with ids and character offsets; the flag is False for estimators whose boundaries
    are only one plausible tiling (ids are then None)."""
    check_text(text)
    adapter = _adapter(key)
    if not text:
        return [], adapter.engine != "ctok"
    if len(text) < PARALLEL_FROM_CHARS:
        return _unpanicked(adapter.tokenize, text)
    # A long text is split in a worker thread, under the same budget as a count: past it the
    # caller gets CountDeadline (503 naming the limit) and the worker goes on serving.
    split = _threads.submit(_released, adapter.tokenize, text)
    try:
        return split.result(timeout=settings.count_deadline_seconds)
    except TimeoutError:
        split.cancel()  # nobody waits for it any more: not started, never started
        raise _deadline_passed() from None


TRIM_FROM_CHARS = 1_000_000
try:
    _malloc_trim: Callable[[int], int] | None = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):  # not glibc
    _malloc_trim = None


def _released(call: Callable[[str], _T], text: str) -> _T:
    """``call(text)`` (a panic made a TokenizerError), the heap trimmed after it."""
    try:
        return _unpanicked(call, text)
    finally:
        _trim_heap(text)


def _trim_heap(text: str) -> None:
    """After a text of a million characters or more, the C heap's free pages go back to the
    system (glibc keeps them otherwise, per thread arena, and a worker's memory would stay at its
    largest text's high-water mark). Trimming costs ~10 ms once, nothing when there is nothing."""
    if len(text) >= TRIM_FROM_CHARS and _malloc_trim is not None:
        _malloc_trim(0)


def _deadline_passed() -> CountDeadline:
    return CountDeadline(
        f"counting this text took longer than the {settings.count_deadline_seconds:g} s limit"
        " (COUNT_DEADLINE_SECONDS)"
    )


def count_tokens_many(text: str, keys: Iterable[str]) -> dict[str, TokenCount]:
    """Counts for several keys: each distinct engine counts once, distinct engines in parallel
    threads, results cached by the text's SHA-256. Unavailable or failing tokenizers come back
    with ``available=False`` and the reason; only an unknown key raises."""
    specs = [_spec(key) for key in dict.fromkeys(keys)]
    digest = hashlib.sha256(check_text(text)).hexdigest()
    owners: dict[str, str] = {}
    for spec in specs:
        owners.setdefault(spec.owner, spec.key)
    submit = _threads.submit if len(text) >= PARALLEL_FROM_CHARS else _in_turn
    deadline = time.monotonic() + settings.count_deadline_seconds
    futures = {owner: submit(_count_cached, key, text, digest) for owner, key in owners.items()}
    results = {}
    for spec in specs:
        try:
            tokens = futures[spec.owner].result(timeout=max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            raise _deadline_passed() from None
        except Exception as exc:  # one broken tokenizer must not sink the others
            results[spec.key] = TokenCount(spec.key, None, spec.exact, False, str(exc))
            continue
        results[spec.key] = TokenCount(spec.key, tokens, spec.exact, True, spec.note)
    _trim_heap(text)  # once for the request, when every engine has let go of its temporaries
    return results


def _in_turn(count: Callable[[str, str, str], int], key: str, text: str, digest: str) -> Future[int]:
    """``count`` run here and now, its outcome (a count or the exception) held like a thread's."""
    future: Future[int] = Future()
    try:
        future.set_result(count(key, text, digest))
    except Exception as exc:  # kept for the caller, as a worker thread's would be
        future.set_exception(exc)
    return future
