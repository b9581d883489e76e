/* tiny_vocab.h — a small byte-level BPE tokenizer.json written by the tests themselves (the 256
 * GPT-2 byte symbols, a few dozen merges for C-like text, and ChatML's special tokens), so the
 * engine's tests and fuzzers need no downloaded vocabulary. */
#ifndef FIX_TEST_TINY_VOCAB_H
#define FIX_TEST_TINY_VOCAB_H

/* Writes the tokenizer.json to path; 0 on success. Load it with
 * fix_tokenizer_from_hf_json(path, "qwen2", ...). */
int tv_write(const char *path);

#endif
