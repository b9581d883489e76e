/* test_model.c — GGUF files and models: the writer and reader agree on every value type; truncated
 * and corrupted files fail with a message (never a crash); models made by the synthesiser evaluate
 * consistently (a prompt at once = token by token; a copied prefix = a fresh evaluation; n
 * candidates = n separate runs; quantized types close to f32); stop strings; and the real
 * third-party GGUF in ../shared runs end to end when it is there. */
#include "check.h"
#include "fix/engine.h"
#include "fix/synth.h"
#include "tiny_vocab.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *dir;

static char *path_in(const char *name) { return fix_asprintf("%s/%s", dir, name); }

/* Every prefix that cuts into the header or a tensor must be refused with a message (the alignment
 * padding after the last tensor may go); returns how many were accepted. */
static int truncations_accepted(const struct fix_buf *b, size_t step) {
  int accepted = 0;
  size_t end = 0;
  struct fix_gguf *full = NULL;
  if (fix_gguf_open_memory(b->data, b->len, &full, NULL) != FIX_OK)
    return -1;
  for (uint64_t k = 0; k < full->n_tensors; k++) {
    size_t e = (size_t)((const uint8_t *)full->tensors[k].data - (const uint8_t *)b->data) + full->tensors[k].nbytes;
    end = e > end ? e : end;
  }
  if (!full->n_tensors)
    end = b->len; /* a vocabulary-only file: all of it is metadata */
  fix_gguf_close(full);
  if (end + 32 < b->len)
    return -2; /* more than padding after the data */
  for (size_t n = 0; n < end; n += step) {
    struct fix_gguf *g = NULL;
    struct fix_err err = {0};
    if (fix_gguf_open_memory(b->data, n, &g, &err) == FIX_OK) {
      accepted++;
      fix_gguf_close(g);
    } else if (!err.msg[0]) {
      accepted++; /* an error without a message is as bad */
    }
  }
  return accepted;
}

static void test_gguf_roundtrip(void) {
  struct fix_gguf_writer *w = fix_gguf_writer_new();
  const char *items[] = {"a", "", "ccc"};
  float fs[] = {1.5f, -2.0f};
  int32_t is[] = {7, -8, 9};
  fix_gguf_set_str(w, "general.name", "round trip");
  fix_gguf_set_u32(w, "x.u32", 4000000000u);
  fix_gguf_set_i32(w, "x.i32", -5);
  fix_gguf_set_f32(w, "x.f32", 0.25f);
  fix_gguf_set_bool(w, "x.bool", 1);
  fix_gguf_set_arr_str(w, "x.strs", items, 3);
  fix_gguf_set_arr_f32(w, "x.f32s", fs, 2);
  fix_gguf_set_arr_i32(w, "x.i32s", is, 3);
  float t1[3 * 64];
  for (int i = 0; i < 3 * 64; i++)
    t1[i] = (float)i * 0.5f;
  int64_t ne1[] = {64, 3};
  struct fix_err err = {0};
  CHECK(fix_gguf_add_tensor(w, "t.f32", FIX_T_F32, 2, ne1, t1, &err) == FIX_OK);
  uint8_t q8[2 * 34];
  memset(q8, 3, sizeof q8);
  int64_t ne2[] = {64};
  CHECK(fix_gguf_add_tensor(w, "t.q8", FIX_T_Q8_0, 1, ne2, q8, &err) == FIX_OK);
  char *p = path_in("rt.gguf");
  CHECK(fix_gguf_write(w, p, &err) == FIX_OK);
  fix_gguf_writer_free(w);

  struct fix_gguf *g = NULL;
  CHECK(fix_gguf_open(p, &g, &err) == FIX_OK);
  if (g) {
    struct fix_gguf_str s;
    uint64_t u;
    float f;
    int b;
    CHECK(fix_gguf_get_str(g, "general.name", &s) == 0 && s.n == 10 && !memcmp(s.p, "round trip", 10));
    CHECK(fix_gguf_get_u64(g, "x.u32", &u) == 0 && u == 4000000000u);
    CHECK(fix_gguf_get_f32(g, "x.f32", &f) == 0 && f == 0.25f);
    CHECK(fix_gguf_get_bool(g, "x.bool", &b) == 0 && b == 1);
    CHECK(fix_gguf_get_u64(g, "x.missing", &u) != 0);
    CHECK(fix_gguf_get_str(g, "x.u32", &s) != 0); /* wrong type */
    const struct fix_gguf_kv *kv = fix_gguf_find(g, "x.strs");
    CHECK(kv && kv->n == 3);
    struct fix_gguf_iter it = {0};
    int k = 0, ok = 1;
    while (kv && fix_gguf_arr_str_next(kv, &it, &s) == 0)
      ok &= s.n == strlen(items[k]) && !memcmp(s.p, items[k], s.n), k++;
    CHECK(ok && k == 3);
    double d;
    kv = fix_gguf_find(g, "x.i32s");
    CHECK(kv && fix_gguf_arr_num(kv, 1, &d) == 0 && d == -8);
    CHECK(kv && fix_gguf_arr_num(kv, 3, &d) != 0);
    kv = fix_gguf_find(g, "x.f32s");
    char *shown = kv ? fix_gguf_value_str(kv, 8) : NULL;
    CHECK(shown && strstr(shown, "1.5") && strstr(shown, "-2"));
    free(shown);
    const struct fix_gguf_tensor *t = fix_gguf_tensor(g, "t.f32");
    CHECK(t && t->n_dims == 2 && t->ne[0] == 64 && t->ne[1] == 3 && t->nbytes == sizeof t1 &&
          !memcmp(t->data, t1, sizeof t1));
    CHECK(t && ((uintptr_t)t->data % 32) == 0);
    t = fix_gguf_tensor(g, "t.q8");
    CHECK(t && t->type == FIX_T_Q8_0 && t->nbytes == sizeof q8 && !memcmp(t->data, q8, sizeof q8));
    CHECK(fix_gguf_tensor(g, "t.none") == NULL);
    fix_gguf_close(g);
  }
  /* corruption: every prefix, and every header byte set to 0xff, 0x00 and 0x7f */
  struct fix_buf b;
  CHECK(fix_file_read(p, 1 << 20, &b, NULL) == FIX_OK);
  CHECK_EQ_INT(truncations_accepted(&b, 1), 0);
  size_t hdr = b.len - sizeof t1 - sizeof q8 - 32;
  int crashes_would_show = 0;
  for (size_t i = 0; i < hdr; i++) {
    uint8_t saved = ((uint8_t *)b.data)[i];
    static const uint8_t vals[] = {0xff, 0x00, 0x7f};
    for (int v = 0; v < 3; v++) {
      ((uint8_t *)b.data)[i] = vals[v];
      struct fix_gguf *h = NULL;
      struct fix_err e2 = {0};
      if (fix_gguf_open_memory(b.data, b.len, &h, &e2) == FIX_OK) {
        /* accepted: everything it points at is inside the buffer */
        for (uint64_t k = 0; k < h->n_tensors; k++) {
          const struct fix_gguf_tensor *tt = &h->tensors[k];
          if ((const uint8_t *)tt->data < (const uint8_t *)b.data ||
              (const uint8_t *)tt->data + tt->nbytes > (const uint8_t *)b.data + b.len)
            crashes_would_show++;
        }
        fix_gguf_close(h);
      } else if (!e2.msg[0]) {
        crashes_would_show++;
      }
    }
    ((uint8_t *)b.data)[i] = saved;
  }
  CHECK_EQ_INT(crashes_would_show, 0);
  /* not a GGUF at all */
  struct fix_gguf *h = NULL;
  CHECK(fix_gguf_open_memory("GGML\3\0\0\0", 8, &h, &err) != FIX_OK && strstr(err.msg, "GGUF"));
  CHECK(fix_gguf_open("/nonexistent/x.gguf", &h, &err) != FIX_OK && strstr(err.msg, "/nonexistent/x.gguf"));
  fix_buf_free(&b);
  free(p);
}

static struct fix_tokenizer *tiny_tokenizer(void) {
  char *p = path_in("tokenizer.json");
  struct fix_tokenizer *t = NULL;
  struct fix_err err = {0};
  CHECK(tv_write(p) == 0);
  CHECK(fix_tokenizer_from_hf_json(p, "qwen2", &t, &err) == FIX_OK);
  if (!t)
    fprintf(stderr, "tiny vocabulary: %s\n", err.msg);
  free(p);
  return t;
}

/* Writes a tiny Qwen2-shaped model of `type` to dir/name; returns its path. */
static char *synth_file(const struct fix_tokenizer *tok, const char *type, const char *name, uint64_t seed) {
  struct fix_synth s = {0};
  CHECK(fix_synth_shape("tiny-qwen2", &s) == 0);
  CHECK(fix_synth_parse_type(type, &s) == 0);
  s.name = "test";
  s.seed = seed;
  s.tied = 0; /* a permuted output projection: varied text (tied, a tiny model repeats one token) */
  char *p = path_in(name);
  struct fix_err err = {0};
  CHECK(fix_model_synth(&s, tok, p, &err) == FIX_OK);
  return p;
}

static struct fix_model *make_model(const struct fix_tokenizer *tok, const char *type, const char *name) {
  char *p = synth_file(tok, type, name, 1);
  struct fix_err err = {0};
  struct fix_model *m = NULL;
  CHECK(fix_model_load(p, 2, &m, &err) == FIX_OK);
  if (!m)
    fprintf(stderr, "%s: %s\n", p, err.msg);
  free(p);
  return m;
}

static double max_rel_diff(const float *a, const float *b, int n) {
  double m = 0, scale = 0;
  for (int i = 0; i < n; i++)
    scale = fmax(scale, fabs(a[i]));
  for (int i = 0; i < n; i++)
    m = fmax(m, fabs((double)a[i] - b[i]) / (scale + 1e-9));
  return m;
}

static int argmax(const float *x, int n) {
  int best = 0;
  for (int i = 1; i < n; i++)
    if (x[i] > x[best])
      best = i;
  return best;
}

static void test_eval(struct fix_model *m) {
  const struct fix_tokenizer *tok = fix_model_tokenizer(m);
  int nv = fix_model_hparams(m)->n_vocab;
  const char *text = "int fix(void) {\n  return x = y; struct err e;\n}\n";
  int32_t ids[128];
  int n = fix_tokenize(tok, text, strlen(text), 0, 0, ids, 128);
  CHECK(n > 10 && n < 128);
  struct fix_ctx *c = NULL;
  struct fix_err err = {0};
  CHECK(fix_ctx_new(m, 256, 3, &c, &err) == FIX_OK);
  if (!c)
    return;
  float *all = malloc((size_t)n * nv * sizeof *all), *one = malloc((size_t)nv * sizeof *one);
  CHECK(fix_ctx_eval(c, 0, ids, n, 1, all, &err) == FIX_OK);
  CHECK_EQ_INT(fix_ctx_seq_len(c, 0), n);
  /* token by token in sequence 1 */
  double worst = 0;
  for (int i = 0; i < n; i++) {
    CHECK(fix_ctx_eval(c, 1, &ids[i], 1, 0, one, &err) == FIX_OK);
    worst = fmax(worst, max_rel_diff(all + (size_t)i * nv, one, nv));
  }
  printf("prompt at once vs token by token: max relative logit difference %.2e\n", worst);
  CHECK(worst < 1e-4);
  /* a copied prefix continues like a fresh evaluation */
  CHECK(fix_ctx_seq_copy(c, 0, 2, n - 3, &err) == FIX_OK);
  CHECK(fix_ctx_eval(c, 2, ids + n - 3, 3, 0, one, &err) == FIX_OK);
  CHECK(max_rel_diff(all + (size_t)(n - 1) * nv, one, nv) < 1e-4);
  /* truncation forgets */
  fix_ctx_seq_truncate(c, 2, 2);
  CHECK_EQ_INT(fix_ctx_seq_len(c, 2), 2);
  CHECK(fix_ctx_eval(c, 2, ids + 2, n - 2, 0, one, &err) == FIX_OK);
  CHECK(max_rel_diff(all + (size_t)(n - 1) * nv, one, nv) < 1e-4);
  /* bad arguments are errors, not crashes */
  CHECK(fix_ctx_eval(c, 3, ids, 1, 0, one, &err) != FIX_OK);
  int32_t bad_id = nv + 5;
  CHECK(fix_ctx_eval(c, 0, &bad_id, 1, 0, one, &err) != FIX_OK && err.msg[0]);
  int32_t *many = calloc(300, sizeof *many);
  CHECK(fix_ctx_eval(c, 1, many, 300, 0, one, &err) != FIX_OK && strstr(err.msg, "context"));
  free(many);
  fix_ctx_free(c);
  free(all);
  free(one);
}

struct collect {
  struct fix_buf text[3];
};
static void on_text(void *ud, int seq, const char *t, size_t n) {
  fix_buf_append(&((struct collect *)ud)->text[seq], t, n);
}

static const char *chat_prompt = "<|im_start|>user\nint x = ;<|im_end|>\n<|im_start|>assistant\n";

/* Generates 40 tokens for prompt in ctx (or a fresh one); returns the stats. */
static struct fix_gen_stats generate_ex(struct fix_model *m, struct fix_ctx *ctx, const char *prompt, int n_seq,
                                        float temp, const char *const *stop, int flags, struct fix_strv *out) {
  int32_t ids[512];
  int n = fix_tokenize(fix_model_tokenizer(m), prompt, strlen(prompt), 0, 1, ids, 512);
  struct fix_ctx *c = ctx;
  struct fix_err err = {0};
  if (!c)
    CHECK(fix_ctx_new(m, 256, n_seq, &c, &err) == FIX_OK);
  struct fix_generation g = {0};
  g.flags = flags;
  g.max_tokens = 40;
  fix_sampling_defaults(&g.sampling);
  g.sampling.temperature = temp;
  g.sampling.top_k = 0, g.sampling.top_p = 1, g.sampling.min_p = 0;
  g.n_seq = n_seq;
  g.stop = stop;
  struct collect col;
  for (int i = 0; i < 3; i++)
    fix_buf_init(&col.text[i], 0), fix_buf_append(&col.text[i], "", 0);
  g.on_text = on_text;
  g.ud = &col;
  struct fix_gen_stats st;
  CHECK(c && fix_generate(c, ids, n, &g, out, &st, &err) == FIX_OK);
  CHECK_EQ_INT(out->n, (size_t)n_seq);
  for (int i = 0; i < n_seq && i < (int)out->n; i++)
    CHECK_EQ_STR(col.text[i].data, out->v[i]); /* streamed text = result */
  for (int i = 0; i < 3; i++)
    fix_buf_free(&col.text[i]);
  if (!ctx)
    fix_ctx_free(c);
  return st;
}

static void generate(struct fix_model *m, int n_seq, float temp, const char *const *stop, struct fix_strv *out) {
  generate_ex(m, NULL, chat_prompt, n_seq, temp, stop, 0, out);
}

/* The speed-ups (candidates together, prompt-lookup drafts, prefix reuse) change nothing but time. */
/* fix bench's bandwidth reading streams every matrix the forward pass reads (packed or not): it
 * must run over all of them in bounds (ASan) and give a positive, finite rate. */
static void test_bandwidth(struct fix_model *m) {
  double bw = fix_model_read_bandwidth(m, 3);
  printf("read bandwidth over the model's matrices: %.2f GB/s\n", bw / 1e9);
  CHECK(bw > 0 && isfinite(bw));
}

static void test_speedups(struct fix_model *m) {
  /* a prompt that holds the model's own continuation, then its start again: drafts to check */
  const char *p0 = "<|im_start|>user\nstruct fix { int x; };\nint f(struct fix *p) { return p.x; }\n<|im_end|>\n";
  struct fix_strv g0 = {0};
  generate_ex(m, NULL, p0, 1, 0, NULL, 0, &g0);
  char *prompt = fix_asprintf("%s%s%s", p0, g0.n ? g0.v[0] : "", p0);
  fix_strv_free(&g0);
  int drafted = 0, accepted = 0;
  for (int temp = 0; temp <= 1; temp++) {
    struct fix_strv base = {0};
    struct fix_gen_stats b = generate_ex(m, NULL, prompt, 3, temp ? 1.2f : 0, NULL,
                                         FIX_GEN_NO_BATCH | FIX_GEN_NO_LOOKUP | FIX_GEN_NO_REUSE, &base);
    CHECK_EQ_INT(b.drafted, 0);
    for (int flags = 0; flags < 4; flags++) {
      struct fix_strv o = {0};
      struct fix_gen_stats s = generate_ex(m, NULL, prompt, 3, temp ? 1.2f : 0, NULL, flags, &o);
      int same = o.n == 3 && base.n == 3;
      for (size_t i = 0; same && i < 3; i++)
        same = !strcmp(o.v[i], base.v[i]);
      if (!same)
        fprintf(stderr, "temperature %d, flags %d: output differs\n", temp, flags);
      CHECK(same);
      if (!(flags & FIX_GEN_NO_LOOKUP))
        printf("temperature %d, flags %d: %d passes, %d of %d drafts kept\n", temp, flags, s.steps, s.accepted,
               s.drafted);
      if (!(flags & FIX_GEN_NO_BATCH) && !(flags & FIX_GEN_NO_LOOKUP))
        CHECK(s.steps < b.steps);
      drafted += s.drafted - s.accepted, accepted += s.accepted;
      fix_strv_free(&o);
    }
    fix_strv_free(&base);
  }
  CHECK(drafted > 0 && accepted > 0); /* both paths taken: drafts kept, and drafts dropped */
  /* a second request sharing the first one's start evaluates only the rest, with the same result */
  struct fix_ctx *c = NULL;
  struct fix_err err = {0};
  CHECK(fix_ctx_new(m, 256, 2, &c, &err) == FIX_OK);
  struct fix_strv a = {0}, b = {0}, fresh = {0};
  const char *second = "<|im_start|>user\nstruct fix { int x; };\nint g(void) { return 0 }\n<|im_end|>\n";
  struct fix_gen_stats s1 = generate_ex(m, c, prompt, 2, 0, NULL, 0, &a);
  struct fix_gen_stats s2 = generate_ex(m, c, second, 2, 0, NULL, 0, &b);
  generate_ex(m, NULL, second, 2, 0, NULL, 0, &fresh);
  CHECK_EQ_INT(s1.reused_tokens, 0);
  CHECK(s2.reused_tokens > 10);
  printf("second prompt: %d of %d tokens reused\n", s2.reused_tokens, s2.prompt_tokens);
  CHECK(b.n == 2 && fresh.n == 2 && !strcmp(b.v[0], fresh.v[0]) && !strcmp(b.v[1], fresh.v[1]));
  /* the same prompt again: everything but its last token reused */
  struct fix_strv a2 = {0};
  struct fix_gen_stats s3 = generate_ex(m, c, second, 2, 0, NULL, 0, &a2);
  CHECK_EQ_INT(s3.reused_tokens, s3.prompt_tokens - 1);
  CHECK(a2.n == 2 && b.n == 2 && !strcmp(a2.v[0], b.v[0]));
  fix_strv_free(&a), fix_strv_free(&b), fix_strv_free(&fresh), fix_strv_free(&a2);
  fix_ctx_free(c);
  free(prompt);
}

static void test_generate(struct fix_model *m) {
  struct fix_strv one = {0}, three = {0}, s1 = {0}, s2 = {0}, stopped = {0};
  generate(m, 1, 0, NULL, &one);
  generate(m, 3, 0, NULL, &three);
  CHECK(one.n == 1 && three.n == 3);
  if (one.n == 1 && three.n == 3) {
    CHECK(strlen(one.v[0]) > 10);
    for (int i = 0; i < 3; i++)
      CHECK_EQ_STR(three.v[i], one.v[0]); /* greedy candidates sharing a prompt = one run */
    printf("greedy: \"%.40s\"...\n", one.v[0]);
  }
  /* sampled: the seed reproduces, candidates differ from each other */
  generate(m, 3, 1.5f, NULL, &s1);
  generate(m, 3, 1.5f, NULL, &s2);
  if (s1.n == 3 && s2.n == 3) {
    for (int i = 0; i < 3; i++)
      CHECK_EQ_STR(s1.v[i], s2.v[i]);
    CHECK(strcmp(s1.v[0], s1.v[1]) || strcmp(s1.v[1], s1.v[2]));
  }
  /* a stop string ends the text just before it */
  if (one.n == 1 && strlen(one.v[0]) > 12) {
    char stop[4] = {0};
    memcpy(stop, one.v[0] + 8, 3);
    const char *stops[] = {"\x01never", stop, NULL};
    generate(m, 1, 0, stops, &stopped);
    const char *at = strstr(one.v[0], stop);
    CHECK(stopped.n == 1 && at && strlen(stopped.v[0]) == (size_t)(at - one.v[0]) &&
          !strncmp(stopped.v[0], one.v[0], strlen(stopped.v[0])));
  }
  fix_strv_free(&one), fix_strv_free(&three), fix_strv_free(&s1), fix_strv_free(&s2), fix_strv_free(&stopped);
}

/* Quantized models stay close to the f32 one on the same weights. */
static void test_types(struct fix_tokenizer *tok, struct fix_model *ref) {
  const char *types[] = {"f16", "bf16", "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q5_0", "q4_0"};
  const double min_cos[] = {0.9999, 0.999, 0.999, 0.995, 0.99, 0.97, 0.99, 0.95};
  const char *text = "struct fix { int x; };\nvoid f(void) { return; }\n";
  int32_t ids[64];
  int n = fix_tokenize(tok, text, strlen(text), 0, 0, ids, 64);
  int nv = fix_model_hparams(ref)->n_vocab;
  float *want = malloc((size_t)nv * sizeof *want), *got = malloc((size_t)nv * sizeof *got);
  struct fix_ctx *c = NULL;
  struct fix_err err = {0};
  CHECK(fix_ctx_new(ref, 128, 1, &c, &err) == FIX_OK && fix_ctx_eval(c, 0, ids, n, 0, want, &err) == FIX_OK);
  fix_ctx_free(c);
  for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
    char name[32];
    snprintf(name, sizeof name, "%s.gguf", types[k]);
    struct fix_model *m = make_model(tok, types[k], name);
    if (!m)
      continue;
    c = NULL;
    CHECK(fix_ctx_new(m, 128, 1, &c, &err) == FIX_OK && fix_ctx_eval(c, 0, ids, n, 0, got, &err) == FIX_OK);
    double dot = 0, a = 0, b = 0;
    for (int i = 0; i < nv; i++)
      dot += (double)want[i] * got[i], a += (double)want[i] * want[i], b += (double)got[i] * got[i];
    double cosv = dot / sqrt(a * b);
    printf("%-7s logits vs f32: cosine %.5f, top token %s\n", types[k], cosv,
           argmax(want, nv) == argmax(got, nv) ? "same" : "differs");
    CHECK(cosv >= min_cos[k]);
    fix_ctx_free(c);
    fix_model_free(m);
  }
  free(want);
  free(got);
}

static void test_bad_models(struct fix_tokenizer *tok) {
  struct fix_model *m = NULL;
  struct fix_err err = {0};
  /* a GGUF with a vocabulary but no weights */
  struct fix_gguf_writer *w = fix_gguf_writer_new();
  fix_gguf_set_str(w, "general.architecture", "qwen2");
  fix_tokenizer_to_gguf(tok, w);
  char *p = path_in("noweights.gguf");
  CHECK(fix_gguf_write(w, p, &err) == FIX_OK);
  fix_gguf_writer_free(w);
  CHECK(fix_model_load(p, 1, &m, &err) != FIX_OK && err.msg[0] && !m);
  printf("no weights: %s\n", err.msg);
  free(p);
  /* an architecture fix does not run */
  w = fix_gguf_writer_new();
  fix_gguf_set_str(w, "general.architecture", "mamba");
  p = path_in("mamba.gguf");
  CHECK(fix_gguf_write(w, p, &err) == FIX_OK);
  fix_gguf_writer_free(w);
  CHECK(fix_model_load(p, 1, &m, &err) != FIX_OK && strstr(err.msg, "mamba"));
  free(p);
  /* a model file cut short: refused, with the file named */
  p = path_in("f32.gguf");
  struct fix_buf b;
  CHECK(fix_file_read(p, 1u << 30, &b, NULL) == FIX_OK);
  char *cut = path_in("cut.gguf");
  CHECK(fix_file_write_atomic(cut, b.data, b.len - 1000, NULL) == FIX_OK);
  CHECK(fix_model_load(cut, 1, &m, &err) != FIX_OK && strstr(err.msg, "cut.gguf"));
  printf("cut short: %s\n", err.msg);
  CHECK_EQ_INT(truncations_accepted(&b, 4093), 0);
  fix_buf_free(&b);
  free(cut);
  free(p);
}

/* The third-party file: read, tokenized with its SentencePiece vocabulary, evaluated. */
/* ---- the packed-weights cache ---- */

/* Loads path; returns how its matrices were laid out (-1: load failed) and the last logits of a
 * fixed prompt in `logits` (n_vocab floats). */
static int load_packing(const char *path, float *logits) {
  struct fix_model *m = NULL;
  struct fix_ctx *c = NULL;
  struct fix_err err = {0};
  if (fix_model_load(path, 2, &m, &err) != FIX_OK) {
    fprintf(stderr, "%s: %s\n", path, err.msg);
    return -1;
  }
  int packing = fix_model_hparams(m)->packing;
  int32_t ids[] = {5, 17, 3, 99, 42, 8, 1, 77};
  CHECK(fix_ctx_new(m, 64, 1, &c, &err) == FIX_OK);
  CHECK(c && fix_ctx_eval(c, 0, ids, 8, 0, logits, &err) == FIX_OK);
  fix_ctx_free(c);
  fix_model_free(m);
  return packing;
}

/* The entries (*.pack) in the cache directory, and whether any other file is there. */
static int cache_entries(const char *cdir, char *first, size_t cap) {
  DIR *d = opendir(cdir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    n += strstr(e->d_name, ".pack") && e->d_name[0] != '.' ? 1 : 100; /* anything else counts as 100 */
    if (n == 1 && first)
      snprintf(first, cap, "%s/%s", cdir, e->d_name);
  }
  if (d)
    closedir(d);
  return n;
}

static void test_pack_cache(const struct fix_tokenizer *tok) {
  if (strcmp(fix_engine_kernels(), "avx512-vnni")) {
    printf("(kernels %s keep the file's layout: skipping the packed-weights cache)\n", fix_engine_kernels());
    return;
  }
  char *cdir = path_in("pack-cache"), *model = synth_file(tok, "q4_0", "cached.gguf", 1), entry[1024] = "";
  setenv("FIX_PACK_CACHE", cdir, 1);
  setenv("FIX_PACK_CACHE_MIN", "0", 1);
  size_t nv = (size_t)fix_tokenizer_n_vocab(tok), all = (size_t)1 << 20; /* logits compared, room for them */
  float *ref = calloc(all, sizeof *ref), *got = calloc(all, sizeof *got);
  /* first load packs and keeps the result; the second maps it: the same logits, bit for bit */
  CHECK_EQ_INT(load_packing(model, ref), FIX_PACKING_BUILT);
  CHECK_EQ_INT(cache_entries(cdir, entry, sizeof entry), 1);
  CHECK_EQ_INT(load_packing(model, got), FIX_PACKING_CACHED);
  CHECK(!memcmp(ref, got, nv * sizeof *ref));
  /* one byte of the packed data changed: the checksum catches it, the entry is written again */
  struct fix_buf b;
  CHECK(fix_file_read(entry, 1u << 30, &b, NULL) == FIX_OK);
  b.data[4096 + b.len / 3] ^= 0x10;
  CHECK(fix_file_write_atomic(entry, b.data, b.len, NULL) == FIX_OK);
  CHECK_EQ_INT(load_packing(model, got), FIX_PACKING_BUILT);
  CHECK(!memcmp(ref, got, nv * sizeof *ref));
  CHECK_EQ_INT(load_packing(model, got), FIX_PACKING_CACHED);
  /* a truncated entry, and a header naming another file, likewise */
  CHECK(fix_file_write_atomic(entry, b.data, b.len - 1000, NULL) == FIX_OK);
  CHECK_EQ_INT(load_packing(model, got), FIX_PACKING_BUILT);
  fix_buf_free(&b);
  CHECK(fix_file_read(entry, 1u << 30, &b, NULL) == FIX_OK);
  b.data[20] ^= 1; /* the model's size in the header */
  CHECK(fix_file_write_atomic(entry, b.data, b.len, NULL) == FIX_OK);
  CHECK_EQ_INT(load_packing(model, got), FIX_PACKING_BUILT);
  CHECK(!memcmp(ref, got, nv * sizeof *ref));
  fix_buf_free(&b);
  /* the model file replaced (other weights, same path): its old entry is not used */
  free(synth_file(tok, "q4_0", "cached.gguf", 2));
  CHECK_EQ_INT(load_packing(model, got), FIX_PACKING_BUILT);
  CHECK(memcmp(ref, got, nv * sizeof *ref) != 0);
  CHECK_EQ_INT(load_packing(model, got), FIX_PACKING_CACHED);
  CHECK_EQ_INT(cache_entries(cdir, NULL, 0), 1);
  /* entries of models that are gone, and old temporary files, are removed at the next write */
  char *gone = synth_file(tok, "q4_0", "gone.gguf", 3), *tmp = fix_asprintf("%s/.x.pack.fix-abcdef", cdir);
  CHECK_EQ_INT(load_packing(gone, got), FIX_PACKING_BUILT);
  CHECK_EQ_INT(cache_entries(cdir, NULL, 0), 2);
  unlink(gone);
  CHECK(fix_file_write_atomic(tmp, "x", 1, NULL) == FIX_OK);
  struct timespec old[2] = {{time(NULL) - 7200, 0}, {time(NULL) - 7200, 0}};
  CHECK(utimensat(AT_FDCWD, tmp, old, 0) == 0);
  free(synth_file(tok, "q4_0", "cached.gguf", 1));
  CHECK_EQ_INT(load_packing(model, got), FIX_PACKING_BUILT);
  CHECK_EQ_INT(cache_entries(cdir, NULL, 0), 1);
  /* turned off, or a directory that cannot be made: packed in memory, nothing written */
  setenv("FIX_PACK_CACHE", "0", 1);
  CHECK_EQ_INT(load_packing(model, got), FIX_PACKING_BUILT);
  setenv("FIX_PACK_CACHE", "/proc/fix-no-such-dir", 1);
  CHECK_EQ_INT(load_packing(model, got), FIX_PACKING_BUILT);
  CHECK(!memcmp(ref, got, nv * sizeof *ref));
  /* below the size floor (64 MiB unless told): no entry */
  setenv("FIX_PACK_CACHE", cdir, 1);
  unsetenv("FIX_PACK_CACHE_MIN");
  fix_rmtree(cdir);
  CHECK_EQ_INT(load_packing(model, got), FIX_PACKING_BUILT);
  CHECK_EQ_INT(cache_entries(cdir, NULL, 0), 0);
  unsetenv("FIX_PACK_CACHE");
  free(ref), free(got), free(gone), free(tmp), free(model), free(cdir);
}

/* A GGUF written by another tool: llama.cpp's SentencePiece vocabulary file (no tensors; fetched into
 * the build tree by data.llama_vocab). Its metadata and vocabulary read, a model load refused with a
 * message that names the file, and no truncation of it accepted. */
static void test_third_party(void) {
  char *p = fix_path_join(FIX_VOCAB_DIR, "ggml-vocab-llama-spm.gguf");
  struct fix_gguf *g = NULL;
  struct fix_err err = {0};
  CHECK(fix_gguf_open(p, &g, &err) == FIX_OK);
  if (!g) {
    fprintf(stderr, "%s\n", err.msg);
    free(p);
    return;
  }
  struct fix_gguf_str arch = {0};
  CHECK(fix_gguf_get_str(g, "general.architecture", &arch) == 0 && arch.n == 5 && !memcmp(arch.p, "llama", 5));
  struct fix_tokenizer *t = NULL;
  CHECK(fix_tokenizer_from_gguf(g, &t, &err) == FIX_OK);
  if (t) {
    CHECK_EQ_INT(fix_tokenizer_n_vocab(t), 32000);
    int32_t ids[64];
    int n = fix_tokenize(t, "int main(void)", 14, 0, 0, ids, 64);
    struct fix_buf back;
    fix_buf_init(&back, 0);
    fix_detokenize(t, ids, n > 0 ? n : 0, 0, &back);
    CHECK(n > 2 && back.len == 14 && !memcmp(back.data, "int main(void)", 14));
    fix_buf_free(&back);
    fix_tokenizer_free(t);
  }
  fix_gguf_close(g);
  struct fix_model *m = NULL;
  CHECK(fix_model_load(p, 1, &m, &err) != FIX_OK && strstr(err.msg, "ggml-vocab-llama-spm.gguf"));
  printf("vocabulary only: %s\n", err.msg);
  struct fix_buf buf;
  CHECK(fix_file_read(p, 1u << 30, &buf, NULL) == FIX_OK);
  CHECK_EQ_INT(truncations_accepted(&buf, 9973), 0);
  fix_buf_free(&buf);
  free(p);
}

int main(void) {
  dir = fix_mkdtemp("fix-test-model");
  if (!dir)
    return 1;
  test_gguf_roundtrip();
  struct fix_tokenizer *tok = tiny_tokenizer();
  if (tok) {
    struct fix_model *m = make_model(tok, "f32", "f32.gguf");
    if (m) {
      test_eval(m);
      test_generate(m);
      test_speedups(m);
      test_bandwidth(m);
      test_types(tok, m);
      fix_model_free(m);
    }
    /* the same checks where the CPU's kernels pack the weights (Q4_0, Q8_0, Q4_K and Q6_K: packed on
     * AVX-512 VNNI; q4_k_m is Q4_K with Q6_K for the embedding, attn_v and ffn_down) */
    const char *packed[] = {"q4_0", "q8_0", "q4_k_m"};
    for (int i = 0; i < 3; i++) {
      char name[32];
      snprintf(name, sizeof name, "packed-%s.gguf", packed[i]);
      printf("-- %s weights (%s kernels)\n", packed[i], fix_engine_kernels());
      m = make_model(tok, packed[i], name);
      if (m) {
        test_eval(m);
        test_speedups(m);
        test_bandwidth(m);
        fix_model_free(m);
      }
    }
    test_bad_models(tok);
    test_pack_cache(tok);
    fix_tokenizer_free(tok);
  }
  test_third_party();
  fix_rmtree(dir);
  free(dir);
  printf("%d passed, %d failed\n", check_pass, check_fail);
  return check_fail ? 1 : 0;
}
