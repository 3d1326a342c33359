"""Long runs of whitespace are encoded by helper processes, because tiktoken holds the interpreter
lock through a whole piece (500-760 ms for a million spaces, during which no other thread of a
server process answers). The ranks must be tiktoken's own, and a helper that dies costs a retry,
never a wrong count or an error."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from calculator.tokenizers import count_tokens, registry
from calculator.tokenizers.engines import pieces
from calculator.tokenizers.engines import tiktoken as et

from .test_reference_counts import TIKTOKEN_KEYS

RUNS = [" " * 150_000, "\t" * 100_001, " \t" * 60_000, "\u3000" * 100_000, "\n" * 120_000]


@pytest.fixture
def helpers():
    pieces.configure(workers=2)
    yield
    pieces.configure(workers=2)  # the default, as the app configures it


@pytest.mark.parametrize("key", TIKTOKEN_KEYS)
def test_a_helper_encodes_a_long_run_with_tiktokens_own_ranks(key, helpers):
    adapter = registry._adapter(key)
    assert isinstance(adapter, et.TiktokenAdapter)
    for run in RUNS:
        expected = adapter.encoding._encode_single_piece(run.encode())  # tiktoken, in this process
        assert pieces.encode_piece(adapter.encoding, run.encode()) == expected
    assert pieces.helper_pids()
    assert os.getpid() not in pieces.helper_pids()


@pytest.mark.parametrize("key", ["o200k_base", "claude_legacy"])
def test_a_text_with_a_long_run_counts_the_same_with_and_without_helpers(key, helpers):
    text = "Intro line.\n" + " " * 250_000 + "tail of the text\n" + "\t" * 130_000
    adapter = registry._adapter(key)
    pieces.configure(workers=0)
    in_process = adapter._encode(text)
    assert pieces.helper_pids() == []
    pieces.configure(workers=2)
    assert adapter._encode(text) == in_process
    assert pieces.helper_pids()


def test_a_killed_helper_costs_a_retry_not_a_wrong_count(helpers):
    adapter = registry._adapter("o200k_base")
    run = (" " * 200_000).encode()
    expected = adapter.encoding._encode_single_piece(run)
    assert pieces.encode_piece(adapter.encoding, run) == expected
    killed = pieces.helper_pids()
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    # The pool is broken: this piece is encoded in-process, and the next one by new helpers.
    assert pieces.encode_piece(adapter.encoding, run) == expected
    # "x", 299,999 spaces as one piece, then " y": tiktoken's own pieces for this text.
    spaces = adapter.encoding._encode_single_piece((" " * 299_999).encode())
    pieces_of_text = adapter.encoding.encode_ordinary("x") + spaces + adapter.encoding.encode_ordinary(" y")
    assert count_tokens("x" + " " * 300_000 + "y", "o200k_base") == len(pieces_of_text)
    assert pieces.helper_pids()
    assert not set(pieces.helper_pids()) & set(killed)


def test_helpers_cannot_be_configured_below_zero():
    with pytest.raises(ValueError, match="workers must be 0 or more"):
        pieces.configure(workers=-1)


def test_helpers_that_cannot_start_are_given_up_with_a_warning_and_counts_stay_right(
    helpers, caplog, monkeypatch
):
    # A new interpreter imports the host's main script first; a script it cannot find (a host run
    # from stdin, say) kills every helper at its start.
    main = sys.modules["__main__"]
    monkeypatch.setattr(main, "__spec__", None, raising=False)
    monkeypatch.setattr(main, "__file__", "/nonexistent/host-main.py", raising=False)
    pieces.configure(workers=1)  # a new pool, started under that main script
    adapter = registry._adapter("cl100k_base")
    run = ("\t" * 100_000).encode()
    expected = adapter.encoding._encode_single_piece(run)
    for _ in range(pieces.BREAKS_BEFORE_OFF + 1):
        assert pieces.encode_piece(adapter.encoding, run) == expected
    assert "helper pools broke in a row" in caplog.text
    assert pieces.helper_pids() == []  # given up: no new helpers
    monkeypatch.undo()
    pieces.configure(workers=2)  # reconfiguring tries again
    assert pieces.encode_piece(adapter.encoding, run) == expected
    assert pieces.helper_pids()


ORPHAN_HOST = """
import sys, time
sys.path.insert(0, {repo!r})
from pathlib import Path
from calculator.tokenizers import configure, count_tokens
from calculator.tokenizers.engines import pieces

if __name__ == "__main__":
    configure(data_dir=Path({data!r}))
    count_tokens("x" + " " * 200_000 + "y", "o200k_base")
    print(*pieces.helper_pids(), flush=True)
    time.sleep(120)
"""


def test_helpers_end_when_their_server_process_is_killed(tmp_path, data_dir):
    # A server worker killed by its timeout (SIGKILL) cannot shut its helpers down.
    host = tmp_path / "host.py"
    host.write_text(ORPHAN_HOST.format(repo=str(Path(__file__).resolve().parents[3]), data=str(data_dir)))
    process = subprocess.Popen([sys.executable, str(host)], stdout=subprocess.PIPE, text=True)
    try:
        helpers = [int(pid) for pid in process.stdout.readline().split()]
        assert helpers
    finally:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in helpers):
        time.sleep(0.2)
    alive = [pid for pid in helpers if Path(f"/proc/{pid}").exists()]
    assert alive == [], f"helpers {alive} outlived their server process"
