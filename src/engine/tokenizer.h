/* tokenizer.h — private to src/engine: the vocabulary shared by the BPE and SentencePiece
 * tokenizers. */
#ifndef FIX_ENGINE_TOKENIZER_H
#define FIX_ENGINE_TOKENIZER_H

#include "fix/engine.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum tok_kind { TOK_SPM = 0, TOK_BPE };

/* open-addressing string -> int map */
struct strmap {
  uint32_t *slots; /* index+1 into keys, 0 = empty */
  size_t cap;
  const char **keys;
  uint32_t *lens;
  int32_t *vals;
  size_t n, keycap;
};

struct fix_tokenizer {
  enum tok_kind kind;
  int n_vocab;
  char **text;            /* token strings (owned) */
  uint32_t *len;
  float *score;
  int32_t *type;
  struct strmap ids;      /* text -> id */
  struct strmap merges;   /* "left right" -> rank (BPE) */
  char **merge_text;      /* the merges in rank order (for writing) */
  size_t n_merges, merge_cap;
  char *pre;              /* pre-tokenizer name */
  pcre2_code *re[8];      /* pre-tokenizer regexes, applied in order */
  int n_re;
  int32_t bos, eos, eot, unk, pad, eom;
  int add_bos, add_eos, add_space_prefix;
  int32_t byte_token[256];  /* SPM: <0xXX>; BPE: the byte-level character's token */
  int32_t *special;         /* control / user-defined / unknown tokens, longest first */
  int n_special;
  int ignore_merges;        /* llama3: a word that is a token is not merged */
};

int strmap_put(struct strmap *m, const char *key, uint32_t len, int32_t val);
/* Room for n keys without rehashing (a vocabulary's size is known up front). */
int strmap_reserve(struct strmap *m, size_t n);
int32_t strmap_get(const struct strmap *m, const char *key, size_t len); /* -1 when absent */
void strmap_free(struct strmap *m);

/* Sets the regexes for t->pre. 0 on success. */
int tok_set_pre(struct fix_tokenizer *t, const char *pre, struct fix_err *err);
/* Finishes construction: byte tokens, special list, EOT. */
enum fix_status tok_finish(struct fix_tokenizer *t, struct fix_err *err);

/* Appends tokens of one raw fragment (no special tokens in it). */
void tok_bpe(const struct fix_tokenizer *t, const char *s, size_t n, struct fix_buf *ids);
void tok_spm(const struct fix_tokenizer *t, const char *s, size_t n, struct fix_buf *ids);

/* GPT-2's byte <-> printable codepoint table */
uint32_t byte_to_cp(uint8_t b);
int cp_to_byte(uint32_t cp); /* -1 when not a byte character */

#endif
