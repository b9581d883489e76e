/* test_constrain.c — constrained decoding in the engine, with models made by fix's own writer:
 *  - the token mask against brute force: from many automaton states, every token of the
 *    vocabulary walked through the automaton byte by byte must give exactly the allowed set (and
 *    the logits mask must leave exactly those);
 *  - generation: random-weight models (a byte-level BPE vocabulary written by the test, and
 *    SentencePiece's llama vocabulary from llama.cpp's source) decoding edit replies in all
 *    three formats, several seeds, sampled and greedy: every reply parses and applies;
 *  - greedy decoding is deterministic, and batched candidates equal candidates decoded alone;
 *  - files with long runs of identical lines and a max_tokens shorter than the run: the end of the
 *    block stays in reach, so every candidate is a block that applies (none cut back to nothing). */
#include "check.h"
#include "fix/engine.h"
#include "fix/gguf.h"
#include "fix/patch.h"
#include "fix/synth.h"
#include "tiny_vocab.h"
#include "tmpfiles.h"

#include <math.h>
#include <stdint.h>

static char *root;

struct vfile {
  const char *path;
  const char *text;
};
static const struct vfile files[] = {
    {"src/main.c", "#include \"util.h\"\n\nint main(void) {\n  int x = 1\n  return x;\n}\n"},
    {"src/util.c", "int add(int a, int b) {\n\tint r = a + b;\n\treturn r;\n}\n\nint sub(int a, int b) {\n\tint r = a - b;\n\treturn r;\n}\n"},
    {"src/crlf.c", "int f(void) {\r\n  return 1\r\n}\r\n"},
    {"src/dup.c", "void a(void) {\n  x++;\n}\nvoid b(void) {\n  x++;\n}\n"},
    {"src/utf8.c", "const char *s = \"caf\xc3\xa9\";\n// \xf0\x9f\x98\x80 done\n"},
    {"src/one.c", "int one(void) { return 1; }"},
};
#define NFILES (sizeof files / sizeof *files)

/* Files with long runs of identical lines (built in main): 300 empty lines, and 300 copies of one
 * line, between ordinary lines, and empty lines at the end of a file. */
#define NRUNS 3
static struct vfile runs[NRUNS];

static enum fix_status lookup(void *ud, const char *path, const char **data, size_t *len) {
  for (size_t i = 0; i < NFILES + NRUNS; i++) {
    const struct vfile *f = i < NFILES ? &files[i] : &runs[i - NFILES];
    if (!f->path)
      continue;
    char *p = fix_path_join(root, f->path);
    int same = !strcmp(p, path);
    free(p);
    if (same) {
      *data = f->text;
      *len = strlen(f->text);
      return FIX_OK;
    }
  }
  return FIX_ERR_NOT_FOUND;
}

static struct fix_edit_automaton *make(enum fix_edit_format fmt) {
  struct fix_shown_file sf[NFILES];
  for (size_t i = 0; i < NFILES; i++)
    sf[i] = (struct fix_shown_file){files[i].path, files[i].text, strlen(files[i].text)};
  struct fix_edit_automaton *a = NULL;
  struct fix_err err;
  CHECK(fix_edit_automaton_new(fmt, sf, NFILES, &a, &err) == FIX_OK);
  return a;
}

static void c_start(void *ud, int seq, void *state) { fix_edit_automaton_start(ud, state); }
static int c_step(void *ud, void *state, unsigned char b) { return fix_edit_automaton_step(ud, state, b); }
static int c_can_end(void *ud, const void *state) { return fix_edit_automaton_can_end(ud, state); }
static enum fix_free c_free(void *ud, const void *state, unsigned char *stop, size_t *room) {
  return fix_edit_automaton_free_line(ud, state, stop, room) ? FIX_FREE_LINE : FIX_FREE_NONE;
}
static size_t c_forced(void *ud, const void *state, char *buf, size_t cap) {
  return fix_edit_automaton_forced(ud, state, buf, cap);
}
static size_t c_finish(void *ud, const void *state, char *buf, size_t cap) {
  return fix_edit_automaton_finish(ud, state, buf, cap);
}

static struct fix_constraint constraint_of(struct fix_edit_automaton *a) {
  return (struct fix_constraint){fix_edit_automaton_state_size(), c_start, c_step, c_can_end, c_free, c_forced,
                                 c_finish, a};
}

/* Brute force: every token walked through the automaton. */
static int brute(const struct fix_model *m, const struct fix_constraint *c, const void *state, unsigned char *allowed) {
  const struct fix_tokenizer *tok = fix_model_tokenizer(m);
  int nv = fix_tokenizer_n_vocab(tok), n = 0;
  unsigned char st[512];
  struct fix_buf b;
  fix_buf_init(&b, 0);
  for (int t = 0; t < nv; t++) {
    allowed[t] = 0;
    if (fix_tokenizer_is_eog(tok, t)) {
      allowed[t] = (unsigned char)c->can_end(c->ud, state);
      n += allowed[t];
      continue;
    }
    fix_buf_clear(&b);
    fix_token_piece(tok, t, 0, &b);
    if (!b.len)
      continue;
    memcpy(st, state, c->state_size);
    int ok = 1;
    for (size_t i = 0; i < b.len && ok; i++)
      ok = c->step(c->ud, st, (unsigned char)b.data[i]);
    allowed[t] = (unsigned char)ok;
    n += ok;
  }
  fix_buf_free(&b);
  return n;
}

/* Under AddressSanitizer every byte step costs ~40x: CI's sanitizer run walks fewer states and
 * samples fewer replies (the same checks, a smaller sample). */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifdef SANITIZED
enum { WALKS = 1, SEED0 = 2, SEED_STEP = 2, TOKENS = 100 }; /* seed 2 (batched = alone), 4 (greedy) */
#else
enum { WALKS = 6, SEED0 = 1, SEED_STEP = 1, TOKENS = 300 };
#endif

static uint64_t rng;
static uint32_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 11);
}

/* Masks from states along random token walks (a random allowed token each step) equal brute force. */
static void mask_vs_brute(const struct fix_model *m, const char *label) {
  static const enum fix_edit_format fmts[] = {FIX_FMT_SEARCH_REPLACE, FIX_FMT_CHANGELOG, FIX_FMT_UDIFF};
  int nv = fix_tokenizer_n_vocab(fix_model_tokenizer(m));
  unsigned char *fast = malloc((size_t)nv), *slow = malloc((size_t)nv);
  float *logits = malloc((size_t)nv * sizeof *logits);
  unsigned char st[512];
  int states = 0, mismatches = 0, mask_mismatches = 0;
  for (size_t f = 0; f < 3; f++) {
    struct fix_edit_automaton *a = make(fmts[f]);
    struct fix_constraint c = constraint_of(a);
    for (int walk = 0; walk < WALKS; walk++) {
      rng = 0x2545F4914F6CDD1Dull * (uint64_t)(walk + 1) + f;
      c.start(c.ud, 0, st);
      for (int step = 0; step < 120; step++) {
        int nf = fix_constraint_allowed(m, &c, st, fast), ns = brute(m, &c, st, slow);
        states++;
        if (nf != ns || memcmp(fast, slow, (size_t)nv)) {
          if (!mismatches++)
            fprintf(stderr, "%s %s: mask %d tokens, brute force %d, at step %d\n", label, fix_edit_format_str(fmts[f]),
                    nf, ns, step);
        }
        for (int t = 0; t < nv; t++)
          logits[t] = 0;
        fix_constraint_mask(m, &c, st, logits, fast);
        for (int t = 0; t < nv; t++)
          mask_mismatches += (logits[t] == 0) != (slow[t] != 0);
        /* a random allowed token that is not an end */
        int pick = -1, seen = 0;
        for (int t = 0; t < nv; t++)
          if (slow[t] && !fix_tokenizer_is_eog(fix_model_tokenizer(m), t) && rnd() % (unsigned)++seen == 0)
            pick = t;
        if (pick < 0)
          break;
        struct fix_buf b;
        fix_buf_init(&b, 0);
        fix_token_piece(fix_model_tokenizer(m), pick, 0, &b);
        for (size_t i = 0; i < b.len; i++)
          CHECK(c.step(c.ud, st, (unsigned char)b.data[i]));
        fix_buf_free(&b);
      }
    }
    fix_edit_automaton_free(a);
  }
  printf("%s: %d states, mask = brute force at every one: %s\n", label, states, mismatches ? "no" : "yes");
  CHECK_EQ_INT(mismatches, 0);
  CHECK_EQ_INT(mask_mismatches, 0);
  free(fast);
  free(slow);
  free(logits);
}

static int applies(enum fix_edit_format fmt, const char *reply, char *why) {
  struct fix_strv known = {0};
  for (size_t i = 0; i < NFILES; i++)
    fix_strv_push_own(&known, fix_path_join(root, files[i].path));
  for (size_t i = 0; i < NRUNS; i++)
    fix_strv_push_own(&known, fix_path_join(root, runs[i].path));
  struct fix_edit_list el = {0};
  struct fix_err err = {0};
  enum fix_status st = fix_reply_parse(fmt, reply, strlen(reply), root, &known, lookup, NULL, &el, &err);
  snprintf(why, 1024, "%s", err.msg);
  fix_strv_free(&known);
  fix_edit_list_free(&el);
  return st == FIX_OK && *reply ? 0 : -1;
}

static void generate(struct fix_model *m, const char *label) {
  static const enum fix_edit_format fmts[] = {FIX_FMT_SEARCH_REPLACE, FIX_FMT_CHANGELOG, FIX_FMT_UDIFF};
  const struct fix_tokenizer *tok = fix_model_tokenizer(m);
  const char *prompt = "Fix the error in src/main.c: expected ';' before 'return'.\n";
  int32_t ids[256];
  int np = fix_tokenize(tok, prompt, strlen(prompt), 1, 0, ids, 256);
  CHECK(np > 0);
  struct fix_ctx *ctx = NULL;
  struct fix_err err = {0};
  CHECK(fix_ctx_new(m, 1024, 3, &ctx, &err) == FIX_OK);
  int replies = 0, bad = 0;
  for (size_t f = 0; f < 3 && ctx; f++) {
    struct fix_edit_automaton *a = make(fmts[f]);
    struct fix_constraint c = constraint_of(a);
    for (int seed = SEED0; seed <= 4; seed += SEED_STEP) {
      struct fix_generation g = {0};
      g.max_tokens = seed == 1 ? 90 : seed == 2 ? 140 : TOKENS + TOKENS / 5 * seed; /* short: the end must stay in reach */
      fix_sampling_defaults(&g.sampling);
      g.sampling.temperature = seed == 4 ? 0 : 1.0f;
      g.sampling.seed = (uint64_t)seed;
      g.n_seq = 3;
      g.constraint = &c;
      struct fix_strv out = {0};
      struct fix_gen_stats gs;
      CHECK(fix_generate(ctx, ids, np, &g, &out, &gs, &err) == FIX_OK);
      for (size_t i = 0; i < out.n; i++) {
        char why[1024];
        replies++;
        if (applies(fmts[f], out.v[i], why) && bad++ < 3)
          fprintf(stderr, "%s %s seed %d: a reply that does not apply (%s):\n%s\n", label, fix_edit_format_str(fmts[f]),
                  seed, why, out.v[i]);
      }
      /* the same with every candidate decoded alone: the same texts */
      if (seed == 2) {
        struct fix_strv alone = {0};
        g.flags = FIX_GEN_NO_BATCH;
        CHECK(fix_generate(ctx, ids, np, &g, &alone, &gs, &err) == FIX_OK);
        CHECK_EQ_INT(alone.n, out.n);
        for (size_t i = 0; i < alone.n && i < out.n; i++)
          CHECK_EQ_STR(alone.v[i], out.v[i]);
        fix_strv_free(&alone);
      }
      /* greedy twice: the same */
      if (seed == 4) {
        struct fix_strv again = {0};
        CHECK(fix_generate(ctx, ids, np, &g, &again, &gs, &err) == FIX_OK);
        for (size_t i = 0; i < again.n && i < out.n; i++)
          CHECK_EQ_STR(again.v[i], out.v[i]);
        fix_strv_free(&again);
      }
      fix_strv_free(&out);
    }
    fix_edit_automaton_free(a);
  }
  printf("%s: %d constrained replies, %d do not apply\n", label, replies, bad);
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_INT(replies, 3 * 3 * ((4 - SEED0) / SEED_STEP + 1));
  fix_ctx_free(ctx);
}

/* The user's report: a random-weight model, max_tokens 160, one file with a long run of identical
 * lines; most candidates came back empty (cut back to no block: the end of the block had gone out
 * of reach). Each file alone (no other file to turn to), every format: every candidate must be a
 * block that parses and applies. */
#ifdef SANITIZED
enum { RUN_FIRST = 2 }; /* the file whose run ends it */
#else
enum { RUN_FIRST = 0 };
#endif

static void long_runs(struct fix_model *m, const char *label) {
  static const enum fix_edit_format fmts[] = {FIX_FMT_SEARCH_REPLACE, FIX_FMT_CHANGELOG, FIX_FMT_UDIFF};
  const struct fix_tokenizer *tok = fix_model_tokenizer(m);
  const char *prompt = "Fix the error in run/blank.c: expected ';' before 'int'.\n";
  int32_t ids[256];
  int np = fix_tokenize(tok, prompt, strlen(prompt), 1, 0, ids, 256);
  struct fix_ctx *ctx = NULL;
  struct fix_err err = {0};
  CHECK(fix_ctx_new(m, 1024, 3, &ctx, &err) == FIX_OK);
  int replies = 0, bad = 0, steps = 0;
  double mask_s = 0;
  for (size_t k = 3 * RUN_FIRST; k < 3 * NRUNS && ctx; k++) {
    enum fix_edit_format fmt = fmts[k % 3];
    struct fix_shown_file sf = {runs[k / 3].path, runs[k / 3].text, strlen(runs[k / 3].text)};
    struct fix_edit_automaton *a = NULL;
    CHECK(fix_edit_automaton_new(fmt, &sf, 1, &a, &err) == FIX_OK);
    if (!a)
      continue;
    struct fix_constraint c = constraint_of(a);
    struct fix_generation g = {0};
    g.max_tokens = 160;
    fix_sampling_defaults(&g.sampling);
    g.sampling.temperature = 1.0f;
    g.sampling.seed = 1;
    g.n_seq = 3;
    g.constraint = &c;
    struct fix_strv out = {0};
    struct fix_gen_stats gs;
    CHECK(fix_generate(ctx, ids, np, &g, &out, &gs, &err) == FIX_OK);
    steps += gs.masked_steps;
    mask_s += gs.mask_s;
    for (size_t i = 0; i < out.n; i++) {
      char why[1024];
      replies++;
      if (applies(fmt, out.v[i], why) && bad++ < 3)
        fprintf(stderr, "%s %s, %s: a reply that does not apply (%s):\n%.600s\n", label, fix_edit_format_str(fmt),
                runs[k / 3].path, why, out.v[i]);
    }
    fix_strv_free(&out);
    fix_edit_automaton_free(a);
  }
  printf("%s, long runs: %d constrained replies, %d do not apply (masks %.1f us a sample)\n", label, replies, bad,
         steps ? 1e6 * mask_s / steps : 0.0);
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_INT(replies, 3 * 3 * (NRUNS - RUN_FIRST));
  fix_ctx_free(ctx);
}

static struct fix_model *synth(const struct fix_tokenizer *tok, const char *shape, const char *name) {
  struct fix_synth s = {0};
  CHECK(fix_synth_shape(shape, &s) == 0);
  s.n_embd = 64, s.n_ff = 128, s.n_head = 2, s.n_head_kv = 1; /* small: the forward is most of the time */
  CHECK(fix_synth_parse_type("q8_0", &s) == 0);
  s.name = "test";
  s.seed = 5;
  s.tied = 0;
  char *p = fix_path_join(root, name);
  struct fix_err err = {0};
  struct fix_model *m = NULL;
  CHECK(fix_model_synth(&s, tok, p, &err) == FIX_OK);
  CHECK(fix_model_load(p, 2, &m, &err) == FIX_OK);
  if (!m)
    fprintf(stderr, "%s: %s\n", p, err.msg);
  free(p);
  return m;
}

int main(void) {
  char real[4096];
  char *t = fix_mkdtemp("fix-test-constrain");
  if (!t || !realpath(t, real))
    return 1;
  free(t);
  root = fix_strdup(real);
  for (size_t i = 0; i < NFILES; i++)
    put_file(root, files[i].path, files[i].text);
  struct fix_buf rb[NRUNS];
  static const char *const rpaths[NRUNS] = {"run/blank.c", "run/incr.c", "run/trail.c"};
  for (size_t i = 0; i < NRUNS; i++) {
    fix_buf_init(&rb[i], 0);
    fix_buf_puts(&rb[i], i == 0 ? "int a\n" : i == 1 ? "void f(void) {\n  int x = 0;\n" : "int t;\n");
    for (int k = 0; k < 300; k++)
      fix_buf_puts(&rb[i], i == 1 ? "  x++;\n" : "\n");
    fix_buf_puts(&rb[i], i == 0 ? "int b;\n" : i == 1 ? "  return x;\n}\n" : "");
    runs[i] = (struct vfile){rpaths[i], rb[i].data};
    put_file(root, rpaths[i], rb[i].data);
  }
  /* byte-level BPE: the tests' own vocabulary */
  char *vp = fix_path_join(root, "tokenizer.json");
  struct fix_tokenizer *bpe = NULL;
  struct fix_err err = {0};
  CHECK(tv_write(vp) == 0);
  CHECK(fix_tokenizer_from_hf_json(vp, "qwen2", &bpe, &err) == FIX_OK);
  free(vp);
  struct fix_model *m = bpe ? synth(bpe, "tiny-qwen2", "bpe.gguf") : NULL;
  if (m) {
    mask_vs_brute(m, "byte-level BPE");
    generate(m, "byte-level BPE");
    long_runs(m, "byte-level BPE");
    fix_model_free(m);
  }
  fix_tokenizer_free(bpe);
  /* SentencePiece: llama's vocabulary (llama.cpp's, fetched into the build tree by data.llama_vocab) */
  char *sp = fix_path_join(FIX_VOCAB_DIR, "ggml-vocab-llama-spm.gguf");
  struct fix_gguf *g = NULL;
  struct fix_tokenizer *spm = NULL;
  if (sp && fix_gguf_open(sp, &g, &err) == FIX_OK && fix_tokenizer_from_gguf(g, &spm, &err) == FIX_OK) {
    struct fix_model *ms = synth(spm, "tiny-llama", "spm.gguf");
    if (ms) {
      mask_vs_brute(ms, "SentencePiece");
      generate(ms, "SentencePiece");
      long_runs(ms, "SentencePiece");
      fix_model_free(ms);
    }
  } else {
    fprintf(stderr, "%s: %s\n", sp, err.msg);
    CHECK(0);
  }
  fix_tokenizer_free(spm);
  if (g)
    fix_gguf_close(g);
  free(sp);
  for (size_t i = 0; i < NRUNS; i++)
    fix_buf_free(&rb[i]);
  fix_rmtree(root);
  free(root);
  return check_summary();
}
