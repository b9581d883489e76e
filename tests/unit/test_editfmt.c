/* test_editfmt.c — the three edit formats: every leniency (fences, CRLF, blank lines, drifted line
 * numbers, tabs vs spaces, missing final newline, several files, bare names) and every rejection
 * (no blocks, text not found, ambiguous, outside the root, missing file, no-op, overlaps). */
#include "check.h"
#include "fix/patch.h"

static char *root;

struct vfile {
  const char *path; /* relative */
  const char *text;
};
static struct vfile files[] = {
    {"src/main.c", "#include \"util.h\"\n\nint main(void) {\n  int x = 1\n  return x;\n}\n"},
    {"src/util.c", "int add(int a, int b) {\n\tint r = a + b;\n\treturn r;\n}\n\nint sub(int a, int b) {\n\tint r = a - b;\n\treturn r;\n}\n"},
    {"src/crlf.c", "int f(void) {\r\n  return 1\r\n}\r\n"},
    {"src/nonl.c", "int g(void) { return 2 }"},
    {"src/dup.c", "void a(void) {\n  x++;\n}\nvoid b(void) {\n  x++;\n}\n"},
    {"src/lonecr.c", "int h(void) {\rreturn 3\n}\n"}, /* old Mac line end inside a line */
};

static enum fix_status lookup(void *ud, const char *path, const char **data, size_t *len) {
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
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

/* Applies `reply` and returns the new text of `rel` (NULL on rejection; reason in *why). */
static char *apply(enum fix_edit_format fmt, const char *reply, const char *rel, char *why) {
  struct fix_strv known = {0};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++)
    fix_strv_push_own(&known, fix_path_join(root, files[i].path));
  struct fix_edit_list el = {0};
  struct fix_err err = {0};
  enum fix_status st = fix_reply_parse(fmt, reply, strlen(reply), root, &known, lookup, NULL, &el, &err);
  fix_strv_free(&known);
  if (why)
    snprintf(why, 1024, "%s", err.msg);
  if (st)
    return NULL;
  char *p = fix_path_join(root, rel);
  const char *data;
  size_t len;
  lookup(NULL, p, &data, &len);
  struct fix_edit sub[16];
  size_t m = 0;
  for (size_t i = 0; i < el.n && m < 16; i++)
    if (!strcmp(el.v[i].file, p))
      sub[m++] = el.v[i];
  struct fix_buf out;
  char *r = fix_edits_apply_text(data, len, sub, m, &out, NULL) == FIX_OK ? fix_buf_take(&out) : NULL;
  fix_edit_list_free(&el);
  free(p);
  return r;
}

#define MAIN_FIXED "#include \"util.h\"\n\nint main(void) {\n  int x = 1;\n  return x;\n}\n"

static void expect_text(enum fix_edit_format fmt, const char *reply, const char *rel, const char *want) {
  char why[1024];
  char *got = apply(fmt, reply, rel, why);
  if (!got)
    fprintf(stderr, "rejected: %s\n--- reply:\n%s\n", why, reply);
  CHECK_EQ_STR(got, want);
  free(got);
}

static void expect_reject(enum fix_edit_format fmt, const char *reply, const char *reason_part) {
  char why[1024];
  char *got = apply(fmt, reply, "src/main.c", why);
  CHECK(got == NULL);
  if (!strstr(why, reason_part))
    fprintf(stderr, "reason '%s' lacks '%s'\n", why, reason_part);
  CHECK(strstr(why, reason_part) != NULL);
  free(got);
}

static void changelog(void) {
  enum fix_edit_format F = FIX_FMT_CHANGELOG;
  expect_text(F, "ChangeLog:1@src/main.c\nFixDescription: add ';'.\nOriginalCode@4-4:\n[4]   int x = 1\n"
                 "FixedCode@4-4:\n[4]   int x = 1;\n", "src/main.c", MAIN_FIXED);
  /* fenced, drifted numbers (says 9, it is 4), CRLF reply, no colons, backticked path */
  expect_text(F, "Here is the fix:\r\n```\r\nChangeLog:1@`src/main.c`\r\nOriginalCode@9-9\r\n[9]   int x = 1\r\n"
                 "FixedCode@9-9\r\n[9]   int x = 1;\r\n```\r\n", "src/main.c", MAIN_FIXED);
  /* numbers dropped by the model, bare file name */
  expect_text(F, "ChangeLog:1@main.c\nOriginalCode@4-5:\n  int x = 1\n  return x;\nFixedCode@4-5:\n  int x = 1;\n"
                 "  return x;\n", "src/main.c", MAIN_FIXED);
  /* insertion: empty original with b < a */
  expect_text(F, "ChangeLog:1@src/main.c\nOriginalCode@2-1:\nFixedCode@2-2:\n[2] #include <stdio.h>\n", "src/main.c",
              "#include \"util.h\"\n#include <stdio.h>\n\nint main(void) {\n  int x = 1\n  return x;\n}\n");
  /* the hint picks between two identical snippets */
  expect_text(F, "ChangeLog:1@src/dup.c\nOriginalCode@5-5:\n[5]   x++;\nFixedCode@5-5:\n[5]   x--;\n", "src/dup.c",
              "void a(void) {\n  x++;\n}\nvoid b(void) {\n  x--;\n}\n");
  expect_reject(F, "ChangeLog:1@src/main.c\nOriginalCode@4-4:\n[4]   int x = 1\n", "without a FixedCode");
  expect_reject(F, "OriginalCode@4-4:\n[4]   int x = 1\nFixedCode@4-4:\n[4] int x = 1;\n", "names the file");
  expect_reject(F, "I think the problem is a missing semicolon.", "no changelog edit block");
}

static void search_replace(void) {
  enum fix_edit_format F = FIX_FMT_SEARCH_REPLACE;
  expect_text(F, "src/main.c\n```c\n<<<<<<< SEARCH\n  int x = 1\n=======\n  int x = 1;\n>>>>>>> REPLACE\n```\n",
              "src/main.c", MAIN_FIXED);
  /* tabs in the file, spaces in the reply: matched, and the replacement takes the file's tabs */
  expect_text(F, "**File: src/util.c**\n<<<<<<< SEARCH\n    int r = a - b;\n    return r;\n=======\n    int r = a - b;\n"
                 "    return r * 1;\n>>>>>>> REPLACE\n", "src/util.c",
              "int add(int a, int b) {\n\tint r = a + b;\n\treturn r;\n}\n\nint sub(int a, int b) {\n\tint r = a - b;\n"
              "\treturn r * 1;\n}\n");
  /* extra blank lines around the search text, trailing spaces */
  expect_text(F, "src/main.c\n<<<<<<< SEARCH\n\n  int x = 1   \n\n=======\n  int x = 1;\n>>>>>>> REPLACE\n",
              "src/main.c", MAIN_FIXED);
  /* CRLF file: the replacement keeps CRLF */
  expect_text(F, "src/crlf.c\n<<<<<<< SEARCH\n  return 1\n=======\n  return 1;\n>>>>>>> REPLACE\n", "src/crlf.c",
              "int f(void) {\r\n  return 1;\r\n}\r\n");
  /* a lone CR in the file: the reply's CRs are dropped when read, so the matcher skips the file's
   * too (found by fuzz_automaton: the constrained decoder quoted such a line, the matcher refused it) */
  expect_text(F, "src/lonecr.c\n<<<<<<< SEARCH\nint h(void) {return 3\n=======\nint h(void) {return 3;\n>>>>>>> REPLACE\n",
              "src/lonecr.c", "int h(void) {return 3;\n}\n");
  /* no final newline in the file */
  expect_text(F, "src/nonl.c\n<<<<<<< SEARCH\nint g(void) { return 2 }\n=======\nint g(void) { return 2; }\n>>>>>>> "
                 "REPLACE\n", "src/nonl.c", "int g(void) { return 2; }");
  /* two files in one reply */
  char why[1024];
  const char *two = "src/main.c\n<<<<<<< SEARCH\n  int x = 1\n=======\n  int x = 1;\n>>>>>>> REPLACE\n\nsrc/nonl.c\n"
                    "<<<<<<< SEARCH\nint g(void) { return 2 }\n=======\nint g(void) { return 3; }\n>>>>>>> REPLACE\n";
  char *a = apply(F, two, "src/main.c", why), *b = apply(F, two, "src/nonl.c", why);
  CHECK_EQ_STR(a, MAIN_FIXED);
  CHECK_EQ_STR(b, "int g(void) { return 3; }");
  free(a);
  free(b);
  expect_reject(F, "src/dup.c\n<<<<<<< SEARCH\n  x++;\n=======\n  x--;\n>>>>>>> REPLACE\n", "occurs 2 times");
  expect_reject(F, "src/main.c\n<<<<<<< SEARCH\n  int y = 2\n=======\n  int y = 2;\n>>>>>>> REPLACE\n",
                "'int y = 2' is not in the file");
  expect_reject(F, "../etc/passwd\n<<<<<<< SEARCH\nroot\n=======\nx\n>>>>>>> REPLACE\n", "outside the project");
  expect_reject(F, "src/nothere.c\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n", "does not exist");
  expect_reject(F, "src/main.c\n<<<<<<< SEARCH\n  int x = 1\n=======\n  int x = 1\n>>>>>>> REPLACE\n", "changes nothing");
  expect_reject(F, "src/main.c\n<<<<<<< SEARCH\n  int x = 1\n=======\n  int x = 1;\n", "missing >>>>>>> REPLACE");
  expect_reject(F, "src/main.c\n<<<<<<< SEARCH\n=======\nint z;\n>>>>>>> REPLACE\n", "SEARCH section is empty");
  expect_reject(F, "src/main.c\n<<<<<<< SEARCH\n  int x = 1\n  return x;\n=======\n  int x = 1;\n  return x;\n>>>>>>> "
                   "REPLACE\nsrc/main.c\n<<<<<<< SEARCH\n  return x;\n=======\n  return 0;\n>>>>>>> REPLACE\n",
                "same lines");
}

static void udiff(void) {
  enum fix_edit_format F = FIX_FMT_UDIFF;
  expect_text(F, "```diff\n--- a/src/main.c\n+++ b/src/main.c\n@@ -3,4 +3,4 @@\n int main(void) {\n-  int x = 1\n"
                 "+  int x = 1;\n   return x;\n }\n```\n", "src/main.c", MAIN_FIXED);
  /* wrong counts and line numbers, blank context line without its space, no numbers at all */
  expect_text(F, "--- src/util.c\n+++ src/util.c\n@@ -40,9 +40,9 @@\n\n int sub(int a, int b) {\n-\tint r = a - b;\n"
                 "+\tint r = b - a;\n", "src/util.c",
              "int add(int a, int b) {\n\tint r = a + b;\n\treturn r;\n}\n\nint sub(int a, int b) {\n\tint r = b - a;\n"
              "\treturn r;\n}\n");
  expect_text(F, "--- a/src/main.c\n+++ b/src/main.c\n@@ ... @@\n-  int x = 1\n+  int x = 1;\n", "src/main.c", MAIN_FIXED);
  /* a pure insertion hunk ("-1,0" inserts after line 1) */
  expect_text(F, "--- a/src/main.c\n+++ b/src/main.c\n@@ -1,0 +2,1 @@\n+#include <stdio.h>\n", "src/main.c",
              "#include \"util.h\"\n#include <stdio.h>\n\nint main(void) {\n  int x = 1\n  return x;\n}\n");
  expect_reject(F, "--- /dev/null\n+++ b/src/new.c\n@@ -0,0 +1 @@\n+int n;\n", "new file");
  expect_reject(F, "--- a/src/main.c\n+++ b/src/main.c\n@@ -4 +4 @@\n-  int q = 1\n+  int q = 1;\n", "not in the file");
}

int main(void) {
  root = fix_strdup("/nonexistent-root");
  changelog();
  search_replace();
  udiff();
  enum fix_edit_format f;
  CHECK(fix_edit_format_from_str("udiff", &f) == 0 && f == FIX_FMT_UDIFF);
  CHECK(fix_edit_format_from_str("bogus", &f) != 0);
  free(root);
  return check_summary();
}
