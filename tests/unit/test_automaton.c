/* test_automaton.c — the edit formats as byte automata (constrained decoding): replies a model
 * would write are accepted or rejected as the parser and the matcher would take them, the
 * automaton never dead-ends, and random walks through it — thousands, over tricky files (CRLF,
 * tabs, repeated lines, lines that are prefixes of others, non-ASCII, one line without a final
 * newline, an empty file) — always give a reply that parses and applies. */
#include "check.h"
#include "fix/patch.h"
#include "tmpfiles.h"

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
    {"src/nonl.c", "int g(void) { return 2 }"},
    {"src/dup.c", "void a(void) {\n  x++;\n}\nvoid b(void) {\n  x++;\n}\n  x++;\n"},
    {"src/pre.c", "int ab;\nint abc;\nint a;\nint abcd;\n"},
    {"src/utf8.c", "const char *s = \"caf\xc3\xa9 \xe2\x82\xac\";\n// \xf0\x9f\x98\x80\n"},
    {"src/empty.c", ""},
    {"src/eq.c", "int x = 1;\n=====\nint y;\n"},
    {"src/lonecr.c", "int h(void) {\rreturn 3\n}\n"}, /* a lone CR: quoted without it, as replies lose CRs */
    {"src/fence.c", "intro\n```\ncode\n  ~~~ x\nend\n"}, /* fence lines: the reply reader drops them (fuzz_automaton) */
    {"src/long.c", "int very_long_line_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = "
                   "1;\n--i;\n-x;\n"},
};
#define NFILES (sizeof files / sizeof *files)

static enum fix_status lookup(void *ud, const char *path, const char **data, size_t *len) {
  for (size_t i = 0; i < NFILES; i++) {
    char *p = fix_path_join(root, files[i].path);
    int same = !strcmp(p, path);
    free(p);
    if (same) {
      *data = files[i].text;
      *len = strlen(files[i].text);
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

/* 1 when the whole text is accepted and may end there */
static int accepts(const struct fix_edit_automaton *a, const char *text) {
  unsigned char st[512];
  CHECK(fix_edit_automaton_state_size() <= sizeof st);
  fix_edit_automaton_start(a, st);
  for (const char *p = text; *p; p++)
    if (!fix_edit_automaton_step(a, st, (unsigned char)*p))
      return 0;
  return fix_edit_automaton_can_end(a, st);
}

/* The reply parses and its edits apply (0), or why not (a message). */
static int applies(enum fix_edit_format fmt, const char *reply, char *why) {
  struct fix_strv known = {0};
  for (size_t i = 0; i < NFILES; i++)
    fix_strv_push_own(&known, fix_path_join(root, files[i].path));
  struct fix_edit_list el = {0};
  struct fix_err err = {0};
  enum fix_status st = fix_reply_parse(fmt, reply, strlen(reply), root, &known, lookup, NULL, &el, &err);
  snprintf(why, 1024, "%s", err.msg);
  fix_strv_free(&known);
  fix_edit_list_free(&el);
  return st == FIX_OK ? 0 : -1;
}

static void fixed_replies(void) {
  struct fix_edit_automaton *sr = make(FIX_FMT_SEARCH_REPLACE), *cl = make(FIX_FMT_CHANGELOG),
                            *ud = make(FIX_FMT_UDIFF);
  /* search-replace */
  CHECK(accepts(sr, "src/main.c\n<<<<<<< SEARCH\n  int x = 1\n=======\n  int x = 1;\n>>>>>>> REPLACE"));
  CHECK(accepts(sr, "src/main.c\n<<<<<<< SEARCH\n  int x = 1\n=======\n  int x = 1;\n>>>>>>> REPLACE\n"
                    "src/util.c\n<<<<<<< SEARCH\n\tint r = a - b;\n=======\n\tint r = b - a;\n>>>>>>> REPLACE\n"));
  CHECK(!accepts(sr, "src/main.c\n<<<<<<< SEARCH\n  int x = 2\n")); /* not in the file */
  CHECK(!accepts(sr, "src/nope.c\n"));                                /* not shown */
  CHECK(!accepts(sr, "Here is the fix:\n"));                          /* prose */
  /* "  x++;" occurs three times: the divider only once the run is unique */
  CHECK(!accepts(sr, "src/dup.c\n<<<<<<< SEARCH\n  x++;\n=="));
  CHECK(accepts(sr, "src/dup.c\n<<<<<<< SEARCH\nvoid b(void) {\n  x++;\n=======\nvoid b(void) {\n  x--;\n>>>>>>> REPLACE"));
  CHECK(!accepts(sr, "src/util.c\n<<<<<<< SEARCH\n\tint r = a + b;\n=======\n>>>>> oops\n")); /* a closer look-alike */
  CHECK(accepts(sr, "src/util.c\n<<<<<<< SEARCH\n\tint r = a + b;\n=======\n  x >> 2;\n>>>>>>> REPLACE"));
  CHECK(accepts(sr, "src/crlf.c\n<<<<<<< SEARCH\n  return 1\n=======\n  return 1;\n>>>>>>> REPLACE")); /* LF for CRLF */
  CHECK(accepts(sr, "src/nonl.c\n<<<<<<< SEARCH\nint g(void) { return 2 }\n=======\nint g(void) { return 2; }\n"
                    ">>>>>>> REPLACE"));
  CHECK(!accepts(sr, "src/empty.c\n<<<<<<< SEARCH\n=")); /* nothing to quote */
  CHECK(!accepts(sr, "src/eq.c\n<<<<<<< SEARCH\nint x = 1;\n=====\n")); /* a divider-like line is the divider */
  CHECK(!accepts(sr, "src/main.c\n<<<<<<< SEARCH\n  int x = 1\n=======\n  int x = 1\n>>")); /* changes nothing */
  CHECK(!accepts(sr, "src/main.c\n<<<<<<< SEARCH\n  int x = 1\n=======\n  int x = 1;\n>>>>>>> REPLACE\nsrc/main.c"));
  CHECK(!accepts(sr, "src/pre.c\n<<<<<<< SEARCH\nint a\n")); /* a whole line only */
  CHECK(accepts(sr, "src/pre.c\n<<<<<<< SEARCH\nint a;\n=======\nint a = 0;\n>>>>>>> REPLACE"));
  /* changelog */
  CHECK(accepts(cl, "ChangeLog:1@src/main.c\nFixDescription: add the semicolon.\nOriginalCode@4-4:\n[4]   int x = 1\n"
                    "FixedCode@4-4:\n[4]   int x = 1;\n"));
  CHECK(!accepts(cl, "ChangeLog:1@src/main.c\nFixDescription: x\nOriginalCode@4-4:\n[4]   int x = 2\n"));
  CHECK(!accepts(cl, "ChangeLog:1@src/main.c\nFixDescription: x\nOriginalCode@5-4:")); /* b < a */
  CHECK(!accepts(cl, "ChangeLog:1@src/main.c\nFixDescription: x\nOriginalCode@99-")); /* past the end */
  CHECK(accepts(cl, "ChangeLog:1@src/util.c\nFixDescription: swap.\nOriginalCode@7-8:\n[7] \tint r = a - b;\n"
                    "[8] \treturn r;\nFixedCode@7-8:\n[7] \tint r = b - a;\n[8] \treturn r;\n"
                    "ChangeLog:2@src/main.c\nFixDescription: semicolon.\nOriginalCode@4-4:\n[4]   int x = 1\n"
                    "FixedCode@4-4:\n[4]   int x = 1;\n"));
  /* udiff */
  CHECK(accepts(ud, "--- a/src/main.c\n+++ b/src/main.c\n@@ -3,3 +3,3 @@\n int main(void) {\n-  int x = 1\n"
                    "+  int x = 1;\n   return x;\n"));
  CHECK(!accepts(ud, "--- a/src/main.c\n+++ b/src/util.c\n"));        /* the same file both sides */
  CHECK(!accepts(ud, "--- a/src/dup.c\n+++ b/src/dup.c\n@@ -2,1 +2,1 @@\n-  x++;\n+  x--;\n")); /* ambiguous */
  CHECK(accepts(ud, "--- a/src/long.c\n+++ b/src/long.c\n@@ -2,2 +2,2 @@\n---i;\n+++i;\n--x;\n+-y;\n"));
  CHECK(accepts(sr, "src/lonecr.c\n<<<<<<< SEARCH\nint h(void) {return 3\n=======\nint h(void) {return 3;\n>>>>>>> REPLACE"));
  CHECK(!accepts(sr, "src/lonecr.c\n<<<<<<< SEARCH\nint h(void) {\r"));
  CHECK(!accepts(sr, "src/fence.c\n<<<<<<< SEARCH\n```\n"));
  CHECK(accepts(sr, "src/fence.c\n<<<<<<< SEARCH\ncode\n=======\nCODE\n>>>>>>> REPLACE"));
  CHECK(!accepts(ud, "--- a/src/fence.c\n+++ b/src/fence.c\n@@ -1,3 +1,3 @@\n intro\n ```\n"));
  /* a file with a NUL byte is not text: no block may name it (none could be finished) */
  {
    struct fix_shown_file bin[2] = {{"bin.c", "int a;\0\nint b;\n", 15}, {"ok.c", "int c;\n", 7}};
    struct fix_edit_automaton *b = NULL;
    struct fix_err e;
    CHECK(fix_edit_automaton_new(FIX_FMT_SEARCH_REPLACE, bin, 1, &b, &e) == FIX_ERR_ARG);
    CHECK(fix_edit_automaton_new(FIX_FMT_SEARCH_REPLACE, bin, 2, &b, &e) == FIX_OK);
    CHECK(!accepts(b, "bin.c\n"));
    CHECK(accepts(b, "ok.c\n<<<<<<< SEARCH\nint c;\n=======\nint d;\n>>>>>>> REPLACE"));
    fix_edit_automaton_free(b);
  }
  char why[1024];
  const char *good[] = {"src/main.c\n<<<<<<< SEARCH\n  int x = 1\n=======\n  int x = 1;\n>>>>>>> REPLACE"};
  CHECK(applies(FIX_FMT_SEARCH_REPLACE, good[0], why) == 0);
  fix_edit_automaton_free(sr);
  fix_edit_automaton_free(cl);
  fix_edit_automaton_free(ud);
}

static uint64_t rng_state;
static uint32_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 11);
}

/* A random reply the automaton accepts: at each step a random accepted byte (free text kept short
 * and printable), ending as soon as it may after a block or two. Returns 0 when it dead-ended. */
static int finish_bad, finish_known, finish_asked;

/* The finish bytes from this state, when there are any, are accepted and end the reply. */
static void check_finish(const struct fix_edit_automaton *a, const unsigned char *st) {
  unsigned char tmp[512];
  char fin[128];
  size_t n = fix_edit_automaton_finish(a, st, fin, sizeof fin);
  finish_asked++;
  if (n == (size_t)-1)
    return;
  finish_known++;
  memcpy(tmp, st, fix_edit_automaton_state_size());
  for (size_t i = 0; i < n; i++)
    if (!fix_edit_automaton_step(a, tmp, (unsigned char)fin[i])) {
      finish_bad++;
      return;
    }
  finish_bad += !fix_edit_automaton_can_end(a, tmp);
}

static int walk(const struct fix_edit_automaton *a, struct fix_buf *out) {
  unsigned char st[512], tmp[512];
  size_t ss = fix_edit_automaton_state_size();
  fix_edit_automaton_start(a, st);
  fix_buf_clear(out);
  int line_len = 0, blocks = 0;
  for (int steps = 0; steps < 20000; steps++) {
    check_finish(a, st);
    if (fix_edit_automaton_can_end(a, st)) {
      blocks++;
      if (blocks >= 1 + (int)(rnd() % 2) || rnd() % 4 == 0)
        return 1;
    }
    unsigned char ok[256];
    int n = 0;
    for (int c = 1; c < 256; c++) { /* NUL is dropped from generated text: never chosen */
      memcpy(tmp, st, ss);
      if (fix_edit_automaton_step(a, tmp, (unsigned char)c))
        ok[n++] = (unsigned char)c;
    }
    if (!n)
      return fix_edit_automaton_can_end(a, st); /* a dead end unless it may end */
    /* prefer: a newline after a few characters, the closing '>' at a line start, printable text */
    unsigned char pick = ok[rnd() % (unsigned)n];
    int has_nl = 0, has_gt = 0, n_print = 0;
    unsigned char printable[256];
    for (int i = 0; i < n; i++) {
      has_nl |= ok[i] == '\n';
      has_gt |= ok[i] == '>';
      if (ok[i] >= 0x20 && ok[i] < 0x7f)
        printable[n_print++] = ok[i];
    }
    if (has_nl && line_len > 6 && rnd() % 2)
      pick = '\n';
    else if (has_gt && line_len == 0 && rnd() % 3 == 0)
      pick = '>';
    else if (n_print && n > 40)
      pick = printable[rnd() % (unsigned)n_print]; /* free text: printable */
    CHECK(fix_edit_automaton_step(a, st, pick));
    fix_buf_append(out, &pick, 1);
    line_len = pick == '\n' ? 0 : line_len + 1;
  }
  return 0;
}

static void random_walks(void) {
  static const enum fix_edit_format fmts[] = {FIX_FMT_SEARCH_REPLACE, FIX_FMT_CHANGELOG, FIX_FMT_UDIFF};
  struct fix_buf r;
  fix_buf_init(&r, 0);
  for (size_t f = 0; f < 3; f++) {
    struct fix_edit_automaton *a = make(fmts[f]);
    int bad = 0, ended = 0;
    for (int seed = 1; seed <= 1500; seed++) {
      rng_state = 0x9e3779b97f4a7c15ull * (uint64_t)seed + f;
      if (!walk(a, &r)) {
        if (bad++ < 3)
          fprintf(stderr, "%s: a walk dead-ended or ran on (%zu bytes):\n%.2000s\n", fix_edit_format_str(fmts[f]), r.len,
                  r.data ? r.data : "");
        continue;
      }
      ended++;
      char why[1024];
      if (applies(fmts[f], r.data ? r.data : "", why) != 0) {
        if (bad++ < 3)
          fprintf(stderr, "%s: a walk gave a reply that does not apply (%s):\n%s\n", fix_edit_format_str(fmts[f]), why,
                  r.data);
      }
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(ended, 1500);
    printf("%s: finish known at %d of %d states, wrong at %d\n", fix_edit_format_str(fmts[f]), finish_known,
           finish_asked, finish_bad);
    CHECK_EQ_INT(finish_bad, 0);
    CHECK(finish_known * 4 > finish_asked); /* most states know their way to the end */
    finish_bad = finish_known = finish_asked = 0;
    fix_edit_automaton_free(a);
  }
  fix_buf_free(&r);
}

int main(void) {
  char real[4096];
  char *t = fix_mkdtemp("fix-test-automaton");
  if (!t || !realpath(t, real))
    return 1;
  free(t);
  root = fix_strdup(real);
  for (size_t i = 0; i < NFILES; i++)
    put_file(root, files[i].path, files[i].text);
  fixed_replies();
  random_walks();
  fix_rmtree(root);
  free(root);
  return check_summary();
}
