/* test_tokenizer.c — fix's tokenizers against llama.cpp's published test vectors (its models/
 * directory, fetched into the build tree by tests/support/fetch_llama_vocab.sh: each .inp string's
 * token ids in .out, no BOS), for every vocabulary fix's tokenizers cover; and detokenization round
 * trips. */
#include "check.h"
#include "fix/engine.h"

#include <dirent.h>
#include <stdlib.h>

static int check_vectors(struct fix_tokenizer *t, const char *inp_path, const char *out_path, const char *name) {
  struct fix_buf in, out;
  if (fix_file_read(inp_path, 1 << 22, &in, NULL) || fix_file_read(out_path, 1 << 22, &out, NULL))
    return -1;
  const char *sep = "\n__ggml_vocab_test__\n";
  const char *p = in.data, *o = out.data;
  int cases = 0, bad = 0;
  while (p && *p) {
    const char *e = strstr(p, sep);
    size_t n = e ? (size_t)(e - p) : strlen(p);
    const char *onl = strchr(o, '\n');
    size_t on = onl ? (size_t)(onl - o) : strlen(o);
    int32_t ids[4096];
    int got = fix_tokenize(t, p, n, 0, 0, ids, 4096);
    /* expected ids */
    struct fix_buf want, have;
    fix_buf_init(&want, 0);
    fix_buf_init(&have, 0);
    fix_buf_append(&want, o, on);
    for (int i = 0; i < got; i++)
      fix_buf_printf(&have, " %d", ids[i]);
    fix_buf_append(&have, "", 0);
    cases++;
    /* (the newer .out files have no space before the first id) */
    const char *w = want.data ? want.data : "", *h = have.data;
    while (*w == ' ')
      w++;
    while (*h == ' ')
      h++;
    if (strcmp(w, h)) {
      bad++;
      if (bad <= 3)
        fprintf(stderr, "%s: case %d '%.*s'\n  want%s\n  got %s\n", name, cases, (int)(n > 60 ? 60 : n), p,
                want.data ? want.data : "", have.data);
    }
    /* round trip */
    struct fix_buf back;
    fix_buf_init(&back, 0);
    fix_detokenize(t, ids, got > 0 ? got : 0, 0, &back);
    if (back.len != n || (n && memcmp(back.data, p, n))) {
      bad++;
      if (bad <= 3)
        fprintf(stderr, "%s: case %d does not round-trip: '%.*s' -> '%s'\n", name, cases, (int)(n > 60 ? 60 : n), p,
                back.data ? back.data : "");
    }
    fix_buf_free(&back);
    fix_buf_free(&want);
    fix_buf_free(&have);
    p = e ? e + strlen(sep) : NULL;
    o = onl ? onl + 1 : o + on;
  }
  fix_buf_free(&in);
  fix_buf_free(&out);
  printf("%-16s %3d cases, %d wrong\n", name, cases, bad);
  CHECK(cases > 20);
  CHECK_EQ_INT(bad, 0);
  return bad;
}

int main(int argc, char **argv) {
  /* llama.cpp's models/ (fetched from node-llama-cpp's bundle by the data.llama_vocab fixture) */
  const char *dir = argc > 1 ? argv[1] : FIX_VOCAB_DIR;
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "%s is absent: the data.llama_vocab test fetches it (ctest runs it first)\n", dir);
    return 1;
  }
  closedir(d);
  /* every vocabulary there with test vectors whose tokenizer fix runs (bert-bge's WordPiece, gemma-4's
   * and qwen35's pre-tokenizer are not: no model fix runs uses them) */
  const char *want[] = {"gpt-2", "starcoder", "refact",    "deepseek-coder", "deepseek-llm", "falcon", "mpt",
                        "llama-spm", "phi-3", "qwen2", "llama-bpe", "command-r"};
  int tested = 0;
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    char *g = fix_asprintf("%s/ggml-vocab-%s.gguf", dir, want[i]);
    char *inp = fix_asprintf("%s.inp", g), *out = fix_asprintf("%s.out", g);
    struct fix_gguf *gg;
    struct fix_err err;
    if (!fix_file_exists(inp)) {
      fprintf(stderr, "%s is absent\n", inp);
      CHECK(0);
    } else if (fix_gguf_open(g, &gg, &err) == FIX_OK) {
      struct fix_tokenizer *t;
      if (fix_tokenizer_from_gguf(gg, &t, &err) == FIX_OK) {
        check_vectors(t, inp, out, want[i]);
        fix_tokenizer_free(t);
        tested++;
      } else {
        printf("%-16s %s\n", want[i], err.msg);
      }
      fix_gguf_close(gg);
    } else {
      fprintf(stderr, "%s\n", err.msg);
      CHECK(0);
    }
    free(g);
    free(inp);
    free(out);
  }
  CHECK_EQ_INT(tested, (int)(sizeof want / sizeof *want));
  return check_summary();
}
