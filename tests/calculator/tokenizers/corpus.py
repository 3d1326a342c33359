"""A multilingual corpus for comparing our counts with the reference libraries'."""

CORPUS = [
    "Hello",
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog",
    "  leading and trailing spaces   ",
    "人工智能正在改变世界。我们今天讨论大型语言模型的分词器，以及它们如何计算费用。",
    "日本語のテキスト：カタカナとひらがな、漢字を含む文章です。",
    "한국어 문장도 포함합니다. 안녕하세요!",
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "مرحبا بالعالم، هذا نص عربي للاختبار.",
    "नमस्ते दुनिया, यह हिंदी में एक परीक्षण वाक्य है।",
    "Family: 👨‍👩‍👧‍👦, flags 🇫🇷🇯🇵, skin tone 👍🏽, keycap 1️⃣",
    "def f(x):\n\tif x:\n\t\treturn x  *  2\n\n\n    # comment\n\treturn None\r\n",
    "Cafe\u0301 na\u0308ive re\u0301sume\u0301 (NFD accents)",
    "pasted specials: <|endoftext|> <|im_start|> <bos> <eos> <s> </s> [INST] <think> <EOT>",
    "numbers 1234567890 3.14159 1,000,000 and    whitespace\u00a0runs\u3000here",
    '{"json": [1, 2, {"k": null}], "s": "\\u00e9"}',
    "ﬁ ligature, full-width ＡＢＣ１２３, ① circled, ½ fraction",
    "mixed 中文English混合text with 123数字",
]
