/* fuzz_automaton.c — constrained decoding's edit automata over arbitrary files and replies.
 *
 * Input: one byte choosing the format, then up to four files' texts separated by 0xFF, then 0xFE
 * and reply bytes. The automaton is built over the files and walks the reply as far as it is
 * accepted; along the way, what it says must follow (forced) must be accepted, and the shortest
 * ending (finish) must give a reply that is accepted, parses and applies to the files. Any
 * violation aborts (a crash for the fuzzer). */
#include "fix/patch.h"
#include "fix/base.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NF 4
static char *root;
static const char *paths[NF] = {"src/a.c", "src/b.c", "lib/c.rs", "d.h"};
static struct fix_shown_file shown[NF];
static size_t nshown;

static enum fix_status lookup(void *ud, const char *path, const char **text, size_t *len) {
  (void)ud;
  for (size_t i = 0; i < nshown; i++) {
    char *p = fix_path_join(root, shown[i].path);
    int same = !strcmp(p, path);
    free(p);
    if (same) {
      *text = shown[i].text;
      *len = shown[i].len;
      return FIX_OK;
    }
  }
  return FIX_ERR_NOT_FOUND;
}

static void cleanup(void) {
  fix_rmtree(root);
  free(root);
}

static void fail(const char *what, const char *reply) {
  fprintf(stderr, "fuzz_automaton: %s:\n%s\n", what, reply);
  abort();
}

/* prefix + the shortest ending: accepted, parses, applies */
static void check_finish(enum fix_edit_format fmt, const struct fix_edit_automaton *a, const void *state,
                         const char *prefix, size_t plen) {
  char fin[4096];
  size_t fl = fix_edit_automaton_finish(a, state, fin, sizeof fin);
  if (fl == (size_t)-1)
    return; /* no short ending: the decoder cuts back to the last complete block */
  char *reply = malloc(plen + fl + 1);
  memcpy(reply, prefix, plen);
  memcpy(reply + plen, fin, fl);
  reply[plen + fl] = '\0';
  unsigned char st[512];
  memcpy(st, state, fix_edit_automaton_state_size());
  for (size_t i = 0; i < fl; i++)
    if (!fix_edit_automaton_step(a, st, (unsigned char)fin[i]))
      fail("finish's bytes are rejected", reply);
  if (!fix_edit_automaton_can_end(a, st))
    fail("finish does not end", reply);
  if (plen + fl && !memchr(reply, '\0', plen + fl)) {
    struct fix_strv known = {0};
    for (size_t i = 0; i < nshown; i++)
      fix_strv_push_own(&known, fix_path_join(root, shown[i].path));
    struct fix_edit_list el = {0};
    struct fix_err err = {0};
    enum fix_status s = fix_reply_parse(fmt, reply, plen + fl, root, &known, lookup, NULL, &el, &err);
    fix_strv_free(&known);
    fix_edit_list_free(&el);
    if (s != FIX_OK) {
      fprintf(stderr, "fuzz_automaton: %s\n", err.msg);
      fail("an accepted reply does not apply", reply);
    }
  }
  free(reply);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!root) {
    root = fix_mkdtemp("fix-fuzz-automaton");
    struct fix_err e = {0};
    char *src = root ? fix_path_join(root, "src") : NULL, *lib = root ? fix_path_join(root, "lib") : NULL;
    if (!root || fix_mkdirs(src, &e) || fix_mkdirs(lib, &e))
      abort();
    free(src);
    free(lib);
    for (size_t i = 0; i < NF; i++) {
      char *f = fix_path_join(root, paths[i]);
      if (fix_file_replace(f, "", 0, &e))
        abort();
      free(f);
    }
    atexit(cleanup);
  }
  if (size < 2)
    return 0;
  enum fix_edit_format fmt = data[0] % 3 == 0 ? FIX_FMT_SEARCH_REPLACE : data[0] % 3 == 1 ? FIX_FMT_CHANGELOG : FIX_FMT_UDIFF;
  const uint8_t *p = data + 1, *end = data + size;
  const uint8_t *sep = memchr(p, 0xFE, (size_t)(end - p));
  const uint8_t *fend = sep ? sep : end, *reply = sep ? sep + 1 : end;
  nshown = 0;
  while (nshown < NF) {
    const uint8_t *e = memchr(p, 0xFF, (size_t)(fend - p));
    const uint8_t *stop = e ? e : fend;
    shown[nshown] = (struct fix_shown_file){paths[nshown], (const char *)p, (size_t)(stop - p)};
    nshown++;
    if (!e)
      break;
    p = e + 1;
  }
  struct fix_edit_automaton *a = NULL;
  struct fix_err err = {0};
  if (fix_edit_automaton_new(fmt, shown, nshown, &a, &err) != FIX_OK)
    return 0;
  unsigned char st[512];
  if (fix_edit_automaton_state_size() > sizeof st)
    abort();
  fix_edit_automaton_start(a, st);
  size_t rlen = (size_t)(end - reply), i = 0;
  for (;; i++) {
    if (i % 8 == 0 || i == rlen) {
      char forced[256];
      size_t nf = fix_edit_automaton_forced(a, st, forced, sizeof forced);
      unsigned char t[512];
      memcpy(t, st, fix_edit_automaton_state_size());
      for (size_t k = 0; k < nf; k++)
        if (!fix_edit_automaton_step(a, t, (unsigned char)forced[k])) {
          fprintf(stderr, "after %zu bytes, forced \"%.*s\" is rejected at its byte %zu; the reply so far:\n%.*s\n", i,
                  (int)nf, forced, k, (int)i, (const char *)reply);
          abort();
        }
      unsigned char stop[256];
      size_t room = 0;
      (void)fix_edit_automaton_free_line(a, st, stop, &room);
      check_finish(fmt, a, st, (const char *)reply, i);
    }
    if (i == rlen)
      break;
    unsigned char t[512];
    memcpy(t, st, fix_edit_automaton_state_size());
    if (!fix_edit_automaton_step(a, t, reply[i]))
      break; /* the walk stops at the first rejected byte */
    memcpy(st, t, fix_edit_automaton_state_size());
  }
  fix_edit_automaton_free(a);
  return 0;
}
