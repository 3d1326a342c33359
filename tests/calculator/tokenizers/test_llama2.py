"""Llama 2 (and LLaMA 1, Code Llama): our engine on the vocabulary read from llama-tokenizer-js.

Expected values come from outside our code: the token ids llama.cpp publishes for its tokenizer
test on Meta's Llama SentencePiece vocabulary (``models/ggml-vocab-llama-spm.gguf.inp`` / ``.out``,
generated with Hugging Face's Llama 2 tokenizer), and the counts llama-tokenizer-js 1.2.2's own
JavaScript encoder gives for our multilingual corpus (``encode(text, false, true)``: no BOS,
the leading space SentencePiece adds), run under node when the vocabulary was pinned.
"""

import json

import pytest
import tokenizers as hf

from calculator.tokenizers import count_tokens, registry, tokenize
from calculator.tokenizers.engines.llama2 import VOCAB_SIZE, tokenizer_doc

from .claude_corpus import documents
from .corpus import CORPUS

LLAMA_CPP_IDS = [
    ("ied 4 ½ months", [474, 287, 29871, 29946, 29871, 30226, 7378]),
    ("Führer", [383, 4000, 261]),
    (" ", [259]),
    ("\t", [29871, 12]),
    ("\n", [29871, 13]),
    ("Hello world", [15043, 3186]),
    (" Hello world", [29871, 15043, 3186]),
    (" Hello, world!", [29871, 15043, 29892, 3186, 29991]),
    ("w048 7tuijk dsdfhu", [281, 29900, 29946, 29947, 29871, 29955, 9161, 13535, 18031, 2176, 6905]),
    ("нещо на Български", [1538, 4851, 665, 1386, 29713, 1305]),
    (
        "កាន់តែពិសេសអាចខលចេញ",
        [
            29871,
            31849,
            31324,
            31934,
            228,
            162,
            142,
            228,
            161,
            146,
            228,
            162,
            133,
            228,
            161,
            153,
            228,
            161,
            186,
            31708,
            228,
            162,
            132,
            31708,
            228,
            161,
            165,
            31324,
            228,
            161,
            136,
            228,
            161,
            132,
            228,
            161,
            158,
            228,
            161,
            136,
            228,
            162,
            132,
            228,
            161,
            140,
        ],
    ),
    ("   Hello", [1678, 15043]),
    (" (", [29871, 313]),
    ("\n =", [29871, 13, 353]),
    ("' era", [525, 3152]),
    ("33333", [29871, 29941, 29941, 29941, 29941, 29941]),
    (" discards", [29871, 2313, 3163]),
]

# llama-tokenizer-js 1.2.2 (node) on CORPUS, in order.
JS_COUNTS = [1, 4, 11, 6, 50, 32, 28, 22, 35, 51, 62, 31, 17, 44, 38, 25, 36, 17]


@pytest.mark.parametrize(("text", "ids"), LLAMA_CPP_IDS)
def test_it_gives_the_ids_llama_cpp_publishes_for_the_llama_vocabulary(text, ids):
    tokens, real = tokenize(text, "llama2")
    assert real
    assert [t.id for t in tokens] == ids
    assert count_tokens(text, "llama2") == len(ids)


def test_it_counts_the_corpus_like_llama_tokenizer_js():
    assert len(JS_COUNTS) == len(CORPUS)
    assert [count_tokens(text, "llama2") for text in CORPUS] == JS_COUNTS


def test_the_vocabulary_read_from_the_package_is_llamas(data_dir):
    doc = tokenizer_doc(data_dir / "llama2_tokenizer.js")
    vocab = doc["model"]["vocab"]
    assert len(vocab) == VOCAB_SIZE and len(doc["model"]["merges"]) == 61_249
    # Ids every Llama 2 tokenizer shares (the "Hello world" and "grabbed" ids above and in
    # llama-tokenizer-js's README), and the byte-fallback pieces after the three specials.
    assert (vocab["▁Hello"], vocab["▁world"], vocab["<0x00>"], vocab["<0xFF>"]) == (15043, 3186, 3, 258)


def test_a_file_that_is_not_the_llama_vocabulary_is_refused(tmp_path):
    path = tmp_path / "llama2_tokenizer.js"
    path.write_text('const llama_vocab_base64 = "PHVuaz4="\nconst llama_merges_binary = "AAAA"\n')
    with pytest.raises(ValueError, match="not the 32,000-piece Llama vocabulary"):
        tokenizer_doc(path)


def test_a_long_text_counted_by_parts_equals_the_tokenizers_library_on_the_whole_text(data_dir):
    # The reference: the tokenizers library on the faithful document (the leading "▁" added by
    # its own Prepend normaliser), one pass over each whole text.
    reference = hf.Tokenizer.from_str(json.dumps(tokenizer_doc(data_dir / "llama2_tokenizer.js")))
    reference.encode_special_tokens = True
    adapter = registry._adapter("llama2")
    texts = [
        "".join(documents(seed=31, total_chars=80_000)),
        "  Hello  world \n\n\t x " * 2_000,
        " leading space, then prose. " * 1_000,
    ]
    for text in texts:
        expected = len(reference.encode(text, add_special_tokens=False).ids)
        assert len(adapter.cut.split(" " + text)) >= 64
        adapter.forget()
        assert count_tokens(text, "llama2") == expected
        assert adapter.count(text) == expected  # again, from the part table
        assert [t.id for t in tokenize(text, "llama2")[0]][:50] == reference.encode(text).ids[:50]
