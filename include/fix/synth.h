/* fix/synth.h — making models: llama/qwen2 shapes with seeded random weights and a real
 * vocabulary, in any supported type (`fix model synth`, the tests, the benchmarks). */
#ifndef FIX_SYNTH_H
#define FIX_SYNTH_H

#include "fix/engine.h"

struct fix_synth {
  const char *arch;   /* "llama" or "qwen2" */
  const char *name;
  int n_vocab;        /* embedding rows (>= the tokenizer's; padded); 0: the tokenizer's */
  int n_embd, n_layer, n_head, n_head_kv, n_ff, n_ctx;
  float rope_theta, rms_eps;
  int tied;           /* no output.weight: the embedding is reused */
  int type;           /* weight type (fix_ggml_type) */
  int mixed;          /* _M presets: Q6_K for the embedding, attn_v and ffn_down */
  uint64_t seed;
};

/* "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b", "tiny-llama", "tiny-qwen2". 0 on success. */
int fix_synth_shape(const char *name, struct fix_synth *s);
/* "f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q4_k", "q5_k", "q6_k", "q4_k_m",
 * "q5_k_m". 0 on success. */
int fix_synth_parse_type(const char *name, struct fix_synth *s);
enum fix_status fix_model_synth(const struct fix_synth *s, const struct fix_tokenizer *tok, const char *path,
                                struct fix_err *err);

#endif
