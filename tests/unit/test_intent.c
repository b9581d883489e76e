/* test_intent.c — the developer's change read from two versions of a file (src/intent): renames of
 * fields, functions, methods, macros and Rust items; a removed parameter at its place; and what is
 * not an intent (two candidates, a changed signature, a parameter that cannot be placed). */
#include "check.h"
#include "fix/intent.h"

#include <string.h>

static struct fix_intent cmp(enum fix_lang lang, const char *before, const char *after) {
  struct fix_intent it = {0};
  struct fix_err err;
  CHECK(fix_intent_compare(lang, "/p/f", before, strlen(before), after, strlen(after), &it, &err) == FIX_OK);
  return it;
}

static void test_c(void) {
  struct fix_intent it = cmp(FIX_LANG_C, "struct order { int qty; double price; };\nint total(int a, int verbose, int b);\n"
                                         "#define MAXQ 10\nstatic int helper(int x) { return x; }\n",
                             "struct order { int quantity; double price; };\nint total(int a, int b);\n"
                             "#define MAX_QTY 10\nstatic int helper_v2(int x) { return x; }\n");
  const struct fix_intent_change *c = fix_intent_rename_of(&it, "qty");
  CHECK(c && !strcmp(c->to, "quantity") && !strcmp(c->what, "field"));
  c = fix_intent_rename_of(&it, "MAXQ");
  CHECK(c && !strcmp(c->to, "MAX_QTY"));
  c = fix_intent_rename_of(&it, "helper");
  CHECK(c && !strcmp(c->to, "helper_v2"));
  c = fix_intent_param_removed(&it, "total", 3);
  CHECK(c && c->index == 1 && !strcmp(c->param, "verbose"));
  CHECK(!fix_intent_param_removed(&it, "total", 2));
  fix_intent_free(&it);
  /* not intents: two new functions of the same shape (which one is the old?), a rename that also
   * changed the parameters, (int a, int b) -> (int c) (which went?) */
  it = cmp(FIX_LANG_C, "int f(int x);\nint g(long y);\nint h(int a, int b);\n",
           "int f1(int x);\nint f2(int x);\nint g2(int y);\nint h(int c);\n");
  CHECK(!fix_intent_rename_of(&it, "f") && !fix_intent_rename_of(&it, "g") && !fix_intent_param_removed(&it, "h", 2));
  fix_intent_free(&it);
}

/* parameters added (named, at one place) and reordered (every name kept with its type) */
static void test_signatures(void) {
  struct fix_intent it = cmp(FIX_LANG_C, "void draw(const char *label, int width);\nint emit(int fd, const char *s);\n"
                                         "int sum(int a, int b);\nint both(int a, int b);\nint two(int a, long b);\n",
                             "void draw(int width, const char *label);\nint emit(int fd, unsigned flags, const char *s);\n"
                             "int sum(int b, int a);\nint both(int a, int b, int c, int d);\nint two(long b, int a);\n");
  const struct fix_intent_change *c = fix_intent_signature(&it, "draw", 2);
  CHECK(c && c->kind == FIX_INTENT_PARAMS_REORDERED && c->order[0] == 1 && c->order[1] == 0);
  c = fix_intent_signature(&it, "emit", 2);
  CHECK(c && c->kind == FIX_INTENT_PARAM_ADDED && c->index == 1 && !strcmp(c->param, "flags") && !strcmp(c->type, "unsigned"));
  CHECK(!fix_intent_signature(&it, "emit", 3) && !fix_intent_param_removed(&it, "emit", 2));
  c = fix_intent_signature(&it, "sum", 2); /* same types: still a reordering (by name) */
  CHECK(c && c->kind == FIX_INTENT_PARAMS_REORDERED && c->order[0] == 1);
  CHECK(!fix_intent_signature(&it, "both", 2)); /* two added: not derived */
  c = fix_intent_signature(&it, "two", 2);
  CHECK(c && c->kind == FIX_INTENT_PARAMS_REORDERED);
  fix_intent_free(&it);
  /* not a reordering: a name's type changed on the way, or a name gone */
  it = cmp(FIX_LANG_C, "int f(int a, long b);\nint g(int a, int b);\n", "int f(long b, long a);\nint g(int b, int c);\n");
  CHECK(!fix_intent_signature(&it, "f", 2) && !fix_intent_signature(&it, "g", 2));
  fix_intent_free(&it);
  /* Rust: a parameter added to a method */
  it = cmp(FIX_LANG_RUST, "impl S { fn put(&mut self, k: u32) {} }\n", "impl S { fn put(&mut self, k: u32, ttl: u64) {} }\n");
  c = fix_intent_signature(&it, "put", 2);
  CHECK(c && c->kind == FIX_INTENT_PARAM_ADDED && c->index == 2 && !strcmp(c->param, "ttl") && !strcmp(c->type, "u64"));
  fix_intent_free(&it);
}

/* items moved between files: paired by kind and name, a prototype header to header */
static void test_moves(void) {
  struct fix_intent it = {0};
  struct fix_err err;
  const char *uh0 = "typedef struct { int lo, hi; } range_t;\nint clamp(range_t r, int v);\nint twice(int v);\n";
  const char *uh1 = "int twice(int v);\n", *rh1 = "typedef struct { int lo, hi; } range_t;\nint clamp(range_t r, int v);\n";
  const char *uc0 = "int clamp(range_t r, int v) { return v; }\nint twice(int v) { return 2 * v; }\n";
  const char *uc1 = "int twice(int v) { return 2 * v; }\n", *rc1 = "int clamp(range_t r, int v) { return v; }\n";
  CHECK(fix_intent_compare(FIX_LANG_C, "/p/range.c", "", 0, rc1, strlen(rc1), &it, &err) == FIX_OK);
  CHECK(fix_intent_compare(FIX_LANG_C, "/p/range.h", "", 0, rh1, strlen(rh1), &it, &err) == FIX_OK);
  CHECK(fix_intent_compare(FIX_LANG_C, "/p/util.c", uc0, strlen(uc0), uc1, strlen(uc1), &it, &err) == FIX_OK);
  CHECK(fix_intent_compare(FIX_LANG_C, "/p/util.h", uh0, strlen(uh0), uh1, strlen(uh1), &it, &err) == FIX_OK);
  fix_intent_moves(&it);
  const struct fix_intent_change *c = fix_intent_moved(&it, "clamp");
  CHECK(c && !strcmp(c->file, "/p/range.h") && !strcmp(c->origin, "/p/util.h")); /* the declaration's move */
  c = fix_intent_moved(&it, "range_t");
  CHECK(c && !strcmp(c->file, "/p/range.h"));
  CHECK(!fix_intent_moved(&it, "twice"));
  fix_intent_free(&it);
  /* put in two places: no telling which is the move */
  const char *a0 = "pub fn f() {}\n";
  CHECK(fix_intent_compare(FIX_LANG_RUST, "/p/src/a.rs", a0, strlen(a0), "", 0, &it, &err) == FIX_OK);
  CHECK(fix_intent_compare(FIX_LANG_RUST, "/p/src/b.rs", "", 0, a0, strlen(a0), &it, &err) == FIX_OK);
  CHECK(fix_intent_compare(FIX_LANG_RUST, "/p/src/c.rs", "", 0, a0, strlen(a0), &it, &err) == FIX_OK);
  fix_intent_moves(&it);
  CHECK(!fix_intent_moved(&it, "f"));
  fix_intent_free(&it);
}

static void test_cpp_rust(void) {
  struct fix_intent it = cmp(FIX_LANG_CPP, "namespace app { struct S { int count(int k) const; int n; }; }\n",
                             "namespace app { struct S { int size(int k) const; int n; }; }\n");
  const struct fix_intent_change *c = fix_intent_rename_of(&it, "count");
  CHECK(c && !strcmp(c->to, "size"));
  fix_intent_free(&it);
  it = cmp(FIX_LANG_RUST, "pub struct Order { pub qty: u32 }\nimpl Order { pub fn total(&self, tax: f64, rush: bool) -> f64 { 0.0 } }\n",
           "pub struct Order { pub quantity: u32 }\nimpl Order { pub fn total(&self, rush: bool) -> f64 { 0.0 } }\n");
  c = fix_intent_rename_of(&it, "qty");
  CHECK(c && !strcmp(c->to, "quantity"));
  c = fix_intent_param_removed(&it, "total", 3); /* &self counts */
  CHECK(c && c->index == 1 && !strcmp(c->param, "tax"));
  fix_intent_free(&it);
}

/* the hunks of a diff that name given words, each file's header once */
static void test_hunks(void) {
  struct fix_intent it = {0};
  it.diff = fix_strdup("diff --git a/o.h b/o.h\n--- a/o.h\n+++ b/o.h\n@@ -3 +3 @@\n-  int qty;\n+  int quantity;\n"
                       "@@ -9 +9 @@\n-int other(void);\n+int other2(void);\n"
                       "diff --git a/m.c b/m.c\n--- a/m.c\n+++ b/m.c\n@@ -1 +1 @@\n-int qtyx;\n+int y;\n");
  struct fix_buf b;
  fix_buf_init(&b, 0);
  const char *names[] = {"qty", NULL};
  CHECK_EQ_INT(fix_intent_hunks(&it, names, 3000, &b), 1); /* qtyx is another word */
  CHECK(b.data && strstr(b.data, "+++ b/o.h\n@@ -3 +3 @@\n-  int qty;") && !strstr(b.data, "other") && !strstr(b.data, "m.c"));
  fix_buf_free(&b);
  fix_buf_init(&b, 0);
  CHECK_EQ_INT(fix_intent_hunks(&it, names, 10, &b), 0); /* over the budget */
  fix_buf_free(&b);
  fix_intent_free(&it);
  /* a file without hunks (binary) before one with: each hunk keeps its own file's header */
  it.diff = fix_strdup("diff --git a/logo.png b/logo.png\nBinary files a/logo.png and b/logo.png differ\n"
                       "diff --git a/o.h b/o.h\n--- a/o.h\n+++ b/o.h\n@@ -3 +3 @@\n-  int qty;\n+  int quantity;\n");
  fix_buf_init(&b, 0);
  CHECK_EQ_INT(fix_intent_hunks(&it, names, 3000, &b), 1);
  CHECK(b.data && !strncmp(b.data, "diff --git a/o.h", 16) && !strstr(b.data, "logo"));
  fix_buf_free(&b);
  fix_intent_free(&it);
}

int main(void) {
  test_c();
  test_hunks();
  test_signatures();
  test_moves();
  test_cpp_rust();
  /* outside a repository: no intent, no error */
  struct fix_intent it;
  struct fix_err err;
  CHECK(fix_intent_read("/", &it, &err) == FIX_OK && it.n == 0);
  fix_intent_free(&it);
  return check_summary();
}
