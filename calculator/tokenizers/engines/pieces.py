"""Long single pieces encoded in helper processes, so that they do not stall the server.

tiktoken encodes a regex piece with ``_encode_single_piece`` without releasing the interpreter
lock: for a run of a million spaces that is 500-760 ms in which no other thread of the process
runs, /healthz included (measured in docs/benchmarks.md, "Worst texts over HTTP"). Every other
tiktoken call releases the lock. So the long runs the adapter cuts out of a text (``LONG_RUN``
characters or more) are sent to a small pool of processes, and the request's thread waits for
the answer with the lock released.

A helper process is started on first use (spawned: a fresh interpreter, never a fork of a
threaded server; like any spawned process it first imports the host's main script, which a
server's has guarded) and learns an encoding the first time it is asked for it: the request is sent
with the encoding's key only, and again with its ranks when the helper does not know it yet.
When helpers are switched off (``configure(workers=0)``) or the pool breaks (a helper killed),
the piece is encoded here, as before, and the next long run starts a new pool; after
``BREAKS_BEFORE_OFF`` breaks in a row (helpers that cannot start: a host whose main script a new
interpreter cannot import, say) the process stops trying, with a warning, until reconfigured.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import pickle
import threading
import time
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import tiktoken

# A shorter piece is encoded in the caller's process: it holds the lock for under ~50 ms, less
# than the round trip to a helper costs a run of such pieces.
HELPER_FROM_BYTES = 64 * 1024
# A helper serves this many pieces, then is replaced: the memory of its largest piece goes back.
TASKS_PER_HELPER = 200

BREAKS_BEFORE_OFF = 3
PARENT_CHECK_SECONDS = 1.0  # how often a helper checks that its server process is alive

log = logging.getLogger(__name__)
_workers = 2
_breaks = 0  # pools broken in a row, without a piece encoded by a helper in between
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()
# In the server process: a serial number and the pickled state of each encoding, made once and
# dropped with the encoding (an id() could be reused by a later encoding with other ranks).
_serials: weakref.WeakKeyDictionary[tiktoken.Encoding, int] = weakref.WeakKeyDictionary()
_states: weakref.WeakKeyDictionary[tiktoken.Encoding, bytes] = weakref.WeakKeyDictionary()
_next_serial = itertools.count()
# In a helper: the encodings it has been sent, by key.
_known: dict[tuple[int, int, str], tiktoken.Encoding] = {}


class UnknownEncoding(Exception):
    """Raised in a helper asked for an encoding it has not been sent yet."""


def configure(*, workers: int) -> None:
    """How many helper processes may encode long pieces at once; 0 encodes them in-process."""
    global _workers, _breaks
    if workers < 0:
        raise ValueError(f"workers must be 0 or more, not {workers}")
    with _pool_lock:
        if workers != _workers or _breaks >= BREAKS_BEFORE_OFF:
            _workers = workers
            _breaks = 0
            _shutdown_locked()


def encode_piece(encoding: tiktoken.Encoding, piece: bytes) -> list[int]:
    """tiktoken's ranks for ``piece`` encoded as one regex piece: by a helper process when
    helpers are on and the piece is long (the caller's thread waits with the lock released)."""
    pool = _current_pool() if len(piece) >= HELPER_FROM_BYTES else None
    if pool is None:
        return encoding._encode_single_piece(piece)
    key = (os.getpid(), _serial(encoding), encoding.name)
    try:
        try:
            ranks = pool.submit(_encode_in_helper, key, None, piece).result()
        except UnknownEncoding:
            ranks = pool.submit(_encode_in_helper, key, _state(encoding), piece).result()
    except BrokenProcessPool:
        _discard(pool)
        return encoding._encode_single_piece(piece)
    _reset_breaks()
    return ranks


def helper_pids() -> list[int]:
    """Process ids of the running helpers (empty before the first long piece)."""
    with _pool_lock:
        processes = getattr(_pool, "_processes", None) or {}
        return list(processes)


def _serial(encoding: tiktoken.Encoding) -> int:
    with _pool_lock:
        serial = _serials.get(encoding)
        if serial is None:
            serial = _serials[encoding] = next(_next_serial)
        return serial


def _state(encoding: tiktoken.Encoding) -> bytes:
    """The encoding pickled once per process: pickling 200,000 ranks holds the interpreter lock
    ~0.1-0.2 s, and each new helper needs them (a few MB kept per encoding that had a long run)."""
    with _pool_lock:
        state = _states.get(encoding)
    if state is None:
        state = pickle.dumps(
            {
                "name": encoding.name,
                "pat_str": encoding._pat_str,
                "mergeable_ranks": encoding._mergeable_ranks,
                "special_tokens": encoding._special_tokens,
            }
        )
        with _pool_lock:
            _states[encoding] = state
    return state


def _encode_in_helper(key: tuple[int, int, str], state: bytes | None, piece: bytes) -> list[int]:
    encoding = _known.get(key)
    if encoding is None:
        if state is None:
            raise UnknownEncoding(key[2])
        encoding = _known[key] = tiktoken.Encoding(**pickle.loads(state))  # noqa: S301 - our own parent's
    return encoding._encode_single_piece(piece)


def _current_pool() -> ProcessPoolExecutor | None:
    global _pool
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        # A helper starting up imports the host's main script; one without a main guard that
        # counts a long run would otherwise start helpers of its own, without end.
        return None
    with _pool_lock:
        if _workers == 0 or _breaks >= BREAKS_BEFORE_OFF:
            return None
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=_workers,
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=TASKS_PER_HELPER,
                initializer=_watch_parent,
                initargs=(os.getpid(),),
            )
        return _pool


def _watch_parent(parent: int) -> None:
    """In a helper: end when the server process that started it is gone. A worker killed by
    its server's timeout (SIGKILL) cannot shut its pool down, and its helpers would live on."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _discard(pool: ProcessPoolExecutor) -> None:
    """Forget a broken pool (once, whichever thread saw it break first)."""
    global _pool, _breaks
    with _pool_lock:
        if _pool is pool:
            _pool = None
            _breaks += 1
            if _breaks >= BREAKS_BEFORE_OFF:
                log.warning(
                    "long runs are encoded in-process from now on: %d helper pools broke in a row", _breaks
                )
    pool.shutdown(wait=False, cancel_futures=True)


def _reset_breaks() -> None:
    global _breaks
    if _breaks:
        with _pool_lock:
            _breaks = 0


def _shutdown_locked() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def _forget_after_fork() -> None:
    """A forked child (a server worker forked from a preloaded master) must not use its parent's
    pool: the threads that feed it were not copied. It starts its own on first use."""
    global _pool, _pool_lock
    _pool = None
    _pool_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)
