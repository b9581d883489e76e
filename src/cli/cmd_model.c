/* cmd_model.c — `fix model info|synth|pull`. */
#include "cli.h"

#include "fix/llm.h"
#include "fix/synth.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char model_usage[] =
    "usage: fix model info MODEL.gguf [--kv] [--tensors]\n"
    "       fix model synth --shape NAME --vocab FILE -o OUT.gguf [--type T] [--seed N] [--layers N]\n"
    "                       [--arch llama|qwen2] [--embd N] [--heads N] [--kv-heads N] [--ff N] [--tied|--untied]\n"
    "           shapes: qwen2.5-coder-0.5b, qwen2.5-coder-1.5b, tiny-llama, tiny-qwen2\n"
    "           types:  f32 f16 bf16 q8_0 q4_0 q4_1 q5_0 q5_1 q4_k q5_k q6_k q4_k_m q5_k_m\n"
    "           vocab:  a GGUF file's tokenizer, or a Hugging Face tokenizer.json (--pre RULES, default qwen2)\n"
    "       fix model pull NAME|URL [--sha256 HEX] [-o FILE]\n"
    "       fix model list\n";

static int info(struct cli *c, int argc, char **argv) {
  const char *path = NULL;
  int kv = 0, tensors = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--kv"))
      kv = 1;
    else if (!strcmp(argv[i], "--tensors"))
      tensors = 1;
    else if (!path)
      path = argv[i];
  }
  if (!path) {
    fputs(model_usage, stderr);
    return EXIT_USAGE;
  }
  struct fix_err err;
  struct fix_gguf *g;
  if (fix_gguf_open(path, &g, &err)) {
    cli_say(c, "error: %s", err.msg);
    return EXIT_USAGE;
  }
  printf("file:         %s\nformat:       GGUF v%u, %llu tensors, %llu metadata entries\n", path, g->version,
         (unsigned long long)g->n_tensors, (unsigned long long)g->n_kv);
  int counts[FIX_T_COUNT] = {0};
  uint64_t bytes = 0, params = 0;
  for (uint64_t i = 0; i < g->n_tensors; i++) {
    counts[g->tensors[i].type]++;
    bytes += g->tensors[i].nbytes;
    params += (uint64_t)g->tensors[i].ne[0] * (uint64_t)g->tensors[i].ne[1] * (uint64_t)g->tensors[i].ne[2] *
              (uint64_t)g->tensors[i].ne[3];
  }
  printf("parameters:   %.3f M (%.1f MiB of weights)\ntensor types:", (double)params / 1e6, (double)bytes / 1048576.0);
  for (int t = 0; t < FIX_T_COUNT; t++)
    if (counts[t])
      printf(" %s x%d", fix_type_name(t), counts[t]);
  printf("\n");
  struct fix_model *m;
  if (fix_model_load(path, 1, &m, &err) == FIX_OK) {
    const struct fix_model_hparams *hp = fix_model_hparams(m);
    const struct fix_tokenizer *tok = fix_model_tokenizer(m);
    printf("architecture: %s%s\nshape:        %d layers, embedding %d, %d heads (%d KV, dim %d), ff %d\n", hp->arch,
           hp->has_qkv_bias ? " (q/k/v biases)" : "", hp->n_layer, hp->n_embd, hp->n_head, hp->n_head_kv,
           hp->head_dim, hp->n_ff);
    printf("vocabulary:   %d tokens, bos %d, eos %d, eot %d; output %s\nrope:         theta %g, %s; rms eps %g; "
           "trained context %d\nchat:         %s\nrunnable:     yes\n",
           hp->n_vocab, fix_tokenizer_bos(tok), fix_tokenizer_eos(tok), fix_tokenizer_eot(tok),
           hp->tied_output ? "tied to the embedding" : "separate", hp->rope_theta, hp->rope_neox ? "neox" : "normal",
           hp->rms_eps, hp->n_ctx_train, fix_chat_name(fix_model_chat_template(m)));
    fix_model_free(m);
  } else {
    printf("runnable:     no: %s\n", err.msg);
  }
  for (uint64_t i = 0; kv && i < g->n_kv; i++) {
    char *v = fix_gguf_value_str(&g->kv[i], 8);
    printf("  %.*s = %s\n", (int)g->kv[i].key.n, g->kv[i].key.p, v ? v : "");
    free(v);
  }
  for (uint64_t i = 0; tensors && i < g->n_tensors; i++) {
    const struct fix_gguf_tensor *t = &g->tensors[i];
    printf("  %-32.*s %-5s [%lld, %lld]\n", (int)t->name.n, t->name.p, fix_type_name(t->type), (long long)t->ne[0],
           (long long)t->ne[1]);
  }
  fix_gguf_close(g);
  return EXIT_PASS;
}

static int synth(struct cli *c, int argc, char **argv) {
  struct fix_synth s;
  memset(&s, 0, sizeof s);
  s.type = FIX_T_Q4_0;
  const char *vocab = NULL, *out = NULL, *pre = "qwen2", *shape = NULL;
  int layers = 0, tied = -1;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define ARG(name) (!strcmp(a, name) && v && ++i)
    if (ARG("--shape"))
      shape = v;
    else if (ARG("--vocab"))
      vocab = v;
    else if (ARG("--pre"))
      pre = v;
    else if (ARG("-o"))
      out = v;
    else if (ARG("--type")) {
      if (fix_synth_parse_type(v, &s)) {
        cli_say(c, "error: unknown type '%s'", v);
        return EXIT_USAGE;
      }
    } else if (ARG("--seed")) {
      if (cli_seed(c, v, &s.seed))
        return EXIT_USAGE;
    }
    else if (ARG("--layers")) {
      if (cli_int(c, "--layers", v, 1, 1 << 20, &layers))
        return EXIT_USAGE;
    }
    else if (ARG("--arch"))
      s.arch = v;
    else if (ARG("--embd")) {
      if (cli_int(c, "--embd", v, 1, 1 << 20, &s.n_embd))
        return EXIT_USAGE;
    }
    else if (ARG("--heads")) {
      if (cli_int(c, "--heads", v, 1, 1 << 20, &s.n_head))
        return EXIT_USAGE;
    }
    else if (ARG("--kv-heads")) {
      if (cli_int(c, "--kv-heads", v, 1, 1 << 20, &s.n_head_kv))
        return EXIT_USAGE;
    }
    else if (ARG("--ff")) {
      if (cli_int(c, "--ff", v, 1, 1 << 20, &s.n_ff))
        return EXIT_USAGE;
    }
    else if (!strcmp(a, "--tied"))
      tied = 1;
    else if (!strcmp(a, "--untied"))
      tied = 0;
    else {
      fputs(model_usage, stderr);
      return EXIT_USAGE;
    }
#undef ARG
  }
  if (shape) {
    struct fix_synth b = s;
    if (fix_synth_shape(shape, &s)) {
      cli_say(c, "error: unknown shape '%s'", shape);
      return EXIT_USAGE;
    }
    s.type = b.type, s.mixed = b.mixed, s.seed = b.seed;
    if (b.arch)
      s.arch = b.arch;
    if (b.n_embd)
      s.n_embd = b.n_embd;
    if (b.n_head)
      s.n_head = b.n_head;
    if (b.n_head_kv)
      s.n_head_kv = b.n_head_kv;
    if (b.n_ff)
      s.n_ff = b.n_ff;
  }
  if (layers > 0)
    s.n_layer = layers;
  if (tied >= 0)
    s.tied = tied;
  if (!vocab || !out || !s.arch) {
    fputs(model_usage, stderr);
    return EXIT_USAGE;
  }
  cli_log_install(c);
  struct fix_err err;
  struct fix_tokenizer *tok = NULL;
  if (fix_str_ends(vocab, ".gguf")) {
    struct fix_gguf *g;
    if (fix_gguf_open(vocab, &g, &err) == FIX_OK) {
      fix_tokenizer_from_gguf(g, &tok, &err);
      fix_gguf_close(g);
    }
  } else {
    fix_tokenizer_from_hf_json(vocab, pre, &tok, &err);
  }
  if (!tok) {
    cli_say(c, "error: %s", err.msg);
    return EXIT_USAGE;
  }
  double t0 = fix_now();
  enum fix_status st = fix_model_synth(&s, tok, out, &err);
  fix_tokenizer_free(tok);
  if (st) {
    cli_say(c, "error: %s", err.msg);
    return EXIT_USAGE;
  }
  cli_say(c, "wrote %s (%s, %d layers, embedding %d, %s) in %.1f s", out, s.arch, s.n_layer, s.n_embd,
          fix_type_name(s.type), fix_now() - t0);
  return EXIT_PASS;
}

int cmd_model_pull(struct cli *c, int argc, char **argv);

int cmd_model(struct cli *c, int argc, char **argv) {
  if (argc < 2) {
    fputs(model_usage, stderr);
    return EXIT_USAGE;
  }
  if (!strcmp(argv[1], "info"))
    return info(c, argc - 2, argv + 2);
  if (!strcmp(argv[1], "synth"))
    return synth(c, argc - 2, argv + 2);
  if (!strcmp(argv[1], "pull") || !strcmp(argv[1], "list"))
    return cmd_model_pull(c, argc - 1, argv + 1);
  fputs(model_usage, stderr);
  return EXIT_USAGE;
}
