/* fix/engine.h — fix's own inference engine: tokenizers, llama/qwen2 models from GGUF files,
 * generation with a KV cache, sampling, chat templates.
 *
 * Weights stay in the read-only mapping of the GGUF file; matmuls dot quantized weight blocks
 * against activations quantized once per matmul; a persistent thread pool splits the work.
 * Ownership: every _new/_open has a _free; returned const char * are borrowed. */
#ifndef FIX_ENGINE_H
#define FIX_ENGINE_H

#include "fix/base.h"
#include "fix/gguf.h"

/* ---- tokenizers ---- */

struct fix_tokenizer; /* opaque */

enum fix_token_type {
  FIX_TOK_UNDEFINED = 0,
  FIX_TOK_NORMAL = 1,
  FIX_TOK_UNKNOWN = 2,
  FIX_TOK_CONTROL = 3,
  FIX_TOK_USER_DEFINED = 4,
  FIX_TOK_UNUSED = 5,
  FIX_TOK_BYTE = 6,
};

/* From a GGUF file's tokenizer.* metadata ("llama" = SentencePiece, "gpt2" = byte-level BPE). */
enum fix_status fix_tokenizer_from_gguf(const struct fix_gguf *g, struct fix_tokenizer **out, struct fix_err *err);
/* From a Hugging Face tokenizer.json (BPE models), e.g. Qwen2.5's; `pre` names the pre-tokenizer
 * rules ("qwen2", "llama3", "gpt2" ...). */
enum fix_status fix_tokenizer_from_hf_json(const char *path, const char *pre, struct fix_tokenizer **out,
                                           struct fix_err *err);
void fix_tokenizer_free(struct fix_tokenizer *t);

/* Tokenizes UTF-8 text. With add_special the BOS token (if the vocabulary asks for one) is
 * prepended; with parse_special, control tokens written in the text are recognised. Returns the
 * number of tokens written to out (at most cap), or -needed when cap is too small. */
int fix_tokenize(const struct fix_tokenizer *t, const char *text, size_t len, int add_special, int parse_special,
                 int32_t *out, int cap);
/* The text of one token (its bytes, decoded from the vocabulary's representation) appended to out;
 * control tokens render as nothing unless `special`. */
void fix_token_piece(const struct fix_tokenizer *t, int32_t id, int special, struct fix_buf *out);
/* The whole text of tokens (SentencePiece's leading space removed when it was added). */
void fix_detokenize(const struct fix_tokenizer *t, const int32_t *ids, int n, int special, struct fix_buf *out);

int fix_tokenizer_n_vocab(const struct fix_tokenizer *t);
int32_t fix_tokenizer_bos(const struct fix_tokenizer *t); /* -1 when none */
int32_t fix_tokenizer_eos(const struct fix_tokenizer *t);
int32_t fix_tokenizer_eot(const struct fix_tokenizer *t); /* end of turn (<|im_end|>, <|eot_id|>), or eos */
int fix_tokenizer_is_eog(const struct fix_tokenizer *t, int32_t id); /* ends generation */
/* The raw vocabulary string of a token (borrowed), for writing vocabularies. */
const char *fix_tokenizer_text(const struct fix_tokenizer *t, int32_t id, size_t *len);
enum fix_token_type fix_tokenizer_type(const struct fix_tokenizer *t, int32_t id);
/* The token id of an exact vocabulary string, or -1. */
int32_t fix_tokenizer_find(const struct fix_tokenizer *t, const char *text, size_t len);

/* Writes the tokenizer as GGUF tokenizer.* metadata (for synthesised models). */
void fix_tokenizer_to_gguf(const struct fix_tokenizer *t, struct fix_gguf_writer *w);

#endif
