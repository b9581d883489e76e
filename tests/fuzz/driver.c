/* driver.c — runs a libFuzzer entry point without libFuzzer (gcc builds): every file under the
 * seed directory as is, then N deterministic mutations of them (bit flips, truncations, inserted
 * tokens that the parsers care about, lines spliced between seeds, random bytes). Usage:
 *   fuzz_x ITERATIONS SEED-DIR */
#include "fix/base.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fix_buf *seeds;
static size_t nseeds;

static void load(const char *dir, int depth) {
  DIR *d = opendir(dir);
  struct dirent *e;
  while (d && depth < 8 && (e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char *p = fix_path_join(dir, e->d_name);
    struct stat st;
    if (p && stat(p, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        load(p, depth + 1);
      } else if (st.st_size < (1 << 20)) {
        seeds = realloc(seeds, (nseeds + 1) * sizeof *seeds);
        if (fix_file_read(p, 1 << 20, &seeds[nseeds], NULL) == FIX_OK)
          nseeds++;
      }
    }
    free(p);
  }
  if (d)
    closedir(d);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static const char *tokens[] = {"fix-it:\"", "\":{", "}:\"", ":", "\n", "In file included from ", "                 from ",
                               ": error: ", ": note: ", ": warning: ", "[-W", "]", "\\", "\"", "\033[01m", "\r\n",
                               "[{\"kind\": ", "{", "}", "[", "]", ",", "99999999999", "-1", "\xe2\x80\x98", "\t"};

int main(int argc, char **argv) {
  long iters = argc > 1 ? atol(argv[1]) : 10000;
  for (int i = 2; i < argc; i++)
    load(argv[i], 0);
  for (size_t i = 0; i < nseeds; i++)
    LLVMFuzzerTestOneInput((const uint8_t *)seeds[i].data, seeds[i].len);
  struct fix_buf m;
  fix_buf_init(&m, 0);
  for (long it = 0; it < iters; it++) {
    fix_buf_clear(&m);
    if (nseeds) {
      const struct fix_buf *s = &seeds[next() % nseeds];
      fix_buf_append(&m, s->data, s->len);
    }
    int nmut = 1 + (int)(next() % 6);
    for (int k = 0; k < nmut; k++) {
      size_t at = m.len ? next() % (m.len + 1) : 0;
      switch (next() % 6) {
      case 0: /* flip a bit */
        if (m.len)
          m.data[at % m.len] ^= (char)(1u << (next() % 8));
        break;
      case 1: /* truncate */
        m.len = at;
        break;
      case 2: { /* insert a token */
        const char *t = tokens[next() % (sizeof tokens / sizeof *tokens)];
        struct fix_buf n;
        fix_buf_init(&n, 0);
        fix_buf_append(&n, m.data, at);
        fix_buf_puts(&n, t);
        fix_buf_append(&n, m.data + at, m.len - at);
        fix_buf_free(&m);
        m = n;
        break;
      }
      case 3: { /* splice the tail of another seed */
        if (!nseeds)
          break;
        const struct fix_buf *o = &seeds[next() % nseeds];
        size_t from = o->len ? next() % o->len : 0;
        m.len = at;
        fix_buf_append(&m, o->data + from, o->len - from);
        break;
      }
      case 4: /* random bytes */
        for (int b = 0; b < 8; b++) {
          char c = (char)next();
          fix_buf_append(&m, &c, 1);
        }
        break;
      default: /* duplicate a region */
        if (m.len) {
          size_t len = next() % (m.len - at % m.len + 1);
          char *copy = fix_strndup(m.data + at % m.len, len);
          if (copy)
            fix_buf_append(&m, copy, len);
          free(copy);
        }
      }
    }
    LLVMFuzzerTestOneInput((const uint8_t *)(m.data ? m.data : ""), m.len);
  }
  printf("fuzz: %zu seeds, %ld mutated inputs, no crash\n", nseeds, iters);
  fix_buf_free(&m);
  for (size_t i = 0; i < nseeds; i++)
    fix_buf_free(&seeds[i]);
  free(seeds);
  return 0;
}
