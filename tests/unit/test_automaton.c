/* test_automaton.c — the edit formats as byte automata (constrained decoding): replies a model
 * would write are accepted or rejected as the parser and the matcher would take them, the
 * automaton never dead-ends, and random walks through it — thousands, over tricky files (CRLF,
 * tabs, repeated lines, lines that are prefixes of others, non-ASCII, one line without a final
 * newline, an empty file) — always give a reply that parses and applies; and over files with long
 * runs of identical lines, walks under a budget shorter than a run always end with a block that
 * applies, along ways to the end as short as brute force finds them. */
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

/* Files with long runs of identical lines (built in main): a quote that begins in a run is unique
 * only past the run's end, one line more from its last lines but the whole run from its first ones
 * (the sorted suffixes' first), and a run that ends the file can only be quoted whole, or (empty
 * lines) not at all. With a budget shorter than any run, the end must stay in reach. */
#define NRUNS 4
static struct vfile runs[NRUNS];

/* Under AddressSanitizer every byte step costs much more: CI's sanitizer run takes fewer walks
 * through them (the same checks, a smaller sample). */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifdef SANITIZED
enum { RUN_WALKS = 30, RUN_BUDGETED = 100, RUN_DEEP = 8 };
#else
enum { RUN_WALKS = 100, RUN_BUDGETED = 300, RUN_DEEP = 24 };
#endif

static const struct vfile *file_named(const char *path) {
  for (size_t i = 0; i < NFILES + NRUNS; i++) {
    const struct vfile *f = i < NFILES ? &files[i] : &runs[i - NFILES];
    if (!f->path)
      continue;
    char *p = fix_path_join(root, f->path);
    int same = !strcmp(p, path);
    free(p);
    if (same)
      return f;
  }
  return NULL;
}

static enum fix_status lookup(void *ud, const char *path, const char **data, size_t *len) {
  const struct vfile *f = file_named(path);
  if (!f)
    return FIX_ERR_NOT_FOUND;
  *data = f->text;
  *len = strlen(f->text);
  return FIX_OK;
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

/* 1 when every byte of the text is accepted (it need not end there) */
static int takes(const struct fix_edit_automaton *a, const char *text) {
  unsigned char st[512];
  fix_edit_automaton_start(a, st);
  for (const char *p = text; *p; p++)
    if (!fix_edit_automaton_step(a, st, (unsigned char)*p))
      return 0;
  return 1;
}

/* The reply parses and its edits apply (0), or why not (a message). */
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
  /* no dead ends: a quote that nothing can make unique and not blank is refused (the empty lines
   * that end a file); a file with no block that could be quoted at all is not offered */
  {
    struct fix_shown_file tl[2] = {{"t.c", "int t;\n  x++;\n  x++;\n\n\n", 23}, {"e.c", "=======\n\n  \n", 12}};
    struct fix_edit_automaton *b = NULL;
    struct fix_err e;
    CHECK(fix_edit_automaton_new(FIX_FMT_SEARCH_REPLACE, tl + 1, 1, &b, &e) == FIX_ERR_ARG);
    CHECK(fix_edit_automaton_new(FIX_FMT_SEARCH_REPLACE, tl, 2, &b, &e) == FIX_OK);
    CHECK(!accepts(b, "e.c\n"));
    CHECK(takes(b, "t.c\n<<<<<<< SEARCH\n"));
    CHECK(!takes(b, "t.c\n<<<<<<< SEARCH\n\n"));
    CHECK(accepts(b, "t.c\n<<<<<<< SEARCH\n  x++;\n\n=======\n>>>>>>> REPLACE"));
    CHECK(accepts(b, "t.c\n<<<<<<< SEARCH\n  x++;\n  x++;\n=======\n>>>>>>> REPLACE"));
    CHECK(accepts(b, "t.c\n<<<<<<< SEARCH\nint t;\n  x++;\n  x++;\n\n\n=======\n>>>>>>> REPLACE"));
    fix_edit_automaton_free(b);
    CHECK(fix_edit_automaton_new(FIX_FMT_UDIFF, tl, 1, &b, &e) == FIX_OK);
    CHECK(takes(b, "--- a/t.c\n+++ b/t.c\n@@ -4,1 +4,0 @@\n-"));
    CHECK(!takes(b, "--- a/t.c\n+++ b/t.c\n@@ -4,1 +4,0 @@\n-\n"));
    CHECK(accepts(b, "--- a/t.c\n+++ b/t.c\n@@ -2,2 +2,1 @@\n   x++;\n-  x++;\n"));
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
static int finish_bad, finish_known, finish_asked, finish_off_way;

/* The finish bytes from this state, when there are any, are accepted and end the reply, and each
 * leaves the rest as the way to the end from there (the decoder, forcing the way to the end a token
 * at a time, relies on it). */
static void check_finish(const struct fix_edit_automaton *a, const unsigned char *st) {
  unsigned char tmp[512];
  char fin[128], fin2[128];
  size_t n = fix_edit_automaton_finish(a, st, fin, sizeof fin);
  finish_asked++;
  if (n == (size_t)-1)
    return;
  finish_known++;
  memcpy(tmp, st, fix_edit_automaton_state_size());
  for (size_t i = 0; i < n; i++) {
    if (!fix_edit_automaton_step(a, tmp, (unsigned char)fin[i])) {
      finish_bad++;
      return;
    }
    if (i == 0) {
      size_t n2 = fix_edit_automaton_finish(a, tmp, fin2, sizeof fin2);
      finish_off_way += n2 != n - 1 || memcmp(fin + 1, fin2, n - 1);
    }
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
    CHECK_EQ_INT(finish_off_way, 0);
    CHECK(finish_known * 4 > finish_asked); /* most states know their way to the end */
    finish_bad = finish_known = finish_asked = finish_off_way = 0;
    fix_edit_automaton_free(a);
  }
  fix_buf_free(&r);
}

/* A walk under a budget of bytes (a byte is a token at worst): only bytes after which the
 * shortest ending still fits, as the decoder allows them. Every state entered must keep its ending
 * in reach, the ending must be a way to the end (its first byte leaves the rest as the ending from
 * there), and the walk must end with a reply that applies. 0 when it got stuck or overran. */
static int budget_bad;

static int budget_walk(const struct fix_edit_automaton *a, int budget, struct fix_buf *out) {
  unsigned char st[512], tmp[512];
  char fin[4096], fin2[4096];
  size_t ss = fix_edit_automaton_state_size();
  fix_edit_automaton_start(a, st);
  fix_buf_clear(out);
  int line_len = 0;
  for (;;) {
    int left = budget - (int)out->len;
    size_t fl = fix_edit_automaton_finish(a, st, fin, sizeof fin);
    if (fl == (size_t)-1 || (int)fl > left)
      return 0; /* (at the start: a block always fits in these budgets) */
    if (fix_edit_automaton_can_end(a, st) && (left == 0 || rnd() % 3 == 0))
      return 1;
    if (fl > 0) {
      memcpy(tmp, st, ss);
      CHECK(fix_edit_automaton_step(a, tmp, (unsigned char)fin[0]));
      size_t fl2 = fix_edit_automaton_finish(a, tmp, fin2, sizeof fin2);
      if (fl2 != fl - 1 || memcmp(fin + 1, fin2, fl - 1))
        budget_bad++;
    }
    /* a byte the automaton accepts, drawn again while its ending does not fit (as the decoder does) */
    unsigned char ok[256], pick = 0;
    int n = 0;
    for (int c = 1; c < 256; c++) {
      memcpy(tmp, st, ss);
      if (fix_edit_automaton_step(a, tmp, (unsigned char)c))
        ok[n++] = (unsigned char)c;
    }
    while (n > 0) {
      unsigned char printable[256];
      int has_nl = -1, has_gt = -1, n_print = 0, at = (int)(rnd() % (unsigned)n);
      for (int i = 0; i < n; i++) {
        has_nl = ok[i] == '\n' ? i : has_nl;
        has_gt = ok[i] == '>' ? i : has_gt;
        if (ok[i] >= 0x20 && ok[i] < 0x7f)
          printable[n_print++] = (unsigned char)i;
      }
      if (has_nl >= 0 && (line_len > 6 || rnd() % 3 == 0) && rnd() % 2) /* deep into the runs of empty lines */
        at = has_nl;
      else if (has_gt >= 0 && line_len == 0 && rnd() % 3 == 0)
        at = has_gt;
      else if (n_print && n > 40)
        at = printable[rnd() % (unsigned)n_print];
      memcpy(tmp, st, ss);
      CHECK(fix_edit_automaton_step(a, tmp, ok[at]));
      size_t f2 = fix_edit_automaton_finish(a, tmp, fin2, sizeof fin2);
      if (f2 != (size_t)-1 && (int)f2 + 1 <= left) {
        pick = ok[at];
        break;
      }
      ok[at] = ok[--n];
    }
    if (!n) /* (the ending's own first byte always fits) */
      return fix_edit_automaton_can_end(a, st);
    CHECK(fix_edit_automaton_step(a, st, pick));
    fix_buf_append(out, &pick, 1);
    line_len = pick == '\n' ? 0 : line_len + 1;
  }
}

/* By brute force: the fewest bytes that make a SEARCH section that begins with `quoted` (whole
 * lines so far, or a line begun) a run of whole lines of `text` that is not blank and occurs once
 * (-1: none). */
static int same_bytes(const char *x, const char *y, size_t n) { /* (strncmp is slow under ASan) */
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i] || !x[i])
      return 0;
  return 1;
}

static long sr_shortest(const char *text, const char *quoted) {
  size_t n = strlen(text), lq = strlen(quoted), nm = 0;
  size_t *at = malloc((n + 1) * sizeof *at); /* the line starts that begin with the quote */
  for (size_t p = 0; p < n; p = (size_t)(strchr(text + p, '\n') - text) + 1)
    if (p + lq <= n && same_bytes(text + p, quoted, lq))
      at[nm++] = p;
  int nonblank0 = 0;
  for (size_t i = 0; i < lq; i++)
    nonblank0 |= quoted[i] != ' ' && quoted[i] != '\t' && quoted[i] != '\n';
  long best = -1;
  for (size_t k = nm; k-- > 0;) { /* (from the end: a run's last lines end soonest) */
    size_t p = at[k], s0 = p + lq;
    int nonblank = nonblank0, whole = lq && quoted[lq - 1] == '\n'; /* (then the quote as it is comes first) */
    for (size_t e = s0; e < n || whole; whole = 0) { /* text[p, e): each next whole line added */
      if (!whole) {
        for (; text[e] != '\n'; e++)
          nonblank |= text[e] != ' ' && text[e] != '\t';
        e++;
      }
      if (best >= 0 && (long)(e - s0) >= best)
        break;
      int count = 0; /* the places that begin with the quote and read the same after it */
      for (size_t i = 0; i < nm && count < 2; i++)
        count += at[i] + (e - p) <= n && same_bytes(text + at[i] + lq, text + s0, e - s0);
      if (nonblank && count == 1) {
        best = (long)(e - s0);
        break;
      }
    }
  }
  free(at);
  return best;
}

/* SEARCH sections in the files with runs between ordinary lines: the way to the end is as short as
 * brute force says. */
static void shortest_endings(void) {
  int checked = 0, wrong = 0;
  for (size_t i = 0; i < 2; i++) { /* (the runs between lines: brute force is quadratic in a run that ends the file) */
    struct fix_shown_file sf = {runs[i].path, runs[i].text, strlen(runs[i].text)};
    struct fix_edit_automaton *a = NULL;
    struct fix_err err;
    CHECK(fix_edit_automaton_new(FIX_FMT_SEARCH_REPLACE, &sf, 1, &a, &err) == FIX_OK);
    if (!a)
      continue;
    struct fix_buf q;
    fix_buf_init(&q, 0);
    unsigned char st[512], tmp[512];
    char fin[4096];
    size_t ss = fix_edit_automaton_state_size(), head = strlen(runs[i].path) + strlen("\n<<<<<<< SEARCH\n");
    for (int seed = 1; seed <= RUN_DEEP; seed++) {
      rng_state = 0x51ed270b27a1f3c5ull * (uint64_t)seed + i;
      fix_edit_automaton_start(a, st);
      fix_buf_clear(&q);
      /* deep into the run (its line before it, or not, and some of its copies), then random bytes,
       * checked at each */
      fix_buf_printf(&q, "%s\n<<<<<<< SEARCH\n%s", runs[i].path, rnd() % 2 ? "" : i ? "  int x = 0;\n" : "int a;\n");
      for (int k = (int)(rnd() % 300); k > 0; k--)
        fix_buf_puts(&q, i ? "  x++;\n" : "\n");
      for (size_t k = 0; k < q.len; k++)
        CHECK(fix_edit_automaton_step(a, st, (unsigned char)q.data[k]));
      for (int steps = 0; steps < 40; steps++) {
        size_t fl = fix_edit_automaton_finish(a, st, fin, sizeof fin);
        long want = sr_shortest(runs[i].text, q.data + head);
        checked++;
        if ((want < 0 ? fl != (size_t)-1 : fl != (size_t)want + strlen("=======\n>>>>>>> REPLACE")) && wrong++ < 3)
          fprintf(stderr, "%s: the way to the end is %ld bytes, the shortest %ld, after:\n%s\n", runs[i].path,
                  fl == (size_t)-1 ? -1L : (long)fl, want, q.data);
        unsigned char ok[256];
        int n = 0;
        for (int c = 1; c < 256; c++) {
          memcpy(tmp, st, ss);
          if (c != '=' && fix_edit_automaton_step(a, tmp, (unsigned char)c))
            ok[n++] = (unsigned char)c;
        }
        if (!n)
          break;
        unsigned char pick = ok[rnd() % (unsigned)n];
        CHECK(fix_edit_automaton_step(a, st, pick));
        fix_buf_append(&q, &pick, 1);
      }
    }
    fix_buf_free(&q);
    fix_edit_automaton_free(a);
  }
  printf("search-replace, long runs: the way to the end the shortest at %d of %d states\n", checked - wrong, checked);
  CHECK_EQ_INT(wrong, 0);
}

static void long_runs(void) {
  static const enum fix_edit_format fmts[] = {FIX_FMT_SEARCH_REPLACE, FIX_FMT_CHANGELOG, FIX_FMT_UDIFF};
  struct fix_shown_file sf[NRUNS];
  for (size_t i = 0; i < NRUNS; i++)
    sf[i] = (struct fix_shown_file){runs[i].path, runs[i].text, strlen(runs[i].text)};
  struct fix_buf r;
  fix_buf_init(&r, 0);
  for (size_t f = 0; f < 3; f++) {
    struct fix_edit_automaton *a = NULL;
    struct fix_err err;
    CHECK(fix_edit_automaton_new(fmts[f], sf, NRUNS, &a, &err) == FIX_OK);
    if (!a)
      continue;
    /* unbudgeted walks never dead-end (nothing makes a quote of the empty lines at the end of a
     * file unique and not blank: a run must not be entered where no way out of it is) */
    int bad = 0, stuck = 0, wrong = 0;
    for (int seed = 1; seed <= RUN_WALKS; seed++) {
      rng_state = 0x2545F4914F6CDD1Dull * (uint64_t)seed + f;
      char why[1024];
      if (!walk(a, &r)) {
        if (bad++ < 2)
          fprintf(stderr, "%s, long runs: a walk dead-ended (%zu bytes):\n%.300s...\n", fix_edit_format_str(fmts[f]),
                  r.len, r.data ? r.data : "");
      } else if (applies(fmts[f], r.data ? r.data : "", why) != 0 && bad++ < 2) {
        fprintf(stderr, "%s, long runs: a walk does not apply (%s):\n%.300s\n", fix_edit_format_str(fmts[f]), why,
                r.data);
      }
    }
    CHECK_EQ_INT(finish_bad, 0);
    CHECK_EQ_INT(finish_off_way, 0);
    finish_bad = finish_known = finish_asked = finish_off_way = 0;
    /* budgeted walks: the end stays in reach, and the reply applies */
    for (int seed = 1; seed <= RUN_BUDGETED; seed++) {
      rng_state = 0x9e3779b97f4a7c15ull * (uint64_t)seed + 7 * f;
      int budget = 110 + (int)(rnd() % 60);
      char why[1024];
      if (!budget_walk(a, budget, &r)) {
        if (stuck++ < 2)
          fprintf(stderr, "%s, long runs: stuck under a budget of %d bytes:\n%s\n", fix_edit_format_str(fmts[f]), budget,
                  r.data ? r.data : "");
      } else if (applies(fmts[f], r.data ? r.data : "", why) != 0 && wrong++ < 2) {
        fprintf(stderr, "%s, long runs: a budgeted reply does not apply (%s):\n%s\n", fix_edit_format_str(fmts[f]), why,
                r.data);
      }
    }
    printf("%s, long runs: %d dead ends, %d stuck under a budget, %d wrong, %d endings not on their own way\n",
           fix_edit_format_str(fmts[f]), bad, stuck, wrong, budget_bad);
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(stuck, 0);
    CHECK_EQ_INT(wrong, 0);
    CHECK_EQ_INT(budget_bad, 0);
    budget_bad = 0;
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
  /* ordinary lines around 300 empty lines; around 300 copies of one line; the same at the end of a
   * file; empty lines at the end of a file */
  struct fix_buf rb[NRUNS];
  static const char *const rpaths[NRUNS] = {"run/blank.c", "run/incr.c", "run/tail.c", "run/trail.c"};
  for (size_t i = 0; i < NRUNS; i++) {
    fix_buf_init(&rb[i], 0);
    fix_buf_puts(&rb[i], i == 0 ? "int a;\n" : i == 1 ? "void f(void) {\n  int x = 0;\n" : "int t;\n");
    for (int k = 0; k < 300; k++)
      fix_buf_puts(&rb[i], i == 0 || i == 3 ? "\n" : "  x++;\n");
    fix_buf_puts(&rb[i], i == 0 ? "int b;\nint c;\n" : i == 1 ? "  return x;\n}\n" : "");
    runs[i] = (struct vfile){rpaths[i], rb[i].data};
    put_file(root, rpaths[i], rb[i].data);
  }
  fixed_replies();
  random_walks();
  long_runs();
  shortest_endings();
  for (size_t i = 0; i < NRUNS; i++)
    fix_buf_free(&rb[i]);
  fix_rmtree(root);
  free(root);
  return check_summary();
}
