/* fix/engine.h — fix's own inference engine: tokenizers, llama/qwen2 models from GGUF files,
 * generation with a KV cache, sampling, chat templates.
 *
 * Weights stay in the read-only mapping of the GGUF file unless the CPU's kernels repack them
 * (AVX-512 VNNI: packed in memory, or mapped from the packed-weights cache) or they are uploaded
 * to a GPU; matmuls dot quantized weight blocks against activations quantized once per matmul; a
 * persistent thread pool splits the work.
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

/* ---- models ---- */

struct fix_model_hparams {
  char arch[32];       /* "llama", "qwen2" */
  int n_vocab, n_embd, n_layer, n_head, n_head_kv, head_dim, n_ff, n_ctx_train;
  float rope_theta, rms_eps;
  int rope_neox;       /* qwen2: rotate (i, i + d/2) pairs; llama: (2i, 2i+1) */
  int tied_output;     /* the output projection is the token embedding */
  int has_qkv_bias;
  int weight_type;     /* most common tensor type */
  uint64_t n_params;
  uint64_t weight_bytes;
  int packing;         /* how the matrices were laid out at load (enum fix_packing) */
};

enum fix_packing {
  FIX_PACKING_NONE,   /* the file's layout (this CPU's kernels want no other, or FIX_NO_PACK) */
  FIX_PACKING_BUILT,  /* repacked at this load */
  FIX_PACKING_CACHED, /* mapped from the packed-weights cache */
};
const char *fix_packing_name(int packing); /* "file layout", "packed", "packed (cached)" */

struct fix_model; /* opaque */

/* The kernel set in use: "avx512-vnni", "avx2" or "scalar" (FIX_KERNELS chooses one), chosen once
 * a process. */
const char *fix_engine_kernels(void);
/* Maps a GGUF file and checks that fix can run it: architecture, every tensor's presence, shape
 * and type. Errors name what is unsupported. n_threads 0: one per core. */
enum fix_status fix_model_load(const char *path, int n_threads, struct fix_model **out, struct fix_err *err);
void fix_model_free(struct fix_model *m);

/* Where a model runs: a CUDA device's index, or one of these. */
enum { FIX_GPU_AUTO = -1, FIX_GPU_NONE = -2 };
/* "auto", "none" (or "cpu"), or a device number; -1 when it is none of them. */
int fix_gpu_parse(const char *s, int *out);
/* CUDA devices this process can use; when 0, why says why (no driver, no device, a build without
 * CUDA). */
int fix_gpu_count(char *why, size_t n);
/* fix_model_load on a device: FIX_GPU_AUTO takes CUDA device 0 when there is one and the model
 * fits, else the CPU (fix_model_device says why); an explicit index that cannot be used is an
 * error naming why (no device; too little memory, with the sizes). */
enum fix_status fix_model_load_on(const char *path, int n_threads, int gpu, struct fix_model **out,
                                  struct fix_err *err);
/* "CPU (avx512-vnni kernels)", "CPU (...): no CUDA device", "CUDA 0: NVIDIA H200 (sm_90, ...)" */
const char *fix_model_device(const struct fix_model *m);
int fix_model_on_gpu(const struct fix_model *m);
/* The most device memory this process has held at once (bytes; 0 without a GPU). */
size_t fix_gpu_peak_bytes(void);
const struct fix_model_hparams *fix_model_hparams(const struct fix_model *m);
const struct fix_tokenizer *fix_model_tokenizer(const struct fix_model *m);
const struct fix_gguf *fix_model_gguf(const struct fix_model *m);
/* Memory read bandwidth in bytes/s as token generation sees it: the model's matrices (all but the
 * token embedding, unless it is also the output) streamed by its threads; the median of `reps`. */
double fix_model_read_bandwidth(struct fix_model *m, int reps);

/* ---- evaluation: a KV cache for n_seq sequences of up to n_ctx tokens ---- */

struct fix_ctx; /* opaque */

enum fix_status fix_ctx_new(struct fix_model *m, int n_ctx, int n_seq, struct fix_ctx **out, struct fix_err *err);
void fix_ctx_free(struct fix_ctx *c);
/* Evaluates n tokens appended to sequence `seq`. `logits` receives n_vocab floats for the last
 * token (all_logits: for every token, n * n_vocab). */
enum fix_status fix_ctx_eval(struct fix_ctx *c, int seq, const int32_t *tokens, int n, int all_logits, float *logits,
                             struct fix_err *err);
/* Evaluates n tokens (at most 256) in one pass, token i appended to sequence seq[i] (a sequence
 * may appear several times: its tokens in order); logits receives n * n_vocab floats. The
 * candidates decoded together, or a token and its drafts: the weights are read once for all. */
enum fix_status fix_ctx_eval_batch(struct fix_ctx *c, const int *seq, const int32_t *tokens, int n, float *logits,
                                   struct fix_err *err);
int fix_ctx_seq_len(const struct fix_ctx *c, int seq);
int fix_ctx_n_ctx(const struct fix_ctx *c);
/* Makes sequence dst start with the first n cached tokens of src (a shared prompt prefix). */
enum fix_status fix_ctx_seq_copy(struct fix_ctx *c, int src, int dst, int n, struct fix_err *err);
/* How many of tokens[0..n) sequence seq already holds, from the start (a reusable prefix). */
int fix_ctx_common_prefix(const struct fix_ctx *c, int seq, const int32_t *tokens, int n);
/* Forgets the tokens of seq from position n on. */
void fix_ctx_seq_truncate(struct fix_ctx *c, int seq, int n);

/* ---- sampling ---- */

struct fix_sampling {
  float temperature;     /* <= 0: greedy */
  int top_k;             /* 0: off */
  float top_p;           /* 1: off */
  float min_p;           /* 0: off */
  float repeat_penalty;  /* 1: off */
  int repeat_last_n;
  uint64_t seed;
};

void fix_sampling_defaults(struct fix_sampling *s);
/* Picks a token from logits (modified in place); history for the repetition penalty; *rng is the
 * sequence's generator state (seed it with the seed). */
int32_t fix_sample(const struct fix_sampling *s, float *logits, int n_vocab, const int32_t *history, int n_hist,
                   uint64_t *rng);

/* ---- generation ---- */

/* speed-ups fix_generate uses unless switched off (greedy and seeded outputs are the same either way) */
enum {
  FIX_GEN_NO_REUSE = 1,  /* re-evaluate the whole prompt instead of keeping the cached common prefix */
  FIX_GEN_NO_BATCH = 2,  /* decode the candidates one after another instead of together */
  FIX_GEN_NO_LOOKUP = 4, /* no prompt-lookup drafts */
};

/* ---- constrained decoding ---- */

/* A byte-level automaton a sequence's text must be accepted by: each step the tokens whose bytes it
 * would reject are masked out before sampling, so what is generated always parses (an edit reply
 * whose copied parts are really in the files). States are plain bytes of state_size, copied freely. */
enum fix_free {
  FIX_FREE_NONE = 0,  /* every token is walked (through a prefix tree of the vocabulary) */
  FIX_FREE_LINE,      /* any token without a newline whose first non-blank byte is not in `stop` is
                         accepted, and so is every later byte up to the newline: only the others are
                         walked */
};

struct fix_constraint {
  size_t state_size;
  void (*start)(void *ud, int seq, void *state);
  int (*step)(void *ud, void *state, unsigned char byte);   /* 0: rejected (the state is then spoiled) */
  int (*can_end)(void *ud, const void *state);              /* an end-of-generation token is allowed here */
  /* how free the text is from this state; with FIX_FREE_LINE, stop[] (256 flags) is filled and
   * *room says for how many bytes the promise holds (tokens longer than that are walked) */
  enum fix_free (*free_class)(void *ud, const void *state, unsigned char *stop, size_t *room);
  /* bytes that must (or will very likely) follow, for drafts; may be NULL */
  size_t (*forced)(void *ud, const void *state, char *buf, size_t cap);
  /* the shortest bytes that let the text end from here (0: it may end now; (size_t)-1: none short):
   * forced when max_tokens is near; a text that cannot end when it stops is cut back to where it
   * last could. May be NULL. */
  size_t (*finish)(void *ud, const void *state, char *buf, size_t cap);
  void *ud;
};

struct fix_generation {
  int max_tokens;
  struct fix_sampling sampling;
  const char *const *stop;  /* stop strings (NULL-terminated, may be NULL) */
  int n_seq;                /* sequences sharing the prompt (candidates); each its own RNG stream */
  int flags;                /* FIX_GEN_NO_* */
  /* called with each sequence's new text as it is generated, less any end that could be the start
   * of a stop string (held back until it cannot); the pieces add up to the final text (may be NULL) */
  void (*on_text)(void *ud, int seq, const char *text, size_t n);
  void *ud;
  /* called with each sampled token id (end-of-generation tokens included) (may be NULL) */
  void (*on_token)(void *ud, int seq, int32_t id);
  /* every sequence's text must be accepted by this automaton (may be NULL); its `forced` bytes are
   * the drafts where it has them */
  const struct fix_constraint *constraint;
};

struct fix_gen_stats {
  int prompt_tokens;
  int reused_tokens;        /* of the prompt, already in the cache */
  int gen_tokens;           /* all sequences */
  int steps;                /* forward passes while generating */
  int drafted, accepted;    /* prompt-lookup draft tokens proposed and kept */
  double mask_s;            /* computing constraint masks */
  int masked_steps;         /* samples drawn under a constraint */
  double load_s, prompt_s, gen_s;
};

/* Evaluates the prompt once (keeping what sequence 0 already holds of it), then generates n_seq
 * continuations (texts appended to out), decoded together in one batch per step, each step also
 * checking draft tokens copied from where the text's last tokens occurred before (prompt lookup:
 * a fix mostly copies code it was shown). Sequences 0..n_seq-1 are overwritten. */
enum fix_status fix_generate(struct fix_ctx *c, const int32_t *prompt, int n_prompt, const struct fix_generation *g,
                             struct fix_strv *out, struct fix_gen_stats *stats, struct fix_err *err);

/* The tokens a constraint allows from `state` (an end-of-generation token when it can end), as
 * flags in allowed[n_vocab]; returns how many. For tests and fix_generate. */
int fix_constraint_allowed(const struct fix_model *m, const struct fix_constraint *c, const void *state,
                           unsigned char *allowed);
/* Sets to -infinity the logits of the tokens the constraint rejects from `state` (scratch: n_vocab
 * bytes). Returns 0 when nothing fits. */
int fix_constraint_mask(const struct fix_model *m, const struct fix_constraint *c, const void *state, float *logits,
                        unsigned char *scratch);
/* The tokens whose bytes begin `text` (n > 0), as flags; returns how many. */
int fix_constraint_prefix_tokens(const struct fix_model *m, const char *text, size_t n, unsigned char *allowed);

/* ---- chat templates (recognised from tokenizer.chat_template, or named) ---- */

enum fix_chat_template {
  FIX_CHAT_NONE = 0,
  FIX_CHAT_CHATML,  /* Qwen */
  FIX_CHAT_LLAMA2,
  FIX_CHAT_LLAMA3,
  FIX_CHAT_ZEPHYR,
  FIX_CHAT_PHI3,
};

struct fix_chat_msg {
  const char *role;
  const char *content;
};

enum fix_chat_template fix_chat_detect(const char *jinja);
enum fix_chat_template fix_chat_from_name(const char *name); /* "chatml", "llama2", ... */
const char *fix_chat_name(enum fix_chat_template t);
/* The prompt text for msgs, ending where the assistant's reply begins. Caller frees. */
char *fix_chat_render(enum fix_chat_template t, const struct fix_chat_msg *msgs, size_t n);
/* The model's template: from its metadata, else ChatML for qwen2, else none. */
enum fix_chat_template fix_model_chat_template(const struct fix_model *m);

#endif
