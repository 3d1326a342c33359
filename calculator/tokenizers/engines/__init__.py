"""The engines that count: tiktoken BPE files, Hugging Face tokenizers, SentencePiece models, and the
helpers they share (token offsets in characters, per-part counts of long texts)."""
