"""Reference token counts computed by the reference libraries themselves (tiktoken, Hugging Face
tokenizers) on the verified vocabulary files: never by the code under test."""

import functools
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TOKENIZER_DATA_DIR", REPO_ROOT / "var" / "tokenizers"))


@functools.cache
def tiktoken_encoding(name: str):
    """tiktoken's own o200k_base / cl100k_base, read from the verified files (its cache layout)."""
    os.environ["TIKTOKEN_CACHE_DIR"] = str(DATA_DIR)
    import tiktoken

    return tiktoken.get_encoding(name)


@functools.cache
def hf_tokenizer(file_name: str):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(DATA_DIR / file_name))
    tokenizer.encode_special_tokens = True
    return tokenizer


def o200k_count(text: str) -> int:
    return len(tiktoken_encoding("o200k_base").encode_ordinary(text))


def deepseek_count(text: str) -> int:
    return len(hf_tokenizer("deepseek_v3.json").encode(text, add_special_tokens=False).ids)
