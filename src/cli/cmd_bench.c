/* cmd_bench.c — `fix bench`: how fast the local engine is on a model, in the figures that matter
 * for repairs: load, prompt processing (512 and 2,048 tokens), generation (128 tokens), peak RSS,
 * the machine's read bandwidth and the generation speed it allows, and a repair-shaped run (a
 * 1,500-token prompt, 5 candidates x 120 tokens, then a second iteration sharing the first 1,200
 * prompt tokens) with each speed-up switched off in turn. */
#include "cli.h"

#include "fix/engine.h"
#include "fix/patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const char bench_usage[] =
    "usage: fix bench -m MODEL.gguf [-t THREADS] [--gpu auto|none|N] [--json] [--quick] [--repair-tokens FILE]\n"
    "  --gpu     where the model runs (default auto: a CUDA device when there is one)\n"
    "  --quick   smaller sizes (prompt 128/256, generation 32, repair run 300-token prompt, 3 x 40)\n"
    "  --repair-tokens FILE   only the repair-shaped run, with every speed-up; its two prompts' token ids\n"
    "            written to FILE (JSON) so another engine can do the same work (tests/bench/)\n";

/* Code-like text of about `bytes` bytes (repeated with variations). */
static void code_text(int bytes, int variant, struct fix_buf *b) {
  for (int i = 0; (int)b->len < bytes; i++)
    fix_buf_printf(b,
                   "static int parse_item_%d(struct parser *p, struct item *it) {\n"
                   "  if (!p || !it)\n    return -1; /* variant %d */\n"
                   "  it->quantity = read_int(p, \"qty\", %d);\n  return it->quantity > %d ? 0 : -2;\n}\n",
                   i, variant, i * 7, i % 13);
}

/* Code-like text tokenized to exactly n tokens (repeated with variations as needed). */
static int code_tokens(const struct fix_tokenizer *tok, int n, int variant, int32_t *out) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  code_text(n * 8, variant, &b);
  int32_t *ids = malloc((size_t)b.len * sizeof *ids);
  int got = ids ? fix_tokenize(tok, b.data, b.len, 0, 0, ids, (int)b.len) : 0;
  fix_buf_free(&b);
  if (got < n) {
    free(ids);
    return -1;
  }
  memcpy(out, ids, (size_t)n * sizeof *out);
  free(ids);
  return 0;
}

static double prompt_speed(struct fix_model *m, int n, struct fix_err *err) {
  int32_t *ids = malloc((size_t)n * sizeof *ids);
  struct fix_ctx *c = NULL;
  double r = 0;
  if (ids && code_tokens(fix_model_tokenizer(m), n, 0, ids) == 0 && fix_ctx_new(m, n + 1, 1, &c, err) == FIX_OK) {
    double t0 = fix_now();
    if (fix_ctx_eval(c, 0, ids, n, 0, NULL, err) == FIX_OK)
      r = n / (fix_now() - t0);
  }
  fix_ctx_free(c);
  free(ids);
  return r;
}

/* ---- constrained decoding (a search-replace reply over the code the prompts show) ---- */

struct cbench {
  struct fix_edit_automaton *a;
  struct fix_constraint c;
  struct fix_buf text[2];
};

static void cb_start(void *ud, int seq, void *state) { fix_edit_automaton_start(ud, state); }
static int cb_step(void *ud, void *state, unsigned char b) { return fix_edit_automaton_step(ud, state, b); }
static int cb_can_end(void *ud, const void *state) { return fix_edit_automaton_can_end(ud, state); }
static enum fix_free cb_free(void *ud, const void *state, unsigned char *stop, size_t *room) {
  return fix_edit_automaton_free_line(ud, state, stop, room) ? FIX_FREE_LINE : FIX_FREE_NONE;
}
static size_t cb_forced(void *ud, const void *state, char *buf, size_t cap) {
  return fix_edit_automaton_forced(ud, state, buf, cap);
}
static size_t cb_finish(void *ud, const void *state, char *buf, size_t cap) {
  return fix_edit_automaton_finish(ud, state, buf, cap);
}

/* The two prompts' code as the files "shown": src/a.c and src/b.c. */
static int cbench_open(struct cbench *cb, int bytes) {
  memset(cb, 0, sizeof *cb);
  for (int v = 0; v < 2; v++) {
    fix_buf_init(&cb->text[v], 0);
    code_text(bytes, v, &cb->text[v]);
  }
  struct fix_shown_file f[2] = {{"src/a.c", cb->text[0].data, cb->text[0].len}, {"src/b.c", cb->text[1].data, cb->text[1].len}};
  struct fix_err err;
  if (fix_edit_automaton_new(FIX_FMT_SEARCH_REPLACE, f, 2, &cb->a, &err) != FIX_OK)
    return -1;
  cb->c = (struct fix_constraint){fix_edit_automaton_state_size(), cb_start, cb_step, cb_can_end, cb_free, cb_forced,
                                  cb_finish, cb->a};
  return 0;
}

static void cbench_close(struct cbench *cb) {
  fix_edit_automaton_free(cb->a);
  fix_buf_free(&cb->text[0]);
  fix_buf_free(&cb->text[1]);
}

/* How many texts the automaton accepts whole (complete, well-formed edits of the shown files). */
static int cbench_complete(const struct cbench *cb, const struct fix_strv *texts, size_t from) {
  unsigned char st[1024];
  int n = 0;
  for (size_t i = from; i < texts->n; i++) {
    fix_edit_automaton_start(cb->a, st);
    int ok = texts->v[i][0] != '\0';
    for (const char *p = texts->v[i]; ok && *p; p++)
      ok = fix_edit_automaton_step(cb->a, st, (unsigned char)*p);
    n += ok && fix_edit_automaton_can_end(cb->a, st);
  }
  return n;
}

static double gen_speed(struct fix_model *m, int n, const struct fix_constraint *k, double *mask_share,
                        struct fix_err *err) {
  int32_t ids[16];
  struct fix_ctx *c = NULL;
  double r = 0;
  if (code_tokens(fix_model_tokenizer(m), 16, 0, ids) == 0 && fix_ctx_new(m, n + 17, 1, &c, err) == FIX_OK) {
    struct fix_generation g = {.max_tokens = n, .n_seq = 1, .flags = FIX_GEN_NO_LOOKUP, .constraint = k};
    fix_sampling_defaults(&g.sampling);
    struct fix_strv out = {0};
    struct fix_gen_stats st;
    /* a token that ends generation must not end the measurement: mask nothing, but count what ran */
    if (fix_generate(c, ids, 16, &g, &out, &st, err) == FIX_OK && st.gen_s > 0) {
      r = st.gen_tokens / st.gen_s;
      if (mask_share)
        *mask_share = st.mask_s / st.gen_s;
    }
    fix_strv_free(&out);
  }
  fix_ctx_free(c);
  return r;
}

struct repair_result {
  double first_s, second_s;
  int reused, drafted, accepted;
  int complete, replies; /* replies that are complete edits of the shown code */
  double mask_s;
};

/* The repair run's two prompts: np tokens of code, then the same first `shared` and new code. */
static int repair_prompts(struct fix_model *m, int np, int shared, int32_t *a, int32_t *b) {
  if (code_tokens(fix_model_tokenizer(m), np, 0, a) || code_tokens(fix_model_tokenizer(m), np - shared, 1, b + shared))
    return -1;
  memcpy(b, a, (size_t)shared * sizeof *b);
  return 0;
}

static int write_repair_tokens(struct fix_model *m, const char *path, int np, int shared, int ncand, int ntok) {
  int32_t *a = malloc((size_t)np * sizeof *a), *b = malloc((size_t)np * sizeof *b);
  int rc = -1;
  FILE *f = NULL;
  if (a && b && repair_prompts(m, np, shared, a, b) == 0 && (f = fopen(path, "w"))) {
    fprintf(f, "{\"shared\": %d, \"candidates\": %d, \"tokens\": %d, \"a\": [", shared, ncand, ntok);
    for (int i = 0; i < np; i++)
      fprintf(f, "%s%d", i ? "," : "", (int)a[i]);
    fputs("], \"b\": [", f);
    for (int i = 0; i < np; i++)
      fprintf(f, "%s%d", i ? "," : "", (int)b[i]);
    fputs("]}\n", f);
    rc = fclose(f) ? -1 : 0;
  }
  free(a);
  free(b);
  return rc;
}

/* The repair-shaped run with the given speed-ups switched off. */
static int repair_run(struct fix_model *m, int np, int shared, int ncand, int ntok, int flags,
                      const struct cbench *cb, int constrained, struct repair_result *r, struct fix_err *err) {
  int32_t *a = malloc((size_t)np * sizeof *a), *b = malloc((size_t)np * sizeof *b);
  struct fix_ctx *c = NULL;
  int rc = -1;
  memset(r, 0, sizeof *r);
  if (a && b && repair_prompts(m, np, shared, a, b) == 0 && fix_ctx_new(m, np + ntok + 1, ncand, &c, err) == FIX_OK) {
    struct fix_generation g = {.max_tokens = ntok, .n_seq = ncand, .flags = flags};
    if (cb && constrained)
      g.constraint = &cb->c;
    fix_sampling_defaults(&g.sampling);
    g.sampling.temperature = 0.4f; /* fix's default for candidates */
    struct fix_strv out = {0};
    struct fix_gen_stats s1, s2;
    double t0 = fix_now();
    if (fix_generate(c, a, np, &g, &out, &s1, err) == FIX_OK) {
      double t1 = fix_now();
      if (fix_generate(c, b, np, &g, &out, &s2, err) == FIX_OK) {
        r->first_s = t1 - t0;
        r->second_s = fix_now() - t1;
        r->reused = s2.reused_tokens;
        r->drafted = s1.drafted + s2.drafted;
        r->accepted = s1.accepted + s2.accepted;
        r->mask_s = s1.mask_s + s2.mask_s;
        r->replies = (int)out.n;
        r->complete = cb ? cbench_complete(cb, &out, 0) : 0;
        rc = 0;
      }
    }
    fix_strv_free(&out);
  }
  fix_ctx_free(c);
  free(a);
  free(b);
  return rc;
}

int cmd_bench(struct cli *c, int argc, char **argv) {
  const char *model = NULL, *tokens_out = NULL;
  int threads = 0, json = 0, quick = 0, gpu = FIX_GPU_AUTO;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if ((!strcmp(a, "-m") || !strcmp(a, "--model")) && v)
      model = argv[++i];
    else if ((!strcmp(a, "-t") || !strcmp(a, "--threads")) && v) {
      if (cli_int(c, a, argv[++i], 0, 1024, &threads))
        return EXIT_USAGE;
    } else if (!strcmp(a, "--gpu") && v) {
      if (cli_gpu(c, argv[++i], &gpu))
        return EXIT_USAGE;
    } else if (!strcmp(a, "--json"))
      json = 1;
    else if (!strcmp(a, "--quick"))
      quick = 1;
    else if (!strcmp(a, "--repair-tokens") && v)
      tokens_out = argv[++i];
    else {
      fputs(bench_usage, stderr);
      return EXIT_USAGE;
    }
  }
  if (!model) {
    fputs(bench_usage, stderr);
    return EXIT_USAGE;
  }
  cli_log_install(c);
  fix_interrupt_install();
  struct fix_err err = {0};
  struct fix_model *m = NULL;
  double t0 = fix_now();
  if (fix_model_load_on(model, threads, gpu, &m, &err)) {
    cli_say(c, "error: %s", err.msg);
    return EXIT_USAGE;
  }
  double load_s = fix_now() - t0;
  const struct fix_model_hparams *hp = fix_model_hparams(m);
  /* bytes a generated token reads: every weight but the token embedding (one row of it), unless
   * the embedding is also the output layer */
  const struct fix_gguf *g = fix_model_gguf(m);
  double per_token = 0;
  for (uint64_t i = 0; i < g->n_tensors; i++) {
    const struct fix_gguf_tensor *t = &g->tensors[i];
    if (!hp->tied_output && t->name.n == 17 && !memcmp(t->name.p, "token_embd.weight", 17))
      continue;
    per_token += (double)t->nbytes;
  }
  int pp_a = quick ? 128 : 512, pp_b = quick ? 256 : 2048, tg = quick ? 32 : 128;
  int rp = quick ? 300 : 1500, rshared = quick ? 240 : 1200, rcand = quick ? 3 : 5, rtok = quick ? 40 : 120;
  if (tokens_out) { /* the repair-shaped run alone, for a side-by-side with another engine */
    struct repair_result r;
    if (write_repair_tokens(m, tokens_out, rp, rshared, rcand, rtok)) {
      cli_say(c, "error: cannot write the repair run's tokens to %s", tokens_out);
      fix_model_free(m);
      return EXIT_USAGE;
    }
    int ok = repair_run(m, rp, rshared, rcand, rtok, 0, NULL, 0, &r, &err) == 0;
    if (ok)
      printf(json ? "{\"repair_s\": %.3f, \"first_s\": %.3f, \"second_s\": %.3f}\n"
                  : "repair run: total %.3f s (first %.3f s, second %.3f s)\n",
             r.first_s + r.second_s, r.first_s, r.second_s);
    else
      cli_say(c, "error: %s", err.msg);
    fix_model_free(m);
    return ok ? EXIT_PASS : EXIT_USAGE;
  }
  if (!json)
    printf("fix bench: %s (%s %s, %.0f M parameters, %.0f MiB), on %s\n", model, hp->arch,
           fix_type_name(hp->weight_type), (double)hp->n_params / 1e6, (double)hp->weight_bytes / 1048576.0,
           fix_model_device(m));
  int on_gpu = fix_model_on_gpu(m);
  double ppa = prompt_speed(m, pp_a, &err), ppb = prompt_speed(m, pp_b, &err);
  /* the bandwidth just before and just after generation: on a shared machine it moves from one
   * minute to the next, and the ratio means something only when both are taken together */
  double bw = on_gpu ? 0 : fix_model_read_bandwidth(m, 3), tgs = gen_speed(m, tg, NULL, NULL, &err);
  bw = on_gpu ? per_token * tgs : (bw + fix_model_read_bandwidth(m, 3)) / 2;
  /* constrained decoding: the same generation under a search-replace automaton over the prompts'
   * code (the mask's share of the time is its cost), and the repair run with and without it */
  struct cbench cb;
  int have_cb = cbench_open(&cb, rp * 8) == 0;
  double index_s = 0;
  if (have_cb) { /* the vocabulary's index is built once per model, at the first constrained token */
    unsigned char st[1024], *allowed = malloc((size_t)hp->n_vocab);
    fix_edit_automaton_start(cb.a, st);
    double ti = fix_now();
    if (allowed)
      fix_constraint_allowed(m, &cb.c, st, allowed);
    index_s = fix_now() - ti;
    free(allowed);
  }
  double mask_share = 0, tgc = have_cb ? gen_speed(m, tg, &cb.c, &mask_share, &err) : 0;
  if (!json) {
    printf("  load                  %8.3f s (weights: %s)\n", load_s, fix_packing_name(hp->packing));
    printf("  prompt %5d tokens    %8.1f tokens/s\n", pp_a, ppa);
    printf("  prompt %5d tokens    %8.1f tokens/s\n", pp_b, ppb);
    printf("  generation %4d tokens %8.1f tokens/s\n", tg, tgs);
    if (have_cb)
      printf("  constrained generation %8.1f tokens/s (masks %.1f%% of its time; the vocabulary indexed once: %.0f ms)\n",
             tgc, 100 * mask_share, index_s * 1000);
    printf("  repair run: %d-token prompt, %d candidates x %d tokens, then %d of the prompt shared\n", rp, rcand,
           rtok, rshared);
  }
  struct {
    const char *name;
    int flags;
    struct repair_result r;
    int ok;
  } runs[] = {
      {.name = "all speed-ups", .flags = 0},
      {.name = "no prefix reuse", .flags = FIX_GEN_NO_REUSE},
      {.name = "no batching", .flags = FIX_GEN_NO_BATCH},
      {.name = "no prompt lookup", .flags = FIX_GEN_NO_LOOKUP},
      {.name = "none", .flags = FIX_GEN_NO_REUSE | FIX_GEN_NO_BATCH | FIX_GEN_NO_LOOKUP},
      {.name = "constrained", .flags = 0},
  };
  size_t nruns = sizeof runs / sizeof runs[0];
  for (size_t i = 0; i < nruns && !fix_interrupted(); i++) {
    int constrained = i == nruns - 1;
    if (constrained && !have_cb)
      continue;
    runs[i].ok = repair_run(m, rp, rshared, rcand, rtok, runs[i].flags, have_cb ? &cb : NULL, constrained,
                            &runs[i].r, &err) == 0;
    if (!json && runs[i].ok)
      printf("    %-18s first %7.2f s, second %7.2f s (%d reused), total %7.2f s; %d of %d drafts kept; %d of %d "
             "replies are complete edits\n",
             runs[i].name, runs[i].r.first_s, runs[i].r.second_s, runs[i].r.reused,
             runs[i].r.first_s + runs[i].r.second_s, runs[i].r.accepted, runs[i].r.drafted, runs[i].r.complete,
             runs[i].r.replies);
    else if (!json)
      printf("    %-18s failed: %s\n", runs[i].name, err.msg);
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double rss = (double)ru.ru_maxrss / 1024.0;
  if (json) {
    printf("{\"model\": \"%s\", \"device\": \"%s\", \"gpu_peak_mib\": %.1f, \"weight_mib\": %.1f, ", model,
           fix_model_device(m), (double)fix_gpu_peak_bytes() / 1048576.0, (double)hp->weight_bytes / 1048576.0);
    printf("\"arch\": \"%s\", \"type\": \"%s\", \"kernels\": \"%s\", \"packing\": \"%s\", \"load_s\": %.4f, "
           "\"prompt\": {\"%d\": %.2f, \"%d\": %.2f}, \"gen\": {\"%d\": %.2f}, \"bandwidth_gbs\": %.2f, "
           "\"bytes_per_token\": %.0f, \"gen_limit\": %.2f, \"peak_rss_mib\": %.1f, \"gen_constrained\": %.2f, "
           "\"mask_share\": %.4f, \"index_s\": %.4f, \"repair\": {",
           hp->arch, fix_type_name(hp->weight_type), fix_engine_kernels(), fix_packing_name(hp->packing), load_s, pp_a, ppa, pp_b, ppb, tg,
           tgs, bw / 1e9, per_token, bw / per_token, rss, tgc, mask_share, index_s);
    for (size_t i = 0; i < nruns; i++)
      printf("%s\"%s\": {\"first_s\": %.3f, \"second_s\": %.3f, \"reused\": %d, \"drafted\": %d, \"accepted\": %d, "
             "\"complete\": %d, \"replies\": %d}",
             i ? ", " : "", runs[i].name, runs[i].r.first_s, runs[i].r.second_s, runs[i].r.reused, runs[i].r.drafted,
             runs[i].r.accepted, runs[i].r.complete, runs[i].r.replies);
    printf("}}\n");
  } else {
    printf("  peak RSS              %8.1f MiB (weights %.1f MiB)\n", rss, (double)hp->weight_bytes / 1048576.0);
    if (on_gpu)
      printf("  peak GPU memory       %8.1f MiB; generation read %.1f GB/s of weights (%.1f MB a token)\n",
             (double)fix_gpu_peak_bytes() / 1048576.0, bw / 1e9, per_token / 1e6);
    else
      printf("  read bandwidth        %8.1f GB/s: %.1f MB per token allows %.1f tokens/s (generation at %.0f%%)\n",
           bw / 1e9, per_token / 1e6, bw / per_token, 100.0 * tgs / (bw / per_token));
  }
  if (have_cb)
    cbench_close(&cb);
  fix_model_free(m);
  return fix_interrupted() ? EXIT_INTERRUPTED : EXIT_PASS;
}
