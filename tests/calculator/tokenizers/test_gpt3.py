"""GPT-2 / GPT-3 (r50k_base, p50k_base): the ranks read from npm tiktoken's encoder files are the
official rank files, and our counts are tiktoken's own on them.

Expected values from outside our code: the SHA-256 that tiktoken pins for each official file
(``tiktoken_ext/openai_public.py``: ``expected_hash``), tiktoken's own loader and pattern
(``load_tiktoken_bpe``, ``r50k_pat_str``), and the ids OpenAI's cookbook prints ("How to count
tokens with tiktoken").
"""

import hashlib

import pytest
import tiktoken
from tiktoken.load import load_tiktoken_bpe
from tiktoken_ext.openai_public import r50k_pat_str

from calculator.tokenizers import count_tokens, tokenize
from calculator.tokenizers.engines.tiktoken_js import rank_lines

from .corpus import CORPUS

OFFICIAL_SHA256 = {
    "r50k_base": "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
    "p50k_base": "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069",
}


def rebuilt(data_dir, key, tmp_path):
    text = "".join(f"{token} {rank}\n" for token, rank in rank_lines(data_dir / f"{key}.json"))
    path = tmp_path / f"{key}.tiktoken"
    path.write_text(text, encoding="ascii")
    return path


@pytest.mark.parametrize("key", ["r50k_base", "p50k_base"])
def test_the_ranks_are_the_official_file_byte_for_byte(key, data_dir, tmp_path):
    path = rebuilt(data_dir, key, tmp_path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == OFFICIAL_SHA256[key]


@pytest.mark.parametrize("key", ["r50k_base", "p50k_base"])
def test_it_counts_like_tiktoken_itself(key, data_dir, tmp_path):
    ranks = load_tiktoken_bpe(str(rebuilt(data_dir, key, tmp_path)))
    reference = tiktoken.Encoding(key, pat_str=r50k_pat_str, mergeable_ranks=ranks, special_tokens={})
    texts = [*CORPUS, "def f():\n        return 1\n\n\n\t\tx = '    '"]
    for text in texts:
        expected = reference.encode_ordinary(text)
        assert [t.id for t in tokenize(text, key)[0]] == expected, text
        assert count_tokens(text, key) == len(expected), text


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("2 + 2 = 4", [17, 1343, 362, 796, 604]),
        (
            "お誕生日おめでとう",
            [2515, 232, 45739, 243, 37955, 33768, 98, 2515, 232, 1792, 223, 30640, 30201, 29557],
        ),
    ],
)
def test_it_gives_the_ids_openais_cookbook_prints(text, ids):
    assert [t.id for t in tokenize(text, "r50k_base")[0]] == ids
    assert [t.id for t in tokenize(text, "p50k_base")[0]] == ids
