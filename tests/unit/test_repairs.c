/* test_repairs.c — the model-free repair generators on real compiler output: each case is compiled
 * with gcc (and clang where it is installed), the diagnostic parsed as fix parses it, the repairs
 * generated, the best-ranked one applied, and the file compiled again: it must then compile
 * without that error (and, where it matters, say exactly the expected text). Bad input — a
 * diagnostic past the end of the file, odd quoting, an empty file — gives no repair and no crash. */
#include "check.h"
#include "fix/base.h"
#include "fix/diag.h"
#include "internal.h"
#include "repairs.h"
#include "tmpfiles.h"

#include <stdlib.h>
#include <string.h>

static char *root;
static const struct fix_intent *case_intent; /* the developer's change the repairs see */

static int read_file(void *ud, const char *path, const char **text, size_t *len) {
  (void)ud;
  static struct fix_buf b[16];
  static int k;
  struct fix_buf *x = &b[k++ % 16];
  fix_buf_free(x);
  if (fix_file_read(path, 1 << 20, x, NULL) != FIX_OK)
    return -1;
  *text = x->data ? x->data : "";
  *len = x->len;
  return 0;
}

/* Compiles `file` (relative to root) with `cc` and returns its diagnostics. */
static int compile(const char *cc, const char *std, const char *file, struct fix_diag_list *out) {
  char *path = fix_path_join(root, file);
  const char *argv[] = {cc, std, "-Wall", "-fsyntax-only", "-fno-diagnostics-color", path, NULL};
  /* never -o /dev/null: rustc writes its output beside the target and renames it over it */
  char *meta = fix_path_join(root, "out.rmeta");
  const char *rargv[] = {cc, "--error-format=json", "--crate-type=lib", "--emit=metadata", "-o", meta, path, NULL};
  int rust = !strcmp(cc, "rustc");
  struct fix_spawn_result r;
  fix_diag_list_init(out);
  enum fix_status sst = fix_spawn_quiet(rust ? rargv : argv, root, NULL, 60, &r, NULL);
  free(meta);
  if (sst != FIX_OK) {
    free(path);
    return -1;
  }
  struct fix_err err;
  enum fix_status st = rust ? fix_diag_parse_rustc_json(r.out.data ? r.out.data : "", r.out.len, out, &err)
                            : fix_diag_parse_text(r.out.data ? r.out.data : "", r.out.len,
                                                  strstr(cc, "clang") ? FIX_CC_CLANG : FIX_CC_GCC, out, &err);
  int code = r.exit_code;
  fix_buf_free(&r.out);
  free(path);
  return st == FIX_OK ? code : -1;
}

static const struct fix_diag *find(const struct fix_diag_list *l, const char *part) {
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i].message && strstr(l->v[i].message, part))
      return &l->v[i];
  return NULL;
}

static int have(const char *cc) {
  const char *argv[] = {cc, "--version", NULL};
  struct fix_spawn_result r;
  int ok = fix_spawn_quiet(argv, NULL, NULL, 30, &r, NULL) == FIX_OK && r.exit_code == 0;
  fix_buf_free(&r.out);
  return ok;
}

/* Compiles, finds the diagnostic, applies the best repair; then the file must compile without
 * `part`, hold `want` (when given), and the best repair's why must contain `why`. */
static void repair_case(const char *cc, const char *std, const char *file, const char *text, const char *part,
                        const char *why, const char *want) {
  char *path = fix_path_join(root, file);
  put_file(root, file, text);
  struct fix_diag_list l;
  compile(cc, std, file, &l);
  const struct fix_diag *d = find(&l, part);
  if (!d) {
    fprintf(stderr, "%s %s: no diagnostic with \"%s\"\n", cc, file, part);
    CHECK(d != NULL);
    fix_diag_list_free(&l);
    free(path);
    return;
  }
  struct fix_strv hs = {0};
  static const char *const exts[] = {".h", NULL};
  (void)exts;
  const char *headers[8] = {0};
  const char *incs[] = {root, NULL};
  size_t nh = 0;
  for (const char *const *h = (const char *const[]){"vec.h", "util.h", NULL}; *h; h++) {
    char *hp = fix_path_join(root, *h);
    if (fix_file_exists(hp)) {
      fix_strv_push(&hs, hp);
      headers[nh++] = hs.v[hs.n - 1];
    }
    free(hp);
  }
  struct repair_env env = {root, incs, headers, read_file, NULL, case_intent, NULL};
  struct repair_list rl;
  repairs_generate(&env, d, text, strlen(text), 8, &rl);
  if (!rl.n)
    fprintf(stderr, "%s %s: no repair for \"%s\"\n", cc, file, d->message);
  CHECK(rl.n > 0);
  if (rl.n) {
    if (!strstr(rl.v[0].why, why))
      fprintf(stderr, "%s %s: best repair \"%s\", wanted \"%s\"\n", cc, file, rl.v[0].why, why);
    CHECK(strstr(rl.v[0].why, why) != NULL);
    const struct repair *r = &rl.v[0];
    size_t n = strlen(text);
    char *out = malloc(n + strlen(r->text) + 1);
    memcpy(out, text, r->start);
    strcpy(out + r->start, r->text);
    strcat(out, text + r->end);
    put_file(root, file, out);
    if (want && strcmp(out, want))
      fprintf(stderr, "%s %s: got\n%s\nwanted\n%s\n", cc, file, out, want);
    if (want)
      CHECK_EQ_STR(out, want);
    struct fix_diag_list after;
    compile(cc, std, file, &after);
    CHECK(find(&after, part) == NULL);
    fix_diag_list_free(&after);
    free(out);
  }
  repair_list_free(&rl);
  fix_strv_free(&hs);
  fix_diag_list_free(&l);
  remove(path);
  free(path);
}

static void c_cases(const char *cc) {
  /* missing include: the standard table, in the sorted block's place */
  repair_case(cc, "-std=c11", "a.c", "#include <assert.h>\n#include <wchar.h>\n\nuint32_t n(void) { return 1; }\n",
              "uint32_t", "#include <stdint.h>",
              "#include <assert.h>\n#include <stdint.h>\n#include <wchar.h>\n\nuint32_t n(void) { return 1; }\n");
  /* after an include guard when there is no include */
  repair_case(cc, "-std=c11", "b.h", "#ifndef B_H\n#define B_H\nint f(uint32_t x);\n#endif\n", "uint32_t",
              "#include <stdint.h>", "#ifndef B_H\n#define B_H\n#include <stdint.h>\nint f(uint32_t x);\n#endif\n");
  /* the project's header: a struct tag, a function */
  put_file(root, "vec.h", "#ifndef VEC_H\n#define VEC_H\nstruct vec {\n  int *data;\n  unsigned length;\n};\n"
                          "int vec_len(const struct vec *v);\n#endif\n");
  repair_case(cc, "-std=c11", "c.c", "#include <stdio.h>\n\nint main(void) {\n  struct vec v = {0};\n  return (int)sizeof v;\n}\n",
              "incomplete type", "#include \"vec.h\"", NULL);
  repair_case(cc, "-std=c11", "d.c", "#include <stdio.h>\n\nint g(struct vec *v) {\n  return vec_len(v);\n}\n",
              "vec_len", "#include \"vec.h\"", NULL);
  /* misspelled: a local, a keyword, a member */
  repair_case(cc, "-std=c11", "e.c", "int f(void) {\n  int count = 0;\n  cuont++;\n  return count;\n}\n", "cuont",
              "'count' for 'cuont'", "int f(void) {\n  int count = 0;\n  count++;\n  return count;\n}\n");
  repair_case(cc, "-std=c11", "g.c", "#include \"vec.h\"\nunsigned f(struct vec *v) {\n  return v->lenght;\n}\n",
              "lenght", "'length' for 'lenght'", "#include \"vec.h\"\nunsigned f(struct vec *v) {\n  return v->length;\n}\n");
  /* a member of a typedef'd anonymous struct (the compiler names the typedef, no tag to look up) */
  repair_case(cc, "-std=c11", "g2.c",
              "typedef struct {\n  int *data;\n  unsigned length;\n} vec_t;\nunsigned f(vec_t *v) {\n  return v->len;\n}\n",
              "'len'", "'length' for 'len' (a member)",
              "typedef struct {\n  int *data;\n  unsigned length;\n} vec_t;\nunsigned f(vec_t *v) {\n  return v->length;\n}\n");
  /* the compiler's "did you mean" for a name inside a macro's arguments, where gcc gives no fix-it */
  if (!strcmp(cc, "gcc"))
    repair_case(cc, "-std=c11", "g3.c",
                "#define GET(x) ((x) + 0)\nstruct p { struct { int pairs; } m; };\nint f(struct p *q) {\n  return GET(q->m.piars);\n}\n",
                "piars", "'pairs' for 'piars' (the compiler's suggestion)",
                "#define GET(x) ((x) + 0)\nstruct p { struct { int pairs; } m; };\nint f(struct p *q) {\n  return GET(q->m.pairs);\n}\n");
  /* a local whose declaration was removed: after a comment line; a call's declared return type; a
   * dereferenced parameter declared on its own line */
  repair_case(cc, "-std=c11", "h2.c",
              "typedef struct { int n; } slice_t;\nstatic inline slice_t take(int k) { slice_t s = {k}; return s; }\n"
              "int f(int k) {\n  // the first slice\n  part = take(k);\n  return part.n;\n}\n",
              "'part'", "declare 'part' as slice_t (what 'take' returns)",
              "typedef struct { int n; } slice_t;\nstatic inline slice_t take(int k) { slice_t s = {k}; return s; }\n"
              "int f(int k) {\n  // the first slice\n  slice_t part = take(k);\n  return part.n;\n}\n");
  repair_case(cc, "-std=c11", "h3.c",
              "struct st { int v; };\nint g(\n  struct st **ref\n) {\n  cur = *ref;\n  return cur->v;\n}\n",
              "'cur'", "declare 'cur' as struct st * (the type of '*ref')",
              "struct st { int v; };\nint g(\n  struct st **ref\n) {\n  struct st *cur = *ref;\n  return cur->v;\n}\n");
  /* a local assigned but never declared: the type of what it is assigned */
  repair_case(cc, "-std=c11", "h.c",
              "void rev(char *s, int n) {\n  for (int i = 0; i < n / 2; i++) {\n    t = s[i];\n    s[i] = s[n - 1 - i];\n"
              "    s[n - 1 - i] = t;\n  }\n}\n",
              "'t'", "declare 't' as char",
              "void rev(char *s, int n) {\n  for (int i = 0; i < n / 2; i++) {\n    char t = s[i];\n    s[i] = s[n - 1 - i];\n"
              "    s[n - 1 - i] = t;\n  }\n}\n");
  /* too many arguments: the last dropped first */
  repair_case(cc, "-std=c11", "i.c", "int max2(int a, int b) { return a > b ? a : b; }\nint f(void) { return max2(1, 2, 0); }\n",
              "too many arguments", "drop argument 3",
              "int max2(int a, int b) { return a > b ? a : b; }\nint f(void) { return max2(1, 2); }\n");
  /* an argument typed twice: a copy of it is the extra one (not the first, which compiles as well) */
  repair_case(cc, "-std=c11", "i2.c",
              "int merge(int *s, int a, int b);\nint f(int *s, int i, int v) { return merge(s, i, v, v); }\n",
              "too many arguments", "drop argument 4 ('v')",
              "int merge(int *s, int a, int b);\nint f(int *s, int i, int v) { return merge(s, i, v); }\n");
}

/* const written through, return types */
static void c_more(const char *cc) {
  repair_case(cc, "-std=c11", "j.c", "static void upper(const char *s) {\n  for (; *s; s++)\n    *s = (char)(*s - 32);\n}\n"
              "void f(char *p) { upper(p); }\n", "read-only", "drop the const of 's'",
              "static void upper(char *s) {\n  for (; *s; s++)\n    *s = (char)(*s - 32);\n}\nvoid f(char *p) { upper(p); }\n");
  repair_case(cc, "-std=c11", "k.c", "static void scale(const double *v, int n) {\n  for (int i = 0; i < n; i++)\n    v[i] *= 2;\n}\n"
              "void f(double *p) { scale(p, 2); }\n", "read-only", "drop the const of 'v'", NULL);
  if (!strcmp(cc, "gcc")) /* clang 14 only warns */
    repair_case(cc, "-std=c11", "l.c", "static is_cmd(const char *w) { return w[0] == '/'; }\nint f(void) { return is_cmd(\"/x\"); }\n",
                "defaults to 'int'", "'int' written out",
                "static int is_cmd(const char *w) { return w[0] == '/'; }\nint f(void) { return is_cmd(\"/x\"); }\n");
  repair_case(cc, "-std=c11", "m.c", "static void g(int *x) {\n  *x = 1;\n  return *x;\n}\nvoid f(int *p) { g(p); }\n",
              strcmp(cc, "gcc") ? "should not return a value" : "'return' with a value", "value returned from a void",
              "static void g(int *x) {\n  *x = 1;\n  return;\n}\nvoid f(int *p) { g(p); }\n");
}

/* pointers, strings, arrays, declarations */
static void c_third(const char *cc) {
  repair_case(cc, "-std=c11", "n.c", "#include <stdio.h>\nint rd(const char *s) {\n  int v = 0;\n  if (sscanf(s, \"%d\", v) != 1)\n"
              "    return 0;\n  return v;\n}\n", strcmp(cc, "gcc") ? "format specifies" : "expects argument", "'&v'", NULL);
  repair_case(cc, "-std=c11", "o.c", "#include <string.h>\nint q(const char *buf) { return buf == \"quit\"; }\n",
              strcmp(cc, "gcc") ? "string literal is unspecified" : "comparison with string literal", "strcmp",
              "#include <string.h>\nint q(const char *buf) { return strcmp(buf, \"quit\") == 0; }\n");
  repair_case(cc, "-std=c11", "p.c", "void z(char *c) { c[0] = \"\\0\"; }\n",
              strcmp(cc, "gcc") ? "incompatible pointer to integer" : "makes integer from pointer", "a character",
              "void z(char *c) { c[0] = '\\0'; }\n");
  repair_case(cc, "-std=c11", "q.c", "int s(int m[3][3]) {\n  m[1, 2] = 0;\n  return m[0][0];\n}\n",
              strcmp(cc, "gcc") ? "comma operator" : "comma expression", "one index per bracket",
              "int s(int m[3][3]) {\n  m[1][2] = 0;\n  return m[0][0];\n}\n");
  repair_case(cc, "-std=c11", "r.c", "int f(void) {\n  int e = {1, 2, 3};\n  return e[1];\n}\n", "excess elements",
              "an array", "int f(void) {\n  int e[] = {1, 2, 3};\n  return e[1];\n}\n");
  repair_case(cc, "-std=c11", "s.c", "long w(int x);\nint w(int x) { return x; }\n", "conflicting types", "agree",
              "long w(int x);\nlong w(int x) { return x; }\n");
  /* the definition keeps its own storage class and inline: the return type alone changes */
  repair_case(cc, "-std=c11", "s2.c", "static long w(int x);\nstatic inline int w(int x) { return x; }\n",
              "conflicting types", "return type", "static long w(int x);\nstatic inline long w(int x) { return x; }\n");
}

/* a declared type that contradicts its initializer; a missing last argument */
static void c_retype(const char *cc) {
  repair_case(cc, "-std=c11", "u.c", "static int pop(int *stack, int *out) {\n  *out = stack[0];\n  return 0;\n}\n"
              "int f(void) {\n  int v = 0, st[4] = {0};\n  pop(st);\n  return v;\n}\n", "too few arguments",
              "'&v' for the missing argument 'out'", NULL);
  repair_case(cc, "-std=c11", "v.c", "static int push(int head, int value) {\n  return head + value;\n}\n"
              "int f(void) {\n  int list = 0;\n  for (int i = 0; i < 3; i++)\n    list = push(list);\n  return list;\n}\n",
              "too few arguments", "'i' for the missing argument 'value'", NULL);
  repair_case(cc, "-std=c11", "t.c", "int f(const char *s) {\n  int x = s;\n  return x[0];\n}\n",
              strcmp(cc, "gcc") ? "initializing 'int'" : "initialization of 'int'", "declared with its initializer's type",
              "int f(const char *s) {\n  const char *x = s;\n  return x[0];\n}\n");
}

static void cxx_more(const char *cxx) {
  repair_case(cxx, "-std=c++17", "p.cpp", "#include <string>\nint label(const std::string &n) {\n  return n + \":\";\n}\n",
              strstr(cxx, "clang") ? "returned value" : "in return", "the return type 'std::string'",
              "#include <string>\nstd::string label(const std::string &n) {\n  return n + \":\";\n}\n");
  repair_case(cxx, "-std=c++17", "q.cpp", "char name_of(int l) {\n  if (l)\n    return \"red\";\n  return \"green\";\n}\n",
              strstr(cxx, "clang") ? "cannot initialize return object" : "invalid conversion", "the return type 'const char",
              NULL);
  repair_case(cxx, "-std=c++17", "o.cpp", "int f(const char *s) {\n  int x = s;\n  return x[0];\n}\n",
              strstr(cxx, "clang") ? "cannot initialize" : "invalid conversion", "declared with its initializer's type", NULL);
  repair_case(cxx, "-std=c++17", "d.cpp",
              "struct B {\n  virtual ~B() {}\n  virtual int id() const = 0;\n};\nstruct D : B {\n  int id() override { return 2; }\n};\n",
              "override", "const, as the virtual",
              "struct B {\n  virtual ~B() {}\n  virtual int id() const = 0;\n};\nstruct D : B {\n  int id() const override { return 2; }\n};\n");
  repair_case(cxx, "-std=c++17", "e.cpp", "struct T {\n  double c = 0;\n  void warm(double b) const { c += b; }\n};\n",
              strcmp(cxx, "g++") ? "within const member function" : "read-only object", "non-const",
              "struct T {\n  double c = 0;\n  void warm(double b) { c += b; }\n};\n");
  repair_case(cxx, "-std=c++17", "f.cpp", "#include <array>\nint kSize = 5;\nstd::array<int, kSize> a;\n",
              strcmp(cxx, "g++") ? "not a constant expression" : "not usable in a constant expression", "constexpr",
              "#include <array>\nconstexpr int kSize = 5;\nstd::array<int, kSize> a;\n");
  repair_case(cxx, "-std=c++17", "g.cpp", "bool sp(char c) { return c == \" \"; }\n", "string literal", "a character",
              "bool sp(char c) { return c == ' '; }\n");
  /* a namespace whose header is not included (using namespace geo;) */
  put_file(root, "util.h", "#pragma once\nnamespace geo {\nint area(int w, int h);\n}\n");
  repair_case(cxx, "-std=c++17", "n.cpp", "using namespace geo;\nint f() { return area(2, 3); }\n",
              strstr(cxx, "clang") ? "expected namespace name" : "is not a namespace-name", "#include \"util.h\"", NULL);
  /* an out-of-line member definition returning what its declaration does not: the return type alone */
  repair_case(cxx, "-std=c++17", "h.cpp", "struct W {\n  virtual int size() const;\n};\nlong W::size() const { return 3; }\n",
              strstr(cxx, "clang") ? "differs from that in the declaration" : "no declaration matches",
              "return type made the declaration's",
              "struct W {\n  virtual int size() const;\n};\nint W::size() const { return 3; }\n");
  /* ... and not when the parameters differ too (gcc: the candidate's signature is another) */
  const char *params = "struct V {\n  int size() const;\n};\nlong V::size(int k) const { return k; }\n";
  put_file(root, "i.cpp", params);
  struct fix_diag_list l;
  compile(cxx, "-std=c++17", "i.cpp", &l);
  const struct fix_diag *d = find(&l, "no declaration matches");
  if (d) {
    struct repair_env env = {root, NULL, NULL, read_file, NULL, NULL, NULL};
    struct repair_list rl;
    repairs_generate(&env, d, params, strlen(params), 8, &rl);
    for (size_t i = 0; i < rl.n; i++)
      CHECK(!strstr(rl.v[i].why, "return type made"));
    repair_list_free(&rl);
  }
  CHECK(d != NULL || strstr(cxx, "clang"));
  fix_diag_list_free(&l);
}

/* ownership, conversions, access, templates, an unused variable */
static void cxx_fourth(const char *cxx) {
  int clang = strstr(cxx, "clang") != NULL;
  const char *uptr = "#include <memory>\nstruct B { int x = 1; };\nint take(std::unique_ptr<B> p) { return p->x; }\n";
  char text[1024], want[1024];
  snprintf(text, sizeof text, "%sint g() {\n  auto b = std::make_unique<B>();\n  return take(b);\n}\n", uptr);
  snprintf(want, sizeof want, "%sint g() {\n  auto b = std::make_unique<B>();\n  return take(std::move(b));\n}\n", uptr);
  repair_case(cxx, "-std=c++17", "h.cpp", text, clang ? "call to deleted constructor" : "use of deleted function",
              "std::move(b)", want);
  snprintf(text, sizeof text, "#include <vector>\n%sint f(std::vector<std::unique_ptr<B>> &v) {\n  int t = 0;\n"
           "  for (std::unique_ptr<B> s : v)\n    t += s->x;\n  return t;\n}\n", uptr);
  repair_case(cxx, "-std=c++17", "i.cpp", text, clang ? "call to deleted constructor" : "use of deleted function",
              "loop variable made a reference", NULL);
  repair_case(cxx, "-std=c++17", "j.cpp", "struct T {\n  explicit T(double d) : c(d) {}\n  double c;\n};\n"
              "double f() {\n  T t = 20.0;\n  return t.c;\n}\n", clang ? "no viable conversion" : "non-scalar type",
              "initialised directly",
              "struct T {\n  explicit T(double d) : c(d) {}\n  double c;\n};\ndouble f() {\n  T t(20.0);\n  return t.c;\n}\n");
  repair_case(cxx, "-std=c++17", "k.cpp", "struct Base {\n  int v = 1;\n};\nclass Derived : Base {};\n"
              "int f(Derived &d) {\n  Base *b = &d;\n  return b->v;\n}\n", clang ? "private base class" : "inaccessible base",
              "public inheritance", "struct Base {\n  int v = 1;\n};\nclass Derived : public Base {};\n"
              "int f(Derived &d) {\n  Base *b = &d;\n  return b->v;\n}\n");
  repair_case(cxx, "-std=c++17", "l.cpp", "template <T> T id(T x) { return x; }\nint f() { return id(1); }\n",
              clang ? "unknown type name 'T'" : "has not been declared", "template type parameter",
              "template <typename T> T id(T x) { return x; }\nint f() { return id(1); }\n");
  repair_case(cxx, "-std=c++17", "m.cpp", "#include <vector>\nstruct I { int q; };\nint w(const std::vector<I> &v) {\n"
              "  int s = 0;\n  for (I &i : v)\n    s += i.q;\n  return s;\n}\n", "binding reference", "made const",
              "#include <vector>\nstruct I { int q; };\nint w(const std::vector<I> &v) {\n  int s = 0;\n"
              "  for (const I &i : v)\n    s += i.q;\n  return s;\n}\n");
  repair_case(cxx, "-std=c++17", "n.cpp", "int u() {\n  int n = 0, in = 0, last = 0;\n  return n + in;\n}\n", "unused variable",
              "removed", "int u() {\n  int n = 0, in = 0;\n  return n + in;\n}\n");
}

static void rust_cases(void) {
  repair_case("rustc", "", "a.rs", "pub fn mean(v: &[u32]) -> f64 {\n    v.iter().sum::<u32>() as f64 / v.len()\n}\n",
              "cannot divide", "as f64",
              "pub fn mean(v: &[u32]) -> f64 {\n    v.iter().sum::<u32>() as f64 / v.len() as f64\n}\n");
  repair_case("rustc", "", "b.rs", "pub fn add(a: i64, d: u32) -> i64 {\n    a * 10 + d\n}\n", "mismatched types",
              "'d as i64'", "pub fn add(a: i64, d: u32) -> i64 {\n    a * 10 + d as i64\n}\n");
  repair_case("rustc", "", "d.rs", "pub fn fib(n: u64) -> u64 {\n    if n < 2 { n } else { fib(n - 1, 0) + fib(n - 2) }\n}\n",
              "arguments were supplied", "drop argument 2",
              "pub fn fib(n: u64) -> u64 {\n    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }\n}\n");
  repair_case("rustc", "", "e.rs", "pub struct T { pub t: String, pub done: bool }\npub fn mk() -> T {\n    T { t: String::new() }\n}\n",
              "missing field", "Default::default()",
              "pub struct T { pub t: String, pub done: bool }\npub fn mk() -> T {\n    T { t: String::new(), done: Default::default() }\n}\n");
  repair_case("rustc", "", "f.rs", "mod geo {\n    fn area() -> u32 { 1 }\n}\npub fn g() -> u32 {\n    geo::area()\n}\n", "private",
              "made pub", "mod geo {\n    pub fn area() -> u32 { 1 }\n}\npub fn g() -> u32 {\n    geo::area()\n}\n");
  repair_case("rustc", "", "g.rs", "pub fn n() -> u32 {\n    let s: u32 = \"8\";\n    s\n}\n", "mismatched types", "the number 8",
              "pub fn n() -> u32 {\n    let s: u32 = 8;\n    s\n}\n");
  repair_case("rustc", "", "c.rs",
              "pub enum Tok { Plus, Minus }\npub fn f(c: char) -> Tok {\n    if c == '+' { Tok::Plus } else { Tok::Minnus }\n}\n",
              "Minnus", "'Minus' for 'Minnus'",
              "pub enum Tok { Plus, Minus }\npub fn f(c: char) -> Tok {\n    if c == '+' { Tok::Plus } else { Tok::Minus }\n}\n");
}

static void cxx_cases(const char *cxx) {
  repair_case(cxx, "-std=c++17", "c.cpp",
              "struct C {\n  int t_ = 0;\n  int total() { return t_; }\n};\nint g(const C &c) { return c.total(); }\n", "const",
              "'total' made const",
              "struct C {\n  int t_ = 0;\n  int total() const { return t_; }\n};\nint g(const C &c) { return c.total(); }\n");
  repair_case(cxx, "-std=c++17", "a.cpp",
              "#include <vector>\n\nint f(std::vector<int> &v) {\n  std::sort(v.begin(), v.end());\n  return v[0];\n}\n",
              "sort", "#include <algorithm>",
              "#include <algorithm>\n#include <vector>\n\nint f(std::vector<int> &v) {\n  std::sort(v.begin(), v.end());\n"
              "  return v[0];\n}\n");
  repair_case(cxx, "-std=c++17", "b.cpp", "#include <utility>\ndouble f(double x) { return std::sqrt(x); }\n", "sqrt",
              "#include <cmath>", "#include <cmath>\n#include <utility>\ndouble f(double x) { return std::sqrt(x); }\n");
}

/* hostile or odd diagnostics: nothing, and no crash */
/* rustc's phases: a later phase's error that appears once the earlier phase's last error goes is not
 * the edit's doing (borrowck after type checking; type checking after resolution in rustc 1.63) */
static void rust_phases(void) {
  struct fix_diag res = {.compiler = FIX_CC_RUSTC, .severity = FIX_SEV_ERROR, .code = "E0106"};
  struct fix_diag ty = {.compiler = FIX_CC_RUSTC, .severity = FIX_SEV_ERROR, .code = "E0599"};
  struct fix_diag bor = {.compiler = FIX_CC_RUSTC, .severity = FIX_SEV_ERROR, .code = "E0382"};
  struct fix_diag nocode = {.compiler = FIX_CC_RUSTC, .severity = FIX_SEV_ERROR};
  struct fix_diag cc = {.compiler = FIX_CC_GCC, .severity = FIX_SEV_ERROR};
  CHECK(rust_phase(&res) == 1 && rust_phase(&ty) == 2 && rust_phase(&bor) == 3 && rust_phase(&nocode) == 2);
  struct fix_diag_list before = {.v = &res, .n = 1};
  CHECK(exposed_later(&before, &ty) && exposed_later(&before, &bor) && !exposed_later(&before, &res));
  before.v = &ty;
  CHECK(!exposed_later(&before, &ty) && exposed_later(&before, &bor));
  before.v = &nocode;
  CHECK(!exposed_later(&before, &ty));
  before.v = &cc; /* no rustc error before: nothing was hidden */
  CHECK(!exposed_later(&before, &ty) && !exposed_later(&before, &bor));
}

static void bad_input(void) {
  struct repair_env env = {root, NULL, NULL, read_file, NULL, NULL, NULL};
  struct fix_diag d = {0};
  char file[] = "/nowhere/x.c";
  d.pos.file = file;
  d.severity = FIX_SEV_ERROR;
  const char *msgs[] = {"'", "''", "unknown type name '", "'x' undeclared (first use in this function)",
                        "too many arguments to function '(((('", "'struct ' has no member named ''",
                        "implicit declaration of function 'a b'", "has initializer but incomplete type"};
  const char *texts[] = {"", "x", "struct", "f(,,,)", "x = ;", "\n\n\n"};
  for (size_t m = 0; m < sizeof msgs / sizeof *msgs; m++)
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
      for (int line = 0; line < 5; line++) {
        d.message = (char *)msgs[m];
        d.pos.line = line;
        d.pos.col = line;
        struct repair_list rl;
        repairs_generate(&env, &d, texts[t], strlen(texts[t]), 8, &rl);
        for (size_t i = 0; i < rl.n; i++)
          CHECK(rl.v[i].start <= rl.v[i].end && rl.v[i].end <= strlen(texts[t]));
        repair_list_free(&rl);
      }
  CHECK_EQ_INT(repair_distance("retrun", 6, "return", 6, 2), 1);
  CHECK_EQ_INT(repair_distance("len", 3, "length", 6, 2), 3);
  CHECK_EQ_INT(repair_distance("abc", 3, "abc", 3, 2), 0);
}

/* The developer's change completed at calls: a parameter added (the variable of its name passed
 * at its place, every call of the file at once), parameters reordered (the arguments follow). */
static void intent_cases(const char *cc, const char *cxx) {
  struct fix_intent it = {0};
  struct fix_err err;
  const char *before = "int emit(int level, const char *msg);\nint label(const char *name, int width);\n";
  const char *after = "int emit(int level, unsigned flags, const char *msg);\nint label(int width, const char *name);\n";
  CHECK(fix_intent_compare(FIX_LANG_C, "/p/lib.h", before, strlen(before), after, strlen(after), &it, &err) == FIX_OK);
  case_intent = &it;
  repair_case(cc, "-std=c11", "a.c",
              "int emit(int level, unsigned flags, const char *msg);\n"
              "int report(int level, unsigned flags) {\n  int a = emit(level, \"a\");\n  return a && emit(level,\n    \"b\");\n}\n",
              "too few arguments", "completes your new parameter 'flags' (/p/lib.h), its 2 calls",
              "int emit(int level, unsigned flags, const char *msg);\n"
              "int report(int level, unsigned flags) {\n  int a = emit(level, flags, \"a\");\n  return a && emit(level,\n    flags, \"b\");\n}\n");
  /* no variable of that name in the function: nothing of the intent's (another function's doesn't count) */
  const char *text = "int emit(int level, unsigned flags, const char *msg);\nint one(unsigned flags) { return (int)flags; }\n"
                     "int two(int level) { return emit(level, \"a\"); }\n";
  put_file(root, "b.c", text);
  struct fix_diag_list l;
  compile(cc, "-std=c11", "b.c", &l);
  const struct fix_diag *d = find(&l, "too few arguments");
  CHECK(d != NULL);
  if (d) {
    struct repair_env env = {root, NULL, NULL, read_file, NULL, &it, NULL};
    struct repair_list rl;
    repairs_generate(&env, d, text, strlen(text), 8, &rl);
    for (size_t i = 0; i < rl.n; i++)
      CHECK(!strstr(rl.v[i].why, "completes"));
    repair_list_free(&rl);
  }
  fix_diag_list_free(&l);
  /* C++: the reordered parameters, the arguments moved with them, spaces and line breaks kept */
  repair_case(cxx, "-std=c++17", "c.cpp",
              "int label(int width, const char *name);\nint f() { return label(\"id\", 5) + label(\"x\",\n  6); }\n",
              strstr(cxx, "clang") ? "no matching function" : "invalid conversion", "completes your reordering",
              "int label(int width, const char *name);\nint f() { return label(5, \"id\") + label(6,\n  \"x\"); }\n");
  case_intent = NULL;
  fix_intent_free(&it);
}

/* Rust: a parameter added to a method (self is not among a method call's arguments) */
static void intent_rust(void) {
  struct fix_intent it = {0};
  struct fix_err err;
  const char *before = "impl S { fn put(&mut self, k: u32) {} }\n", *after = "impl S { fn put(&mut self, k: u32, ttl: u64) {} }\n";
  CHECK(fix_intent_compare(FIX_LANG_RUST, "/p/s.rs", before, strlen(before), after, strlen(after), &it, &err) == FIX_OK);
  case_intent = &it;
  repair_case("rustc", "", "s.rs",
              "pub struct S;\nimpl S {\n    pub fn put(&mut self, _k: u32, _ttl: u64) {}\n}\n"
              "pub fn fill(s: &mut S, ttl: u64) {\n    for k in 0..2 {\n        s.put(k);\n    }\n}\n",
              "arguments but", "completes your new parameter 'ttl'",
              "pub struct S;\nimpl S {\n    pub fn put(&mut self, _k: u32, _ttl: u64) {}\n}\n"
              "pub fn fill(s: &mut S, ttl: u64) {\n    for k in 0..2 {\n        s.put(k, ttl);\n    }\n}\n");
  case_intent = NULL;
  fix_intent_free(&it);
  /* items moved to another module: the `use` follows them (what stays, stays), or the path does */
  char *util = fix_path_join(root, "src/util.rs"), *range = fix_path_join(root, "src/range.rs");
  const char *u0 = "pub struct Range;\npub fn clamp(_r: &Range) {}\npub fn twice() {}\n", *u1 = "pub fn twice() {}\n";
  const char *r1 = "pub struct Range;\npub fn clamp(_r: &Range) {}\n";
  CHECK(fix_intent_compare(FIX_LANG_RUST, util, u0, strlen(u0), u1, strlen(u1), &it, &err) == FIX_OK);
  CHECK(fix_intent_compare(FIX_LANG_RUST, range, "", 0, r1, strlen(r1), &it, &err) == FIX_OK);
  fix_intent_moves(&it);
  put_file(root, "src/util.rs", u1);
  put_file(root, "src/range.rs", r1);
  case_intent = &it;
  repair_case("rustc", "", "src/lib.rs",
              "mod range;\nmod util;\n\nuse util::{clamp, twice, Range};\n\npub fn f() {\n    clamp(&Range);\n    twice();\n}\n",
              "unresolved import", "completes your move of 'clamp', 'Range' to src/range.rs",
              "mod range;\nmod util;\n\nuse util::twice;\nuse range::{clamp, Range};\n\npub fn f() {\n    clamp(&Range);\n    twice();\n}\n");
  repair_case("rustc", "", "src/lib.rs", "mod range;\nmod util;\n\npub fn f() {\n    crate::util::clamp(&range::Range);\n}\n",
              "cannot find function", "completes your move of 'clamp'",
              "mod range;\nmod util;\n\npub fn f() {\n    crate::range::clamp(&range::Range);\n}\n");
  case_intent = NULL;
  fix_intent_free(&it);
  free(util);
  free(range);
}

int main(void) {
  char real[4096];
  char *t = fix_mkdtemp("fix-test-repairs");
  if (!t || !realpath(t, real))
    return 1;
  free(t);
  root = fix_strdup(real);
  bad_input();
  rust_phases();
  const char *missing = NULL; /* a compiler the machine lacks: the test skips (77) after the rest ran */
  if (have("gcc")) {
    c_cases("gcc");
    c_more("gcc");
    c_third("gcc");
    c_retype("gcc");
    cxx_cases("g++");
    cxx_more("g++");
    cxx_fourth("g++");
    intent_cases("gcc", "g++");
  } else {
    missing = "gcc";
  }
  if (!have("clang")) {
    missing = "clang";
  } else {
    c_cases("clang");
    c_more("clang");
    c_third("clang");
    c_retype("clang");
    cxx_cases("clang++");
    cxx_more("clang++");
    cxx_fourth("clang++");
    intent_cases("clang", "clang++");
  }
  if (have("rustc")) {
    rust_cases();
    intent_rust();
  } else {
    missing = "rustc";
  }
  fix_rmtree(root);
  free(root);
  int rc = check_summary();
  if (!rc && missing) {
    printf("skipping: %s is not installed, its cases did not run (./setup.sh installs it)\n", missing);
    return 77;
  }
  return rc;
}
