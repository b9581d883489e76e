/* test_context.c — the pinned tree-sitter grammars load into Debian's libtree-sitter (parser ABI)
 * and find the item enclosing a line in C, C++ and Rust; the items of a file, and what an edit
 * destroyed, judged before/after for each language. */
#include "check.h"
#include "fix/context.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdarg.h>
#include <time.h>

static enum fix_status disk(void *ud, const char *path, const char **data, size_t *len) {
  static struct fix_buf bufs[64];
  static int n;
  struct fix_buf *b = &bufs[n++ % 64];
  fix_buf_free(b);
  enum fix_status st = fix_file_read(path, 1 << 24, b, NULL);
  if (st)
    return st;
  *data = b->data;
  *len = b->len;
  return FIX_OK;
}

/* tests/context/<case>/case.json -> the rendered context must equal expected.txt */
static void golden_case(const char *dir) {
  char *cj = fix_path_join(dir, "case.json");
  struct fix_buf b;
  if (fix_file_read(cj, 1 << 20, &b, NULL) != FIX_OK) {
    free(cj);
    return;
  }
  cJSON *j = cJSON_Parse(b.data);
  fix_buf_free(&b);
  struct fix_ctx_loc locs[8];
  char *paths[8];
  size_t n = 0;
  paths[n] = fix_path_join(dir, cJSON_GetObjectItem(j, "file")->valuestring);
  locs[n].file = paths[n];
  locs[n].line = cJSON_GetObjectItem(j, "line")->valueint;
  n++;
  const cJSON *note;
  cJSON_ArrayForEach(note, cJSON_GetObjectItem(j, "notes")) {
    if (n == 8)
      break;
    paths[n] = fix_path_join(dir, cJSON_GetArrayItem(note, 0)->valuestring);
    locs[n].file = paths[n];
    locs[n].line = cJSON_GetArrayItem(note, 1)->valueint;
    n++;
  }
  char *incs[4] = {0};
  size_t ni = 0;
  const cJSON *inc;
  cJSON_ArrayForEach(inc, cJSON_GetObjectItem(j, "include_dirs")) if (ni < 3) incs[ni++] = fix_path_join(dir, inc->valuestring);
  struct fix_ctx_request req = {0};
  req.root = dir;
  req.locs = locs;
  req.nlocs = n;
  req.message = cJSON_GetObjectItem(j, "message")->valuestring;
  req.include_dirs = (const char *const *)incs;
  const cJSON *bud = cJSON_GetObjectItem(j, "budget"), *win = cJSON_GetObjectItem(j, "window"),
              *mil = cJSON_GetObjectItem(j, "max_item_lines");
  req.budget_tokens = bud ? bud->valueint : 0;
  req.window = win ? win->valueint : 0;
  req.max_item_lines = mil ? mil->valueint : 0;
  struct fix_context ctx;
  struct fix_err err;
  CHECK(fix_context_collect(&req, disk, NULL, &ctx, &err) == FIX_OK);
  struct fix_buf out;
  fix_buf_init(&out, 0);
  fix_context_render(&ctx, dir, disk, NULL, &out);
  for (size_t i = 0; i < ctx.n; i++)
    fix_buf_printf(&out, "# %d %d-%d %s\n", ctx.v[i].prio, ctx.v[i].first, ctx.v[i].last, ctx.v[i].why);
  fix_buf_printf(&out, "# tokens %d, dropped %d\n", ctx.tokens, ctx.dropped);
  if (req.budget_tokens)
    CHECK(ctx.tokens <= req.budget_tokens);
  char *exp = fix_path_join(dir, "expected.txt");
  if (getenv("FIX_GOLDEN_UPDATE"))
    CHECK(fix_file_write_atomic(exp, out.data, out.len, NULL) == FIX_OK);
  struct fix_buf want;
  if (fix_file_read(exp, 1 << 20, &want, NULL) != FIX_OK) {
    fprintf(stderr, "missing %s (FIX_GOLDEN_UPDATE=1)\n", exp);
    CHECK(0);
  } else {
    if (strcmp(want.data, out.data))
      fprintf(stderr, "context mismatch for %s:\n%s\n", dir, out.data);
    CHECK(strcmp(want.data, out.data) == 0);
    fix_buf_free(&want);
  }
  fix_buf_free(&out);
  fix_context_free(&ctx);
  for (size_t i = 0; i < n; i++)
    free(paths[i]);
  for (size_t i = 0; i < ni; i++)
    free(incs[i]);
  free(exp);
  free(cj);
  cJSON_Delete(j);
}

static int golden(void) {
  const char *root = FIX_TEST_DATA "/context";
  DIR *d = opendir(root);
  struct dirent *e;
  int cases = 0;
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char *dir = fix_path_join(root, e->d_name);
    golden_case(dir);
    free(dir);
    cases++;
  }
  if (d)
    closedir(d);
  return cases;
}

static void enclosing(enum fix_lang lang, const char *src, int line, int want_first, int want_last,
                      const char *want_kind) {
  int a = 0, b = 0;
  const char *kind = NULL;
  struct fix_err err;
  enum fix_status st = fix_context_enclosing(lang, src, strlen(src), line, 0, &a, &b, &kind, &err);
  CHECK(st == FIX_OK);
  CHECK_EQ_INT(a, want_first);
  CHECK_EQ_INT(b, want_last);
  if (st == FIX_OK)
    CHECK_EQ_STR(kind, want_kind);
}

/* ---- items and what an edit destroyed ---- */

/* text with every occurrence of each `from` replaced by its `to`: subst(text, from, to, ..., NULL).
 * A `from` that is not there is a broken test. Owned. */
static char *subst(const char *text, ...) {
  char *cur = fix_strdup(text);
  va_list ap;
  va_start(ap, text);
  const char *from;
  while ((from = va_arg(ap, const char *))) {
    const char *to = va_arg(ap, const char *);
    CHECK(strstr(cur, from) != NULL);
    struct fix_buf b;
    fix_buf_init(&b, 0);
    const char *p = cur, *q;
    while ((q = strstr(p, from))) {
      fix_buf_append(&b, p, (size_t)(q - p));
      fix_buf_append(&b, to, strlen(to));
      p = q + strlen(from);
    }
    fix_buf_append(&b, p, strlen(p));
    free(cur);
    cur = fix_strdup(b.data ? b.data : "");
    fix_buf_free(&b);
  }
  va_end(ap);
  return cur;
}

/* The sentences for before -> after must be `want` (lines joined by '\n', "" for none), and the
 * count returned their number. */
static void destroyed_at(int line, enum fix_lang lang, const char *before, const char *after,
                         const char *const *allowed, const char *want) {
  struct fix_items b, a;
  struct fix_err err;
  enum fix_status sb = fix_context_items(lang, before, strlen(before), &b, &err);
  enum fix_status sa = fix_context_items(lang, after, strlen(after), &a, &err);
  struct fix_strv out = {0};
  fix_strv_push(&out, "(kept)"); /* sentences are appended */
  int n = fix_items_destroyed(&b, &a, allowed, &out);
  struct fix_buf got;
  fix_buf_init(&got, 0);
  for (size_t i = 1; i < out.n; i++)
    fix_buf_printf(&got, "%s%s", i > 1 ? "\n" : "", out.v[i]);
  const char *g = got.data ? got.data : "";
  int ok = sb == FIX_OK && sa == FIX_OK && !strcmp(g, want) && n == (int)out.n - 1 && !strcmp(out.v[0], "(kept)");
  if (ok) {
    check_pass++;
  } else {
    check_fail++;
    fprintf(stderr, "%s:%d: destroyed (%s): got %d sentence(s):\n%s\n-- want:\n%s\n", __FILE__, line,
            fix_lang_str(lang), n, g, want);
  }
  /* the incremental parse of `after` gives the same items */
  struct fix_items b2, a2;
  CHECK(fix_context_items_edit(lang, before, strlen(before), after, strlen(after), &b2, &a2, &err) == FIX_OK);
  struct fix_strv out2 = {0};
  fix_items_destroyed(&b2, &a2, allowed, &out2);
  int same = out2.n + 1 == out.n && a2.n == a.n && b2.n == b.n;
  for (size_t i = 0; same && i < out2.n; i++)
    same = !strcmp(out2.v[i], out.v[i + 1]);
  for (size_t i = 0; same && i < a.n; i++)
    same =
        !strcmp(a.v[i].name, a2.v[i].name) && a.v[i].first == a2.v[i].first && a.v[i].body_lines == a2.v[i].body_lines;
  if (!same)
    fprintf(stderr, "%s:%d: fix_context_items_edit differs from fix_context_items\n", __FILE__, line);
  CHECK(same);
  fix_strv_free(&out2);
  fix_items_free(&b2);
  fix_items_free(&a2);
  fix_buf_free(&got);
  fix_strv_free(&out);
  fix_items_free(&b);
  fix_items_free(&a);
}
#define DESTROYED(...) destroyed_at(__LINE__, __VA_ARGS__)

static const struct fix_item *item_named(const struct fix_items *it, const char *kind, const char *name) {
  for (size_t i = 0; i < it->n; i++)
    if (!strcmp(it->v[i].kind, kind) && !strcmp(it->v[i].name, name))
      return &it->v[i];
  return NULL;
}

#define C_HEAD                                                                                                         \
  "#include <stdio.h>\n#define MAX_DEPTH 8\n#define SQR(x) ((x) * (x))\n\n"                                            \
  "struct order {\n  int id;\n  int qty;\n  double price;\n};\n\n"                                                     \
  "typedef struct {\n  int x, y;\n} point_t;\n\n"                                                                      \
  "enum color { RED, GREEN };\n\n"                                                                                     \
  "int emit_line(FILE *out, const char *s, int flags);\n\n"                                                            \
  "static int counter;\n\n"
#define C_WEIGHTED                                                                                                     \
  "double lib_weighted(const struct order *o, double w) {\n  double t = o->price * o->qty;\n  if (w > 1.0)\n"          \
  "    t *= w;\n  return t;\n}\n\n"
#define C_EMIT                                                                                                         \
  "int emit_line(FILE *out, const char *s, int flags) {\n  if (flags & 1)\n    fputs(\"> \", out); /* a prompt */\n"   \
  "  fputs(s, out);\n  fputc('\\n', out);\n  counter++;\n  return 0;\n}\n\n"
#define C_MAIN                                                                                                         \
  "int main(void) {\n  struct order o = {1, 2, 3.0};\n  emit_line(stdout, \"start\", 0);\n"                            \
  "  printf(\"%f\\n\", lib_weighted(&o, 2.0));\n  return 0;\n}\n"

static void items_c(void) {
  const enum fix_lang L = FIX_LANG_C;
  const char *base = C_HEAD C_WEIGHTED C_EMIT C_MAIN;
  struct fix_items it;
  CHECK(fix_context_items(L, base, strlen(base), &it, NULL) == FIX_OK);
  CHECK_EQ_INT(it.n, 18);
  const struct fix_item *f = item_named(&it, "function", "emit_line");
  CHECK(f && f->body_lines == -1 && f->first == 17); /* the prototype comes first */
  f = f ? item_named(&(struct fix_items){(struct fix_item *)f + 1, it.n - (size_t)(f + 1 - it.v)}, "function",
                     "emit_line")
        : NULL;
  CHECK(f != NULL);
  if (f) {
    CHECK_EQ_INT(f->first, 28);
    CHECK_EQ_INT(f->last, 35);
    CHECK_EQ_INT(f->body_lines, 6); /* braces and the comment do not count */
    CHECK_EQ_INT(f->empty_body, 0);
    CHECK_EQ_STR(f->params, "(FILE *out, const char *s, int flags)");
    CHECK_EQ_INT(f->param_names.n, 3);
    CHECK_EQ_STR(f->param_names.v[2], "flags");
    CHECK_EQ_STR(f->param_types.v[0], "FILE*");
  }
  f = item_named(&it, "field", "struct point_t.y"); /* an anonymous struct named by its typedef */
  CHECK(f && f->parent >= 0 && !strcmp(it.v[f->parent].kind, "struct") && it.v[f->parent].parent >= 0 &&
        !strcmp(it.v[it.v[f->parent].parent].kind, "typedef"));
  f = item_named(&it, "function", "main");
  CHECK(f && f->params && f->param_types.n == 0); /* (void) */
  CHECK(item_named(&it, "enum_constant", "GREEN") && item_named(&it, "global", "counter") &&
        item_named(&it, "macro", "SQR") && item_named(&it, "field", "struct order.qty"));
  fix_items_free(&it);
  fix_items_free(&it); /* twice is harmless */
  fix_items_free(NULL);

  char *t;
  /* destroyed */
  DESTROYED(L, base, C_HEAD C_EMIT C_MAIN, NULL, "removes function 'lib_weighted'");
  DESTROYED(L, base, C_HEAD C_WEIGHTED C_EMIT "int main(void) {\n}\n", NULL, "empties the body of 'main'");
  DESTROYED(L, base, C_HEAD C_WEIGHTED C_EMIT "int main(void) {\n  /* later */\n}\n", NULL,
            "empties the body of 'main'");
  DESTROYED(L, base, t = subst(base, "emit_line", "emit_lin", NULL), NULL,
            "renames function 'emit_line' to 'emit_lin'"); /* prototype and definition: said once */
  free(t);
  t = subst(base, ", int flags)", ")", "flags & 1", "1", NULL);
  DESTROYED(L, base, t, NULL, "removes parameter 'flags' of 'emit_line'");
  DESTROYED(L, base, t, (const char *const[]){"emit_line", NULL}, ""); /* the error is about emit_line */
  DESTROYED(L, base, t, (const char *const[]){"main", "flags", NULL}, "removes parameter 'flags' of 'emit_line'");
  free(t);
  DESTROYED(L, base, t = subst(base, "double w)", "float w)", NULL), NULL,
            "changes the parameters of 'lib_weighted' from '(const struct order *o, double w)' to "
            "'(const struct order *o, float w)'");
  free(t);
  DESTROYED(L, base, t = subst(base, "(FILE *out, const char *s", "(FILE* out, const char* s", NULL), NULL, "");
  free(t);
  DESTROYED(L, base, t = subst(base, "  int qty;\n", "", NULL), NULL, "removes field 'qty' of struct 'order'");
  free(t);
  DESTROYED(L, base, t = subst(base, "int x, y;", "int x;", NULL), NULL, "removes field 'y' of struct 'point_t'");
  free(t);
  DESTROYED(L, base, t = subst(base, ", GREEN", "", NULL), NULL, "removes enum constant 'GREEN' of enum 'color'");
  free(t);
  DESTROYED(L, base, t = subst(base, "#define SQR(x) ((x) * (x))", "#define SQR(x, y) ((x) * (y))", NULL), NULL,
            "changes the parameters of 'SQR' from '(x)' to '(x, y)'");
  free(t);
  DESTROYED(L, base,
            t = subst(base, "  if (flags & 1)\n    fputs(\"> \", out); /* a prompt */\n", "",
                      "  fputc('\\n', out);\n  counter++;\n", "", NULL),
            NULL, "removes most of the body of 'emit_line' (2 of 6 lines left)");
  free(t);
  /* a body replaced by a plausible return: half of it gone is most of it */
  DESTROYED(L, base,
            t = subst(base, "  if (flags & 1)\n    fputs(\"> \", out); /* a prompt */\n  fputs(s, out);\n", "", NULL),
            NULL, "removes most of the body of 'emit_line' (3 of 6 lines left)");
  free(t);
  DESTROYED(L, base, C_HEAD "double lib_weighted(const struct order *o, double w);\n\n" C_EMIT C_MAIN, NULL,
            "removes the definition of function 'lib_weighted'");
  /* a header's prototype is an item; in a .c file its definition stands for it */
  DESTROYED(L, "int emit_line(FILE *out, const char *s, int flags);\nvoid reset(void);\n", "void reset(void);\n", NULL,
            "removes the declaration of function 'emit_line'");
  DESTROYED(L, base, t = subst(base, "int emit_line(FILE *out, const char *s, int flags);\n\n", "", NULL), NULL, "");
  free(t);
  /* not destroyed */
  DESTROYED(L, C_HEAD C_WEIGHTED C_WEIGHTED C_EMIT C_MAIN, base, NULL, ""); /* a duplicate removed */
  DESTROYED(L, base, t = subst(base, "o->price * o->qty", "o->price * (double)o->qty", NULL), NULL, "");
  free(t);
  DESTROYED(L, base, C_HEAD C_EMIT C_MAIN C_WEIGHTED, NULL, ""); /* moved */
  DESTROYED(L, base,
            C_HEAD C_WEIGHTED C_EMIT
            "static int clamp(int v, int lo, int hi) {\n  return v < lo ? lo : v > hi ? hi : v;\n}\n\n" C_MAIN,
            NULL, "");
  DESTROYED(L, base, base, NULL, "");
  /* the whole file: each top-level item once, its members with it */
  DESTROYED(L, base, "", NULL,
            "removes macro 'MAX_DEPTH'\nremoves macro 'SQR'\nremoves struct 'order'\nremoves typedef 'point_t'\n"
            "removes enum 'color'\nremoves the declaration of function 'emit_line'\nremoves global 'counter'\n"
            "removes function 'lib_weighted'\nremoves function 'emit_line'\nremoves function 'main'");
  DESTROYED(L, "", base, NULL, "");
  /* a broken parse: items come from what the tree still holds, nothing crashes */
  t = subst(base, "  return t;\n}\n", "  return t;\n", NULL);
  CHECK_EQ_INT(fix_context_has_syntax_errors(L, t, strlen(t)), 1);
  /* (what tree-sitter makes of the rest: emit_line nested in lib_weighted, main lost) */
  DESTROYED(L, base, t, NULL, "removes the definition of function 'emit_line'\nremoves function 'main'");
  free(t);
  t = subst(base, "int main(void) {", "int main(void) { @@ (", NULL);
  DESTROYED(L, base, t, NULL, "removes function 'main'");
  free(t);
}

#define CPP_CLASS                                                                                                      \
  "#include <string>\nnamespace app {\nclass Counter {\n  int n_;\n  int step_;\npublic:\n  Counter(int step);\n"      \
  "  void bump() { n_ += step_; }\n  int get() const;\n  template <class T> void add(T v) { n_ += (int)v; }\n"         \
  "  enum class Mode { Up, Down };\n};\n\n"                                                                            \
  "Counter::Counter(int step) : n_(0), step_(step) {}\n\nint Counter::get() const {\n  return n_;\n}\n\n"
#define CPP_TWICE "int twice(int v, int scale) {\n  int r = v * 2;\n  r *= scale;\n  return r;\n}\n\n"
#define CPP_BOX                                                                                                        \
  "template <typename T> struct Box {\n  T v;\n  T get() const;\n};\n\n"                                               \
  "template <typename T> T Box<T>::get() const { return v; }\n}\n\n"
#define CPP_MAIN "int main() {\n  app::Counter c(1);\n  c.bump();\n  return app::twice(c.get(), 1);\n}\n"

static void items_cpp(void) {
  const enum fix_lang L = FIX_LANG_CPP;
  const char *base = CPP_CLASS CPP_TWICE CPP_BOX CPP_MAIN;
  struct fix_items it;
  CHECK(fix_context_items(L, base, strlen(base), &it, NULL) == FIX_OK);
  CHECK_EQ_INT(it.n, 18);
  const struct fix_item *f = item_named(&it, "method", "app::Counter::bump");
  CHECK(f && f->parent >= 0 && !strcmp(it.v[f->parent].name, "app::Counter") && f->body_lines == 1);
  f = item_named(&it, "method", "app::Counter::add"); /* a member template */
  CHECK(f && f->first == 10 && f->params && !strcmp(f->params, "(T v)"));
  CHECK(item_named(&it, "field", "class app::Counter.step_") &&
        item_named(&it, "enum_constant", "app::Counter::Mode::Up") && item_named(&it, "method", "app::Box::get") &&
        item_named(&it, "function", "app::twice") && item_named(&it, "field", "struct app::Box.v"));
  f = item_named(&it, "struct", "app::Box");
  CHECK(f && f->first == 26); /* the template header counts */
  fix_items_free(&it);

  char *t;
  DESTROYED(L, base, CPP_CLASS CPP_BOX CPP_MAIN, NULL, "removes function 'app::twice'");
  DESTROYED(L, base, t = subst(base, "  void bump() { n_ += step_; }\n", "", NULL), NULL,
            "removes method 'app::Counter::bump'");
  free(t);
  DESTROYED(L, base, t = subst(base, "const {\n  return n_;\n}", "const {\n}", NULL), NULL,
            "empties the body of 'app::Counter::get'");
  free(t);
  DESTROYED(L, base, t = subst(base, "twice", "twice2", NULL), NULL, "renames function 'app::twice' to 'app::twice2'");
  free(t);
  /* renamed onto a name that stands (an overload beside the old one): a rename, not a removal */
  const char *ovl = "struct El {\n  void Set(int v);\n  void Set(double v);\n};\n"
                   "void El::Set(int v) { (void)v; }\nvoid El::Set_impl(double v) { (void)v; }\n";
  DESTROYED(L, ovl, t = subst(ovl, "Set_impl", "Set", NULL), NULL, "renames method 'El::Set_impl' to 'El::Set'");
  free(t);
  /* ... but a free function renamed onto an overload's name takes calls from the one that stood */
  const char *fov = "int f(int v) { return v; }\nint f_impl(double v) { return (int)v; }\n";
  DESTROYED(L, fov, t = subst(fov, "f_impl", "f", NULL), NULL, "removes function 'f_impl'");
  free(t);
  t = subst(base, "int twice(int v, int scale)", "int twice(int v)", "  r *= scale;\n", "", NULL);
  DESTROYED(L, base, t, NULL, "removes parameter 'scale' of 'app::twice'");
  DESTROYED(L, base, t, (const char *const[]){"twice", NULL}, "");
  free(t);
  DESTROYED(L, base, t = subst(base, "  Counter(int step);\n", "  Counter(int step, int start);\n", NULL), NULL,
            "changes the parameters of 'app::Counter::Counter' from '(int step)' to '(int step, int start)'");
  free(t);
  DESTROYED(L, base, t = subst(base, "  int step_;\n", "", NULL), NULL,
            "removes field 'step_' of class 'app::Counter'");
  free(t);
  DESTROYED(L, base, t = subst(base, "  T v;\n", "", NULL), NULL, "removes field 'v' of struct 'app::Box'");
  free(t);
  DESTROYED(L, base, t = subst(base, "{ Up, Down }", "{ Up }", NULL), NULL,
            "removes enum constant 'Down' of enum 'app::Counter::Mode'");
  free(t);
  /* overloads are told apart by their parameters */
  const char *ov = "int twice(int v) { return 2 * v; }\ndouble twice(double v) { return 2 * v; }\n";
  DESTROYED(L, ov, "int twice(int v) { return 2 * v; }\n", NULL, "removes function 'twice(double v)'");
  DESTROYED(L, ov, "double twice(double v) { return 2 * v; }\nint twice(int v) { return 2 * v; }\n", NULL, "");
  /* not destroyed */
  DESTROYED(L, CPP_CLASS CPP_TWICE CPP_TWICE CPP_BOX CPP_MAIN, base, NULL, "");
  DESTROYED(L, base, t = subst(base, "r *= scale;", "r = r * scale;", NULL), NULL, "");
  free(t);
  DESTROYED(L, base, "namespace app {\n" CPP_TWICE "}\n" CPP_CLASS CPP_BOX CPP_MAIN, NULL, ""); /* moved */
  DESTROYED(L, base, CPP_CLASS CPP_TWICE "int thrice(int v) {\n  return 3 * v;\n}\n" CPP_BOX CPP_MAIN, NULL, "");
  /* out-of-line to in-class: the definition stays, the declaration with it */
  DESTROYED(L, base,
            t = subst(base, "  int get() const;\n", "  int get() const { return n_; }\n",
                      "int Counter::get() const {\n  return n_;\n}\n", "", NULL),
            NULL, "");
  free(t);
  DESTROYED(L, base, "", NULL,
            "removes class 'app::Counter'\nremoves method 'app::Counter::Counter'\nremoves method 'app::Counter::get'\n"
            "removes function 'app::twice'\nremoves struct 'app::Box'\nremoves method 'app::Box::get'\n"
            "removes function 'main'");
  t = subst(base, "class Counter {", "class Counter {{", NULL);
  CHECK_EQ_INT(fix_context_has_syntax_errors(L, t, strlen(t)), 1);
  DESTROYED(L, base, t, NULL, ""); /* tree-sitter recovers every item */
  free(t);
  t = subst(base, "  enum class Mode { Up, Down };\n};\n", "  enum class Mode { Up, Down };\n\n", NULL);
  CHECK_EQ_INT(fix_context_has_syntax_errors(L, t, strlen(t)), 1);
  DESTROYED(L, base, t, NULL, /* the namespace ends up in an ERROR node */
            "removes class 'app::Counter'\nremoves method 'app::Counter::Counter'\nremoves method 'app::Counter::get'\n"
            "removes function 'app::twice'\nremoves struct 'app::Box'\nremoves method 'app::Box::get'\n"
            "renames function 'main' to 'app::main'");
  free(t);
}

#define RS_TYPES                                                                                                       \
  "use std::fmt;\n\npub struct Order {\n    pub id: u32,\n    pub qty: u32,\n}\n\n"                                    \
  "pub enum Shape {\n    Dot,\n    Circle(f64),\n}\n\npub trait Area {\n    fn area(&self) -> f64;\n}\n\n"
#define RS_IMPL                                                                                                        \
  "impl Order {\n    pub fn new(id: u32, qty: u32) -> Self {\n        Order { id, qty }\n    }\n\n"                    \
  "    pub fn total(&self, price: f64, discount: f64) -> f64 {\n        let gross = price * self.qty as f64;\n"        \
  "        let off = gross * discount;\n        let net = gross - off;\n        println!(\"{}\", net);\n"              \
  "        let rounded = (net * 100.0).round() / 100.0;\n        rounded\n    }\n}\n\n"
#define RS_DISPLAY                                                                                                     \
  "impl fmt::Display for Order {\n    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {\n"                        \
  "        write!(f, \"#{}\", self.id)\n    }\n}\n\n"
#define RS_UTIL                                                                                                        \
  "const LIMIT: u32 = 10;\n\nmod util {\n    pub fn clamp(v: u32) -> u32 {\n        v.min(super::LIMIT)\n    }\n}\n\n"
#define RS_MAIN "fn main() {\n    let o = Order::new(1, 2);\n    println!(\"{}\", o.total(2.5, 0.1));\n}\n"

static void items_rust(void) {
  const enum fix_lang L = FIX_LANG_RUST;
  const char *base = RS_TYPES RS_IMPL RS_DISPLAY RS_UTIL RS_MAIN;
  struct fix_items it;
  CHECK(fix_context_items(L, base, strlen(base), &it, NULL) == FIX_OK);
  CHECK_EQ_INT(it.n, 17);
  const struct fix_item *f = item_named(&it, "impl_fn", "Order::total");
  CHECK(f && f->body_lines == 6 && f->param_names.n == 3 && f->parent >= 0 && !strcmp(it.v[f->parent].kind, "impl"));
  if (f && f->param_names.n == 3) {
    CHECK_EQ_STR(f->param_names.v[0], "self");
    CHECK_EQ_STR(f->param_types.v[2], "f64");
  }
  CHECK(item_named(&it, "impl_fn", "<Order as fmt::Display>::fmt") && item_named(&it, "trait_fn", "Area::area") &&
        item_named(&it, "variant", "Shape::Circle") && item_named(&it, "field", "struct Order.qty") &&
        item_named(&it, "fn", "util::clamp") && item_named(&it, "mod", "util") && item_named(&it, "const", "LIMIT"));
  fix_items_free(&it);

  char *t;
  DESTROYED(L, base,
            t = subst(base, "    pub fn clamp(v: u32) -> u32 {\n        v.min(super::LIMIT)\n    }\n", "", NULL), NULL,
            "removes function 'util::clamp'");
  free(t);
  DESTROYED(L, base, t = subst(base, "{\n        Order { id, qty }\n    }", "{\n    }", NULL), NULL,
            "empties the body of 'Order::new'");
  free(t);
  DESTROYED(L, base, t = subst(base, "total", "sum", NULL), NULL, "renames method 'Order::total' to 'Order::sum'");
  free(t);
  t = subst(base, ", discount: f64)", ")", "gross * discount", "gross * 0.1", "o.total(2.5, 0.1)", "o.total(2.5)",
            NULL);
  DESTROYED(L, base, t, NULL, "removes parameter 'discount' of 'Order::total'");
  DESTROYED(L, base, t, (const char *const[]){"total", NULL}, "");
  free(t);
  DESTROYED(L, base, t = subst(base, "    pub qty: u32,\n", "", NULL), NULL, "removes field 'qty' of struct 'Order'");
  free(t);
  DESTROYED(L, base, t = subst(base, "    Circle(f64),\n", "", NULL), NULL, "removes variant 'Circle' of enum 'Shape'");
  free(t);
  DESTROYED(L, base, t = subst(base, "Circle(f64)", "Circle(f32)", NULL), NULL,
            "changes the fields of 'Shape::Circle' from '(f64)' to '(f32)'");
  free(t);
  DESTROYED(L, base, RS_TYPES RS_IMPL RS_UTIL RS_MAIN, NULL, "removes impl '<Order as fmt::Display>'");
  DESTROYED(L, base, t = subst(base, "    fn area(&self) -> f64;\n", "", NULL), NULL,
            "removes trait method 'Area::area'");
  free(t);
  DESTROYED(
      L, base,
      t = subst(
          base, "        let off = gross * discount;\n        let net = gross - off;\n", "",
          "        println!(\"{}\", net);\n        let rounded = (net * 100.0).round() / 100.0;\n        rounded\n",
          "        gross\n", NULL),
      NULL, "removes most of the body of 'Order::total' (2 of 6 lines left)");
  free(t);
  /* not destroyed */
  DESTROYED(L, RS_TYPES RS_IMPL RS_DISPLAY RS_UTIL RS_MAIN RS_MAIN, base, NULL, "");
  DESTROYED(L, base, t = subst(base, "let net = gross - off;", "let net = gross - off.min(gross);", NULL), NULL, "");
  free(t);
  DESTROYED(L, base, RS_MAIN RS_UTIL RS_DISPLAY RS_IMPL RS_TYPES, NULL, ""); /* everything moved */
  DESTROYED(L, base, RS_TYPES RS_IMPL RS_DISPLAY RS_UTIL "fn helper(v: u32) -> u32 {\n    v + 1\n}\n\n" RS_MAIN, NULL,
            "");
  /* two impl blocks merged into one */
  DESTROYED(L, "struct S;\nimpl S {\n    fn a(&self) {}\n}\nimpl S {\n    fn b(&self) {}\n}\n",
            "struct S;\nimpl S {\n    fn a(&self) {}\n    fn b(&self) {}\n}\n", NULL, "");
  DESTROYED(
      L, base, "", NULL,
      "removes struct 'Order'\nremoves enum 'Shape'\nremoves trait 'Area'\nremoves impl 'Order'\n"
      "removes impl '<Order as fmt::Display>'\nremoves const 'LIMIT'\nremoves mod 'util'\nremoves function 'main'");
  t = subst(base, "impl Order {", "impl Order {{", NULL);
  CHECK_EQ_INT(fix_context_has_syntax_errors(L, t, strlen(t)), 1);
  DESTROYED(L, base, t, NULL, "");
  free(t);
  t = subst(base, "        rounded\n    }\n}\n", "        rounded\n    }\n", NULL);
  CHECK_EQ_INT(fix_context_has_syntax_errors(L, t, strlen(t)), 1);
  DESTROYED(L, base, t, NULL, "removes const 'LIMIT'\nremoves mod 'util'\nremoves function 'main'");
  free(t);
  struct fix_err err;
  CHECK(fix_context_items(FIX_LANG_UNKNOWN, base, strlen(base), &it, &err) == FIX_ERR_PARSE);
  CHECK_EQ_INT(it.n, 0);
  struct fix_items_base *fb = (struct fix_items_base *)&it;
  CHECK(fix_items_base_new(FIX_LANG_UNKNOWN, base, strlen(base), &fb, &err) == FIX_ERR_PARSE);
  CHECK(fb == NULL);
  fix_items_base_free(NULL);
  /* one base, several candidates, in any order */
  CHECK(fix_items_base_new(L, base, strlen(base), &fb, &err) == FIX_OK);
  const char *cands[] = {RS_TYPES RS_IMPL RS_UTIL RS_MAIN, base, "", RS_MAIN};
  const char *want[] = {"removes impl '<Order as fmt::Display>'", "", "8", "7"};
  for (size_t k = 0; fb && k < 4; k++) {
    struct fix_items a;
    struct fix_strv out = {0};
    CHECK(fix_items_base_edit(fb, cands[k], strlen(cands[k]), &a, &err) == FIX_OK);
    int n = fix_items_destroyed(fix_items_base_items(fb), &a, NULL, &out);
    if (k < 2)
      CHECK_EQ_STR(out.n ? out.v[0] : "", want[k]);
    else
      CHECK_EQ_INT(n, atoi(want[k])); /* everything but main */
    fix_strv_free(&out);
    fix_items_free(&a);
  }
  CHECK_EQ_INT(fix_items_base_items(fb)->n, 17);
  fix_items_base_free(fb);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Not a timed test: prints what judging one candidate costs on a 2,000-line C file. */
static void items_timing(void) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  fix_buf_printf(&b, "#include <stdio.h>\n#include <string.h>\n\n");
  int lines = 3, fns = 0;
  for (int i = 0; lines < 2000; i++) {
    fix_buf_printf(&b, "struct rec%d {\n  int id;\n  double w[%d];\n  const char *name;\n};\n\n", i, i % 7 + 1);
    fix_buf_printf(&b,
                   "static double fn%d(const struct rec%d *r, int n, FILE *log) {\n  double s = 0;\n"
                   "  for (int k = 0; k < n && k < %d; k++) {\n    s += r->w[k] * %d.5; /* weight */\n"
                   "    if (s > 1e9)\n      fprintf(log, \"%%s: overflow\\n\", r->name);\n  }\n"
                   "  if (!strcmp(r->name, \"x%d\"))\n    return -s;\n  return s + r->id;\n}\n\n",
                   i, i, i % 7 + 1, i, i);
    lines += 6 + 12;
    fns++;
  }
  char *after = subst(b.data, "s += r->w[k] * 3.5;", "s += r->w[k] * 3.25;", NULL);
  int rounds = 20, said = 0;
  size_t n = 0;
  double ms[3];
  struct fix_items_base *base = NULL;
  double t0 = now_ms();
  CHECK(fix_items_base_new(FIX_LANG_C, b.data, b.len, &base, NULL) == FIX_OK);
  double base_ms = now_ms() - t0;
  for (int mode = 0; mode < 3 && base; mode++) { /* two full parses; one full and one incremental; base kept */
    t0 = now_ms();
    for (int r = 0; r < rounds; r++) {
      struct fix_items x = {0}, y;
      struct fix_strv out = {0};
      if (mode == 0) {
        CHECK(fix_context_items(FIX_LANG_C, b.data, b.len, &x, NULL) == FIX_OK);
        CHECK(fix_context_items(FIX_LANG_C, after, strlen(after), &y, NULL) == FIX_OK);
      } else if (mode == 1) {
        CHECK(fix_context_items_edit(FIX_LANG_C, b.data, b.len, after, strlen(after), &x, &y, NULL) == FIX_OK);
      } else {
        CHECK(fix_items_base_edit(base, after, strlen(after), &y, NULL) == FIX_OK);
      }
      said += fix_items_destroyed(mode == 2 ? fix_items_base_items(base) : &x, &y, NULL, &out);
      n = y.n;
      fix_strv_free(&out);
      fix_items_free(&x);
      fix_items_free(&y);
    }
    ms[mode] = (now_ms() - t0) / rounds;
  }
  fix_items_base_free(base);
  CHECK_EQ_INT(said, 0);
  CHECK_EQ_INT(n, (size_t)fns * 5);
  printf("items: %d-line C file (%zu items, %zu bytes), before and after + compare: %.2f ms with two full parses, "
         "%.2f ms with fix_context_items_edit, %.2f ms a candidate on a fix_items_base (%.2f ms to make)\n",
         lines, n, b.len, ms[0], ms[1], ms[2], base_ms);
  free(after);
  fix_buf_free(&b);
}

int main(void) {
  CHECK_EQ_INT(fix_lang_from_path("a/b.c"), FIX_LANG_C);
  CHECK_EQ_INT(fix_lang_from_path("b.hpp"), FIX_LANG_CPP);
  CHECK_EQ_INT(fix_lang_from_path("lib.rs"), FIX_LANG_RUST);
  CHECK_EQ_INT(fix_lang_from_path("Makefile"), FIX_LANG_UNKNOWN);

  const char *c = "#include <stdio.h>\n"
                  "struct point {\n  int x;\n  int y;\n};\n"
                  "\n"
                  "int add(int a, int b) {\n  int r = a + b\n  return r;\n}\n";
  enclosing(FIX_LANG_C, c, 3, 2, 5, "struct_specifier");
  enclosing(FIX_LANG_C, c, 8, 7, 10, "function_definition"); /* despite the syntax error */
  int a, b;
  const char *kind;
  CHECK(fix_context_enclosing(FIX_LANG_C, c, strlen(c), 6, 0, &a, &b, &kind, NULL) == FIX_ERR_NOT_FOUND);
  CHECK_EQ_INT(fix_context_has_syntax_errors(FIX_LANG_C, c, strlen(c)), 1);

  const char *cpp = "namespace app {\nclass Counter {\n  int n;\npublic:\n  void bump() const { n++; }\n};\n"
                    "int helper() {\n  return 1;\n}\n}\n";
  enclosing(FIX_LANG_CPP, cpp, 5, 2, 6, "class_specifier");
  enclosing(FIX_LANG_CPP, cpp, 8, 7, 9, "function_definition");
  CHECK_EQ_INT(fix_context_has_syntax_errors(FIX_LANG_CPP, cpp, strlen(cpp)), 0);

  const char *rs = "use std::fmt;\n\nstruct S { v: Vec<i32> }\n\nimpl S {\n    fn len(&self) -> usize {\n"
                   "        self.v.len()\n    }\n}\n";
  enclosing(FIX_LANG_RUST, rs, 7, 5, 9, "impl_item");
  CHECK_EQ_INT(fix_context_has_syntax_errors(FIX_LANG_RUST, rs, strlen(rs)), 0);
  CHECK_EQ_INT(fix_context_has_syntax_errors(FIX_LANG_UNKNOWN, rs, strlen(rs)), -1);
  CHECK(golden() >= 6);
  items_c();
  items_cpp();
  items_rust();
  items_timing();
  return check_summary();
}
