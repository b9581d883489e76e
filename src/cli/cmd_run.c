/* cmd_run.c — `fix run`: generate text with the local engine, with timing figures. */
#include "cli.h"

#include "fix/engine.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run_state {
  int ncand, json;
  struct fix_buf ids; /* sequence 0's token ids */
  double first_token; /* fix_now() at the first sampled token, 0 before */
};

static void stream(void *ud, int seq, const char *text, size_t n) {
  struct run_state *r = ud;
  if (r->ncand == 1 && !r->json) {
    fwrite(text, 1, n, stdout);
    fflush(stdout);
  }
}

static void token(void *ud, int seq, int32_t id) {
  struct run_state *r = ud;
  if (seq == 0)
    fix_buf_append(&r->ids, &id, sizeof id);
  if (!r->first_token)
    r->first_token = fix_now();
}

static const char run_usage[] =
    "usage: fix run -m MODEL.gguf -p PROMPT [options]\n"
    "  --chat            wrap the prompt in the model's chat template (--template NAME to choose one)\n"
    "  --system TEXT     a system message (with --chat)\n"
    "  -n N              tokens to generate (default 128)\n"
    "  --temp T --top-k K --top-p P --min-p P --repeat-penalty R --seed S   sampling (default greedy)\n"
    "  --stop TEXT       stop at TEXT (repeatable)\n"
    "  --candidates N    N continuations sharing the prompt\n"
    "  --ctx N           context size (default: prompt + n)\n"
    "  -t, --threads N   threads (default: all cores)\n"
    "  --gpu WHICH       auto (a CUDA device when there is one; default), none, or a device number\n"
    "  --json            print tokens, texts and timings as JSON (with --logits K: the first K logits)\n"
    "  --no-batch --no-lookup   decode candidates one at a time / without prompt-lookup drafts\n";

int cmd_run(struct cli *c, int argc, char **argv) {
  const char *model = NULL, *prompt = NULL, *system = NULL, *tname = NULL;
  const char *stops[16] = {0};
  int flags = 0, nstop = 0, n = 128, threads = 0, chat = 0, json = 0, ncand = 1, nctx = 0, nlogits = 0;
  int gpu = FIX_GPU_AUTO;
  struct fix_sampling sp;
  fix_sampling_defaults(&sp);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define ARG(name) (!strcmp(a, name) && v && ++i)
    if (ARG("-m") || ARG("--model"))
      model = v;
    else if (ARG("-p") || ARG("--prompt"))
      prompt = v;
    else if (ARG("--system"))
      system = v;
    else if (ARG("--template"))
      tname = v, chat = 1;
    else if (!strcmp(a, "--no-batch"))
      flags |= FIX_GEN_NO_BATCH;
    else if (!strcmp(a, "--no-lookup"))
      flags |= FIX_GEN_NO_LOOKUP;
    else if (!strcmp(a, "--chat"))
      chat = 1;
    else if (!strcmp(a, "--json"))
      json = 1;
    else if (ARG("-n")) {
      if (cli_int(c, "-n", v, 0, 1 << 20, &n))
        return EXIT_USAGE;
    } else if (ARG("--temp") || ARG("--top-p") || ARG("--min-p") || ARG("--repeat-penalty")) {
      double d;
      double hi = !strcmp(a, "--temp") ? 2 : !strcmp(a, "--repeat-penalty") ? 10 : 1;
      if (cli_double(c, a, v, 0, hi, &d))
        return EXIT_USAGE;
      *(!strcmp(a, "--temp") ? &sp.temperature : !strcmp(a, "--top-p") ? &sp.top_p
        : !strcmp(a, "--min-p") ? &sp.min_p : &sp.repeat_penalty) = (float)d;
    } else if (ARG("--top-k")) {
      if (cli_int(c, "--top-k", v, 0, 1 << 20, &sp.top_k))
        return EXIT_USAGE;
    } else if (ARG("--seed")) {
      if (cli_seed(c, v, &sp.seed))
        return EXIT_USAGE;
    }
    else if (ARG("--stop") && nstop < 15)
      stops[nstop++] = v;
    else if (ARG("--candidates")) {
      if (cli_int(c, "--candidates", v, 1, 64, &ncand))
        return EXIT_USAGE;
    } else if (ARG("--ctx")) {
      if (cli_int(c, "--ctx", v, 0, 1 << 24, &nctx))
        return EXIT_USAGE;
    } else if (ARG("--logits")) {
      if (cli_int(c, "--logits", v, 0, 1 << 20, &nlogits))
        return EXIT_USAGE;
    } else if (ARG("--gpu")) {
      if (cli_gpu(c, v, &gpu))
        return EXIT_USAGE;
    } else if (ARG("-t") || ARG("--threads")) {
      if (cli_int(c, a, v, 0, 1024, &threads))
        return EXIT_USAGE;
    } else {
      fputs(run_usage, stderr);
      return EXIT_USAGE;
    }
#undef ARG
  }
  if (!model || !prompt || n < 0 || ncand < 1 || ncand > 64) {
    fputs(run_usage, stderr);
    return EXIT_USAGE;
  }
  cli_log_install(c);
  fix_interrupt_install();
  double t0 = fix_now();
  struct fix_model *m;
  struct fix_err err;
  if (fix_model_load_on(model, threads, gpu, &m, &err)) {
    cli_say(c, "error: %s", err.msg);
    return EXIT_USAGE;
  }
  double load_s = fix_now() - t0;
  const struct fix_tokenizer *tok = fix_model_tokenizer(m);
  char *text;
  if (chat) {
    enum fix_chat_template t = tname ? fix_chat_from_name(tname) : fix_model_chat_template(m);
    struct fix_chat_msg msgs[2];
    size_t nm = 0;
    if (system)
      msgs[nm++] = (struct fix_chat_msg){"system", system};
    msgs[nm++] = (struct fix_chat_msg){"user", prompt};
    text = fix_chat_render(t, msgs, nm);
  } else {
    text = fix_strdup(prompt);
  }
  int cap = (int)strlen(text) + 16;
  int32_t *ids = malloc((size_t)cap * sizeof *ids);
  int np = ids ? fix_tokenize(tok, text, strlen(text), 1, chat, ids, cap) : 0;
  free(text);
  if (np <= 0) {
    cli_say(c, "error: the prompt is empty after tokenization");
    free(ids);
    fix_model_free(m);
    return EXIT_USAGE;
  }
  struct fix_ctx *ctx;
  if (fix_ctx_new(m, nctx > 0 ? nctx : np + n + 1, ncand, &ctx, &err)) {
    cli_say(c, "error: %s", err.msg);
    free(ids);
    fix_model_free(m);
    return EXIT_USAGE;
  }
  int rc = EXIT_PASS;
  struct fix_strv out = {0};
  struct fix_gen_stats gs;
  const struct fix_model_hparams *hp = fix_model_hparams(m);
  float *logits = NULL;
  if (nlogits > 0) { /* the logits after the prompt, for comparisons with other engines */
    logits = malloc((size_t)hp->n_vocab * sizeof *logits);
    if (!logits || fix_ctx_eval(ctx, 0, ids, np, 0, logits, &err))
      nlogits = 0;
    fix_ctx_seq_truncate(ctx, 0, 0);
  }
  struct run_state rs = {ncand, json, {0}, 0};
  fix_buf_init(&rs.ids, 0);
  struct fix_generation g = {.max_tokens = n, .sampling = sp, .stop = stops, .n_seq = ncand, .flags = flags,
                             .on_text = stream, .ud = &rs, .on_token = token};
  if (fix_generate(ctx, ids, np, &g, &out, &gs, &err)) {
    cli_say(c, "error: %s", err.msg);
    rc = err.status == FIX_ERR_INTERRUPTED ? EXIT_INTERRUPTED : EXIT_USAGE;
  } else if (json) {
    printf("{\"prompt_tokens\": [");
    for (int i = 0; i < np; i++)
      printf("%s%d", i ? ", " : "", ids[i]);
    printf("], \"texts\": [");
    for (size_t i = 0; i < out.n; i++) {
      printf("%s\"", i ? ", " : "");
      for (const unsigned char *p = (const unsigned char *)out.v[i]; *p; p++)
        if (*p == '"' || *p == '\\')
          printf("\\%c", *p);
        else if (*p < 0x20)
          printf("\\u%04x", *p);
        else
          putchar(*p);
      printf("\"");
    }
    printf("], \"tokens\": [");
    for (size_t i = 0; i < rs.ids.len / sizeof(int32_t); i++)
      printf("%s%d", i ? ", " : "", ((const int32_t *)rs.ids.data)[i]);
    printf("], \"logits\": [");
    for (int i = 0; i < nlogits && i < hp->n_vocab; i++)
      printf("%s%.6g", i ? ", " : "", logits[i]);
    printf("], \"load_s\": %.4f, \"prompt_s\": %.4f, \"gen_s\": %.4f, \"gen_tokens\": %d}\n", load_s, gs.prompt_s,
           gs.gen_s, gs.gen_tokens);
  } else {
    if (ncand > 1)
      for (size_t i = 0; i < out.n; i++)
        printf("--- candidate %zu\n%s\n", i + 1, out.v[i]);
    else
      printf("\n");
    fprintf(stderr, "fix run: load %.2f s; prompt %d tokens %.2f s (%.1f tok/s); generated %d tokens %.2f s (%.1f tok/s) "
                    "in %d passes, %d of %d drafts kept; first token %.3f s after the process started; %s %s, %s, "
                    "%d threads; on %s\n",
            load_s, np, gs.prompt_s, gs.prompt_s > 0 ? np / gs.prompt_s : 0, gs.gen_tokens, gs.gen_s,
            gs.gen_s > 0 ? gs.gen_tokens / gs.gen_s : 0, gs.steps, gs.accepted, gs.drafted,
            rs.first_token ? rs.first_token - cli_process_start() : 0, hp->arch, fix_type_name(hp->weight_type),
            fix_packing_name(hp->packing), threads, fix_model_device(m));
  }
  free(logits);
  fix_buf_free(&rs.ids);
  fix_strv_free(&out);
  free(ids);
  fix_ctx_free(ctx);
  fix_model_free(m);
  return rc;
}
