/* test_diag.c — the diagnostic parsers on the cases that matter, one by one: flags, notes,
 * contexts, fix-it escapes, columns, paths with spaces, non-diagnostic noise, colours, CRLF, bad
 * JSON, libclang with unsaved buffers, and the linkers' output (GNU ld, gold, lld, mold). Real
 * compiler output is covered by test_golden, real linker output by its link_live. */
#include "check.h"
#include "fix/diag.h"

static struct fix_diag_list parse(const char *text, enum fix_compiler cc) {
  struct fix_diag_list l;
  fix_diag_list_init(&l);
  struct fix_err err;
  CHECK(fix_diag_parse_text(text, strlen(text), cc, &l, &err) == FIX_OK);
  return l;
}

static void test_basic(void) {
  struct fix_diag_list l = parse("a.c: In function 'main':\n"
                                 "a.c:3:5: warning: unused variable 'x' [-Wunused-variable]\n"
                                 "a.c:4:10: error: 'y' undeclared (first use in this function); did you mean 'x'?\n"
                                 "fix-it:\"a.c\":{4:10-4:11}:\"x\"\n"
                                 "a.c:4:10: note: each undeclared identifier is reported only once\n"
                                 "b.c:1: error: no column here\n"
                                 "make: *** [Makefile:2: a.o] Error 1\n",
                                 FIX_CC_CLANG);
  CHECK_EQ_INT(l.n, 3);
  CHECK_EQ_INT(l.v[0].severity, FIX_SEV_WARNING);
  CHECK_EQ_STR(l.v[0].code, "-Wunused-variable");
  CHECK_EQ_STR(l.v[0].message, "unused variable 'x'");
  CHECK_EQ_INT(l.v[0].nctx, 1);
  CHECK_EQ_INT(l.v[1].severity, FIX_SEV_ERROR);
  CHECK_EQ_INT(l.v[1].pos.line, 4);
  CHECK_EQ_INT(l.v[1].pos.col, 10);
  CHECK_EQ_INT(l.v[1].nfixits, 1);
  CHECK_EQ_STR(l.v[1].fixits[0].text, "x");
  CHECK_EQ_INT(l.v[1].fixits[0].range.end.col, 11);
  CHECK_EQ_INT(l.v[1].nnotes, 1);
  CHECK_EQ_INT(l.v[2].pos.line, 1);
  CHECK_EQ_INT(l.v[2].pos.col, 0);
  CHECK_EQ_INT(fix_diag_list_count(&l, FIX_SEV_ERROR), 2);
  CHECK_EQ_INT(fix_diag_list_count(&l, FIX_SEV_WARNING), 1);
  fix_diag_list_free(&l);
}

static void test_fixit_escapes(void) {
  struct fix_diag_list l = parse("x.c:1:1: error: e\n"
                                 "fix-it:\"dir \\\"q\\\"/x.c\":{1:1-1:1}:\"#include <stdio.h>\\n\\tq\\\\\\042\"\n",
                                 FIX_CC_GCC);
  CHECK_EQ_INT(l.n, 1);
  if (l.n == 1 && l.v[0].nfixits == 1) {
    CHECK_EQ_STR(l.v[0].fixits[0].range.begin.file, "dir \"q\"/x.c");
    CHECK_EQ_STR(l.v[0].fixits[0].text, "#include <stdio.h>\n\tq\\\"");
  }
  fix_diag_list_free(&l);
}

static void test_tools_and_noise(void) {
  struct fix_diag_list l = parse("cc -c a.c\n"
                                 "/usr/bin/ld: a.o: in function `main':\n"
                                 "a.c:(.text+0x9): undefined reference to `missing'\n"
                                 "collect2: error: ld returned 1 exit status\n"
                                 "cc1: fatal error: nope.c: No such file or directory\n"
                                 "\x01\x02\xff\xfe garbage : error : not a diag\n"
                                 "In file included from\n"
                                 "fix-it:\"broken\n"
                                 "::: error: \n",
                                 FIX_CC_UNKNOWN);
  CHECK_EQ_INT(l.n, 2);
  if (l.n == 2) {
    CHECK(l.v[0].pos.file == NULL);
    CHECK_EQ_STR(l.v[0].message, "collect2: ld returned 1 exit status");
    CHECK_EQ_INT(l.v[1].severity, FIX_SEV_FATAL);
  }
  fix_diag_list_free(&l);
}

static void test_colors_crlf_quotes(void) {
  struct fix_diag_list l = parse("\033[01m\033[Ka.c:2:3:\033[m\033[K \033[01;31m\033[Kerror: \033[m\033[K"
                                 "\xe2\x80\x98x\xe2\x80\x99 undeclared\r\n",
                                 FIX_CC_GCC);
  CHECK_EQ_INT(l.n, 1);
  if (l.n)
    CHECK_EQ_STR(l.v[0].message, "'x' undeclared");
  fix_diag_list_free(&l);
}

static void test_include_chain_and_templates(void) {
  struct fix_diag_list l = parse("In file included from inner.h:1,\n"
                                 "                 from main.c:2:\n"
                                 "inner.h:3:1: error: boom\n"
                                 "inner.h:4:1: error: again\n"
                                 "main.c:9:1: error: in main\n"
                                 "t.cpp: In instantiation of 'int B<T>::f() [with T = int]':\n"
                                 "t.cpp:7:16:   required from here\n"
                                 "t.cpp:3:9: error: bad\n",
                                 FIX_CC_GCC);
  CHECK_EQ_INT(l.n, 4);
  if (l.n == 4) {
    CHECK_EQ_STR(fix_diag_tu(&l.v[0]), "main.c");
    CHECK_EQ_STR(fix_diag_tu(&l.v[1]), "main.c"); /* the chain stays in force within the header */
    CHECK_EQ_STR(fix_diag_tu(&l.v[2]), "main.c");
    CHECK_EQ_INT(l.v[2].nctx, 0);
    CHECK_EQ_INT(l.v[3].nctx, 2);
    CHECK_EQ_INT(l.v[3].ctx[1].kind, FIX_CTX_TEMPLATE);
    CHECK_EQ_INT(l.v[3].ctx[1].pos.line, 7);
  }
  fix_diag_list_free(&l);
}

static void test_columns(void) {
  /* tab to 8, "é" one column (2 bytes), "€" one column (3 bytes), "中" two columns (3 bytes) */
  const char *line = "\tx\xc3\xa9y\xe2\x82\xac\xe4\xb8\xadz";
  size_t n = strlen(line);
  CHECK_EQ_INT(fix_display_to_byte_col(line, n, 1, 8), 1);
  CHECK_EQ_INT(fix_display_to_byte_col(line, n, 9, 8), 2);   /* x */
  CHECK_EQ_INT(fix_display_to_byte_col(line, n, 10, 8), 3);  /* é */
  CHECK_EQ_INT(fix_display_to_byte_col(line, n, 11, 8), 5);  /* y */
  CHECK_EQ_INT(fix_display_to_byte_col(line, n, 12, 8), 6);  /* € */
  CHECK_EQ_INT(fix_display_to_byte_col(line, n, 13, 8), 9);  /* 中 */
  CHECK_EQ_INT(fix_display_to_byte_col(line, n, 15, 8), 12); /* z */
  CHECK_EQ_INT(fix_display_to_byte_col(line, n, 16, 8), 13); /* end of line */
  const char *text = "ab\ncd\n";
  CHECK_EQ_INT(fix_text_offset(text, 6, 2, 1), 3);
  CHECK_EQ_INT(fix_text_offset(text, 6, 2, 3), 5);
  CHECK_EQ_INT(fix_text_offset(text, 6, 2, 4), -1);
  CHECK_EQ_INT(fix_text_offset(text, 6, 9, 1), -1);
}

static void test_paths_with_spaces(void) {
  struct fix_diag_list l = parse("my dir/fïlé: x.c:12:3: error: spaced\n", FIX_CC_CLANG);
  CHECK_EQ_INT(l.n, 1);
  if (l.n)
    CHECK_EQ_STR(l.v[0].pos.file, "my dir/fïlé: x.c");
  fix_diag_list_free(&l);
}

static void test_json_errors(void) {
  struct fix_diag_list l;
  fix_diag_list_init(&l);
  struct fix_err err;
  const char *bad = "[{\"kind\": \"error\", \"message\": \n";
  CHECK(fix_diag_parse_gcc_json(bad, strlen(bad), &l, &err) == FIX_ERR_PARSE);
  CHECK(strstr(err.msg, "malformed") != NULL);
  const char *odd = "[1, \"x\", {\"kind\": \"error\", \"locations\": 5, \"message\": 7}, {\"kind\": \"warning\"}]\n";
  CHECK(fix_diag_parse_gcc_json(odd, strlen(odd), &l, &err) == FIX_OK);
  CHECK_EQ_INT(l.n, 2);
  fix_diag_list_free(&l);
  const char *mixed = "make: Entering directory '/x'\n[{\"kind\": \"error\", \"message\": \"m\", \"locations\": []}]\n";
  fix_diag_list_init(&l);
  CHECK(fix_diag_parse_auto(mixed, strlen(mixed), FIX_CC_UNKNOWN, &l, &err) == FIX_OK);
  CHECK_EQ_INT(l.n, 1);
  fix_diag_list_free(&l);
}

static void test_libclang(void) {
  const char *src = "struct p { int x; };\nint f(struct p *v) { return v.x }\n";
  struct fix_unsaved u = {"/virtual/dir/t.c", src, strlen(src)};
  const char *args[] = {"-std=c11", "-Wall"};
  struct fix_diag_list l;
  fix_diag_list_init(&l);
  struct fix_err err;
  CHECK(fix_diag_from_libclang("/virtual/dir/t.c", args, 2, "/", &u, 1, &l, &err) == FIX_OK);
  CHECK_EQ_INT(fix_diag_list_count(&l, FIX_SEV_ERROR), 2);
  int arrow = 0, semi = 0;
  for (size_t i = 0; i < l.n; i++)
    for (size_t k = 0; k < l.v[i].nfixits; k++) {
      arrow |= !strcmp(l.v[i].fixits[k].text, "->") && l.v[i].fixits[k].range.begin.col == 30 &&
               l.v[i].fixits[k].range.end.col == 31;
      semi |= !strcmp(l.v[i].fixits[k].text, ";");
    }
  CHECK(arrow);
  CHECK(semi);
  CHECK(l.n && l.v[0].compiler == FIX_CC_CLANG);
  fix_diag_list_free(&l);
}

static void test_identity_and_copy(void) {
  struct fix_diag_list l = parse("a.c:3:5: error: 'x' undeclared\na.c:90:1: error: 'x' undeclared\n", FIX_CC_CLANG);
  char *a = fix_diag_identity(&l.v[0]), *b = fix_diag_identity(&l.v[1]);
  CHECK_EQ_STR(a, b); /* line numbers are not part of the identity */
  free(a);
  free(b);
  struct fix_diag_list c;
  fix_diag_list_init(&c);
  CHECK(fix_diag_list_copy_in(&c, &l.v[0]) == FIX_OK);
  CHECK_EQ_STR(c.v[0].message, l.v[0].message);
  CHECK(c.v[0].message != l.v[0].message);
  fix_diag_list_map_prefix(&c, "a.c", "/root/a.c");
  CHECK_EQ_STR(c.v[0].pos.file, "/root/a.c");
  fix_diag_list_free(&c);
  fix_diag_list_free(&l);
}

static void test_caps(void) {
  /* a 100 KiB line is skipped, not matched (and must not hang) */
  size_t n = 100 * 1024;
  char *big = malloc(n + 64);
  memset(big, ':', n);
  strcpy(big + n, "\na.c:1:1: error: after\n");
  struct fix_diag_list l = parse(big, FIX_CC_CLANG);
  CHECK_EQ_INT(l.n, 1);
  fix_diag_list_free(&l);
  free(big);
}

/* FIX_LIBCLANG naming no library: a clear error naming it (and nothing parsed), not a crash. Run in
 * its own process (`test_diag --no-libclang`): the library is loaded once per process. */
static int test_no_libclang(void) {
  setenv("FIX_LIBCLANG", "/nonexistent/libclang-fix-test.so", 1);
  const char *src = "int f(void) { return 0 }\n";
  struct fix_unsaved u = {"/virtual/dir/t.c", src, strlen(src)};
  struct fix_diag_list l;
  fix_diag_list_init(&l);
  struct fix_err err = {0};
  CHECK(fix_diag_from_libclang("/virtual/dir/t.c", NULL, 0, "/", &u, 1, &l, &err) != FIX_OK);
  CHECK(strstr(err.msg, "cannot load libclang") != NULL);
  CHECK(strstr(err.msg, "/nonexistent/libclang-fix-test.so") != NULL);
  CHECK_EQ_INT((int)l.n, 0);
  fix_diag_list_free(&l);
  return check_summary();
}

/* offset of the start of 1-based line `line` */
static size_t line_off(const char *t, int line) {
  size_t o = 0;
  for (int l = 1; l < line; l++)
    o = (size_t)(strchr(t + o, '\n') - t) + 1;
  return o;
}

static void test_ppscan(void) {
  size_t br[8], br2[8];
  /* gcc's place for a missing #include: the start of the #endif line, inside the #else branch */
  const char *u = "#include <stdlib.h>\n#ifdef _WIN32\n#include <windows.h>\n#else\n#include <unistd.h>\n#endif\n"
                  "int f(void) { return 0; }\n";
  size_t len = strlen(u);
  CHECK_EQ_INT(fix_pp_branches(u, len, line_off(u, 6), br, 8), 1);
  CHECK_EQ_INT(br[0], line_off(u, 4)); /* the #else branch */
  CHECK_EQ_INT(fix_pp_branches(u, len, line_off(u, 3), br2, 8), 1);
  CHECK(br2[0] != br[0]); /* the #ifdef branch is another one */
  CHECK_EQ_INT(fix_pp_branches(u, len, line_off(u, 7), br, 8), 0);
  CHECK_EQ_INT(fix_pp_branches(u, len, line_off(u, 1), br, 8), 0);
  CHECK_EQ_INT(fix_pp_include_point(u, len, line_off(u, 6)), line_off(u, 2)); /* after <stdlib.h>, at file scope */
  CHECK_EQ_INT(fix_pp_include_point(u, len, line_off(u, 7)), line_off(u, 7)); /* already at file scope */
  /* an include guard is not a branch; nested blocks are */
  const char *h = "/* x.h */\n#ifndef X_H\n#define X_H\n#include <stddef.h>\n#if A\n# if B\nint b;\n# endif\n#endif\n#endif\n";
  len = strlen(h);
  CHECK_EQ_INT(fix_pp_branches(h, len, line_off(h, 4), br, 8), 0);
  CHECK_EQ_INT(fix_pp_branches(h, len, line_off(h, 7), br, 8), 2);
  CHECK_EQ_INT(fix_pp_branches(h, len, line_off(h, 9), br, 8), 1);
  CHECK_EQ_INT(fix_pp_include_point(h, len, line_off(h, 7)), line_off(h, 5));
  /* a file whose includes all sit inside a block keeps the insertion where it was */
  const char *w = "#ifdef __linux__\n#include <unistd.h>\n#endif\n";
  len = strlen(w);
  CHECK_EQ_INT(fix_pp_include_point(w, len, line_off(w, 3)), line_off(w, 3));
  /* not a guard: #ifndef X / #define X with a value, closed at once; directives in comments ignored */
  const char *d = "#ifndef N\n#define N 10\n#endif\n/*\n#if 0\n*/\n#if 1\nint x;\n#endif\n";
  len = strlen(d);
  CHECK_EQ_INT(fix_pp_branches(d, len, line_off(d, 4), br, 8), 0);
  CHECK_EQ_INT(fix_pp_branches(d, len, line_off(d, 8), br, 8), 1);
  CHECK_EQ_INT(fix_pp_branches(d, len, len, br, 8), 0);
  /* unbalanced and empty input do not break it */
  CHECK_EQ_INT(fix_pp_branches("#endif\n#else\n", 14, 14, br, 8), 0);
  CHECK_EQ_INT(fix_pp_branches("", 0, 5, br, 8), 0);
  CHECK_EQ_INT(fix_pp_include_point("", 0, 0), 0);
  /* fix-its placed and classed: the include moves out of the #else; an edit in a branch the
   * diagnostic is not in is unsafe; one in the diagnostic's own branch is not */
  len = strlen(u);
  size_t a = line_off(u, 6), b = a;
  CHECK(fix_fixit_place(u, len, "#include <stdio.h>\n", &a, &b, (long)line_off(u, 7)) == NULL);
  CHECK_EQ_INT(a, line_off(u, 2));
  a = b = line_off(u, 5);
  CHECK(fix_fixit_place(u, len, "x", &a, &b, (long)line_off(u, 7)) != NULL);
  CHECK(fix_fixit_place(u, len, "x", &a, &b, (long)line_off(u, 5) + 3) == NULL);
  CHECK(fix_fixit_place(u, len, "x", &a, &b, -1) != NULL);
  a = b = line_off(u, 7);
  CHECK(fix_fixit_place(u, len, "x", &a, &b, -1) == NULL);
}

/* ---- linker output (parse_link.c, through the text parser's entry point) ---- */

static struct fix_diag_list parse_log(const char *text) {
  struct fix_diag_list l;
  fix_diag_list_init(&l);
  struct fix_err err;
  CHECK(fix_diag_parse_auto(text, strlen(text), FIX_CC_UNKNOWN, &l, &err) == FIX_OK);
  return l;
}

static const char *fn_ctx(const struct fix_diag *d) {
  for (size_t i = 0; i < d->nctx; i++)
    if (d->ctx[i].kind == FIX_CTX_FUNCTION)
      return d->ctx[i].text;
  return NULL;
}

static int same(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }

/* One linker diagnostic (or note) as expected: NULL for "none"; line 0 with file NULL. */
static int link_is(const struct fix_diag_list *l, size_t i, int note, enum fix_severity sev, const char *code,
                   const char *msg, const char *file, int line, const char *obj, const char *src, const char *fn) {
  if (i >= l->n || (note >= 0 && (size_t)note >= l->v[i].nnotes)) {
    fprintf(stderr, "  no diagnostic %zu note %d (%zu diagnostics)\n", i, note, l->n);
    return 0;
  }
  const struct fix_diag *d = note >= 0 ? &l->v[i].notes[note] : &l->v[i];
  int ok = d->compiler == FIX_CC_LINKER && d->severity == sev && same(d->code, code) && same(d->message, msg) &&
           same(d->pos.file, file) && d->pos.line == line && same(fix_diag_link_object(d), obj) &&
           same(fix_diag_link_source(d), src) && same(fn_ctx(d), fn);
  if (!ok)
    fprintf(stderr, "  diagnostic %zu note %d: %s %s [%s] at %s:%d object %s source %s ctx %s (compiler %s)\n", i, note,
            fix_severity_str(d->severity), d->message ? d->message : "-", d->code ? d->code : "-",
            d->pos.file ? d->pos.file : "-", d->pos.line, fix_diag_link_object(d) ? fix_diag_link_object(d) : "-",
            fix_diag_link_source(d) ? fix_diag_link_source(d) : "-", fn_ctx(d) ? fn_ctx(d) : "-",
            fix_compiler_str(d->compiler));
  return ok;
}

#define E FIX_SEV_ERROR
#define W FIX_SEV_WARNING
#define N FIX_SEV_NOTE
#define UNDEF "link:undefined-reference"
#define MULTI "link:multiple-definition"
#define NOLIB "link:missing-library"

/* GNU ld 2.40 (bfd) without debug info: object-relative locations, the function from the
 * "in function" line before (also for the following lines that print only "/usr/bin/ld: "). */
static void test_link_bfd(void) {
  struct fix_diag_list l = parse_log("/usr/bin/ld: /tmp/cccZR9fJ.o: in function `unused_helper':\n"
                                     "m2.c:(.text+0x5): undefined reference to `missing_fn'\n"
                                     "/usr/bin/ld: /tmp/cccZR9fJ.o: in function `main':\n"
                                     "m2.c:(.text+0x15): undefined reference to `missing_fn'\n"
                                     "/usr/bin/ld: m2.c:(.text+0x1a): undefined reference to `missing_fn'\n"
                                     "/usr/bin/ld.bfd: util.o:(.data+0x0): multiple definition of `shared_var'; "
                                     "main.o:(.data+0x0): first defined here\n"
                                     "/usr/bin/ld.bfd: cannot find -lnonexistentlib: No such file or directory\n"
                                     "ld: cannot find -lold\n"
                                     "collect2: error: ld returned 1 exit status\n");
  CHECK_EQ_INT(l.n, 6);
  CHECK(link_is(&l, 0, -1, E, UNDEF, "undefined reference to 'missing_fn'", NULL, 0, "/tmp/cccZR9fJ.o", "m2.c",
                "In function 'unused_helper'"));
  CHECK(link_is(&l, 1, -1, E, UNDEF, "undefined reference to 'missing_fn'", NULL, 0, "/tmp/cccZR9fJ.o", "m2.c",
                "In function 'main'"));
  CHECK(link_is(&l, 2, -1, E, UNDEF, "undefined reference to 'missing_fn'", NULL, 0, "/tmp/cccZR9fJ.o", "m2.c",
                "In function 'main'"));
  CHECK(link_is(&l, 3, -1, E, MULTI, "multiple definition of 'shared_var'", NULL, 0, "util.o", NULL, NULL));
  CHECK(link_is(&l, 3, 0, N, NULL, "first defined here", NULL, 0, "main.o", NULL, NULL));
  CHECK(link_is(&l, 4, -1, E, NOLIB, "cannot find -lnonexistentlib", NULL, 0, NULL, NULL, NULL));
  CHECK(link_is(&l, 5, -1, E, NOLIB, "cannot find -lold", NULL, 0, NULL, NULL, NULL));
  CHECK_EQ_INT(fix_diag_list_count(&l, FIX_SEV_ERROR), 6); /* collect2's line is not one more */
  fix_diag_list_free(&l);
}

/* bfd with -g (source:line), C++ demangled and not, an archive member, a warning, libm's DSO,
 * binutils < 2.30's "In function" and two-line multiple definition, a UTF-8 locale's quotes */
static void test_link_bfd_debug(void) {
  struct fix_diag_list l = parse_log(
      "/usr/bin/ld.bfd: util.o:/tmp/linkexp/util.c:1: multiple definition of `shared_var'; "
      "main.o:/tmp/linkexp/main.c:4: first defined here\n"
      "/usr/bin/ld.bfd: /tmp/ccc3jLte.o: in function `main':\n"
      "/tmp/linkexp/cp.cpp:3: undefined reference to `ns::S::m() const'\n"
      "/usr/bin/ld.bfd: /tmp/linkexp/cp.cpp:3: undefined reference to `_ZN2ns1fEi'\n"
      "/usr/bin/ld.bfd: ./libone.a(lib1.o): in function `lib_f':\n"
      "/tmp/linkexp/lib1.c:2: undefined reference to `missing_fn'\n"
      "/usr/bin/ld.bfd: /tmp/ccI1ZDYR.o: in function `main':\n"
      "/tmp/linkexp/w.c:4: warning: the use of `tmpnam' is dangerous, better use `mkstemp'\n"
      "/usr/bin/ld.bfd: /tmp/cc9a00b5.o: undefined reference to symbol 'cbrt@@GLIBC_2.2.5'\n"
      "/usr/bin/ld.bfd: /lib/x86_64-linux-gnu/libm.so.6: error adding symbols: DSO missing from command line\n"
      "main.o: In function `main':\n"
      "main.c:(.text+0x5): undefined reference to `foo'\n"
      "main.c:(.text+0x9): more undefined references to `foo' follow\n"
      "util.o:(.data+0x0): multiple definition of `v'\n"
      "main.o:(.data+0x0): first defined here\n"
      "/usr/bin/ld: x.o: in function \xe2\x80\x98g\xe2\x80\x99:\n"
      "x.c:(.text+0x5): undefined reference to \xe2\x80\x98h\xe2\x80\x99\n"
      "collect2: error: ld returned 1 exit status\n");
  CHECK_EQ_INT(l.n, 9);
  CHECK(link_is(&l, 0, -1, E, MULTI, "multiple definition of 'shared_var'", "/tmp/linkexp/util.c", 1, "util.o", NULL,
                NULL));
  CHECK(link_is(&l, 0, 0, N, NULL, "first defined here", "/tmp/linkexp/main.c", 4, "main.o", NULL, NULL));
  CHECK(link_is(&l, 1, -1, E, UNDEF, "undefined reference to 'ns::S::m() const'", "/tmp/linkexp/cp.cpp", 3,
                "/tmp/ccc3jLte.o", NULL, "In function 'main'"));
  CHECK(link_is(&l, 2, -1, E, UNDEF, "undefined reference to '_ZN2ns1fEi'", "/tmp/linkexp/cp.cpp", 3, "/tmp/ccc3jLte.o",
                NULL, "In function 'main'"));
  CHECK(link_is(&l, 3, -1, E, UNDEF, "undefined reference to 'missing_fn'", "/tmp/linkexp/lib1.c", 2,
                "./libone.a(lib1.o)", NULL, "In function 'lib_f'"));
  CHECK(link_is(&l, 4, -1, W, "link:warning", "the use of 'tmpnam' is dangerous, better use 'mkstemp'",
                "/tmp/linkexp/w.c", 4, "/tmp/ccI1ZDYR.o", NULL, "In function 'main'"));
  CHECK(link_is(&l, 5, -1, E, UNDEF, "undefined reference to 'cbrt'", NULL, 0, "/tmp/cc9a00b5.o", NULL, NULL));
  CHECK(link_is(&l, 5, 0, N, NULL, "error adding symbols: DSO missing from command line", NULL, 0,
                "/lib/x86_64-linux-gnu/libm.so.6", NULL, NULL));
  CHECK(link_is(&l, 6, -1, E, UNDEF, "undefined reference to 'foo'", NULL, 0, "main.o", "main.c", "In function 'main'"));
  CHECK(link_is(&l, 7, -1, E, MULTI, "multiple definition of 'v'", NULL, 0, "util.o", NULL, NULL));
  CHECK(link_is(&l, 7, 0, N, NULL, "first defined here", NULL, 0, "main.o", NULL, NULL));
  CHECK(link_is(&l, 8, -1, E, UNDEF, "undefined reference to 'h'", NULL, 0, "x.o", "x.c", "In function 'g'"));
  fix_diag_list_free(&l);
}

/* gold 1.16: object:source:function without debug info, source:line with it (and nothing else);
 * an exact repeat (one line per call site, all alike) is one diagnostic */
static void test_link_gold(void) {
  struct fix_diag_list l = parse_log(
      "/usr/bin/ld.gold: error: util.o: multiple definition of 'shared_var'\n"
      "/usr/bin/ld.gold: main.o: previous definition here\n"
      "/usr/bin/ld.gold: error: cannot find -lnonexistentlib\n"
      "main.o:main.c:function main: error: undefined reference to 'missing_fn'\n"
      "main.o:main.c:function main: error: undefined reference to 'missing_fn'\n"
      "/tmp/ccPXAAks.o:cp.cpp:function main: error: undefined reference to 'ns::f(int)'\n"
      "/tmp/cctjrvz8.o:w.c:function main: warning: the use of `tmpnam' is dangerous, better use `mkstemp'\n"
      "/tmp/linkexp/main.c:6: error: undefined reference to 'missing_fn'\n"
      "/tmp/linkexp/main.c:8: error: undefined reference to 'missing_fn'\n"
      "/tmp/linkexp/w.c:4: warning: the use of `tmpnam' is dangerous, better use `mkstemp'\n"
      "collect2: error: ld returned 1 exit status\n");
  CHECK_EQ_INT(l.n, 8);
  CHECK(link_is(&l, 0, -1, E, MULTI, "multiple definition of 'shared_var'", NULL, 0, "util.o", NULL, NULL));
  CHECK(link_is(&l, 0, 0, N, NULL, "first defined here", NULL, 0, "main.o", NULL, NULL));
  CHECK(link_is(&l, 1, -1, E, NOLIB, "cannot find -lnonexistentlib", NULL, 0, NULL, NULL, NULL));
  CHECK(link_is(&l, 2, -1, E, UNDEF, "undefined reference to 'missing_fn'", NULL, 0, "main.o", "main.c",
                "In function 'main'"));
  CHECK(link_is(&l, 3, -1, E, UNDEF, "undefined reference to 'ns::f(int)'", NULL, 0, "/tmp/ccPXAAks.o", "cp.cpp",
                "In function 'main'"));
  CHECK(link_is(&l, 4, -1, W, "link:warning", "the use of 'tmpnam' is dangerous, better use 'mkstemp'", NULL, 0,
                "/tmp/cctjrvz8.o", "w.c", "In function 'main'"));
  CHECK(link_is(&l, 5, -1, E, UNDEF, "undefined reference to 'missing_fn'", "/tmp/linkexp/main.c", 6, NULL, NULL, NULL));
  CHECK(link_is(&l, 6, -1, E, UNDEF, "undefined reference to 'missing_fn'", "/tmp/linkexp/main.c", 8, NULL, NULL, NULL));
  CHECK(link_is(&l, 7, -1, W, "link:warning", "the use of 'tmpnam' is dangerous, better use 'mkstemp'",
                "/tmp/linkexp/w.c", 4, NULL, NULL, NULL));
  fix_diag_list_free(&l);
}

/* lld 14: one error per symbol, the first reference its position (the absolute path in
 * parentheses), the others notes; duplicate symbols; a relocation error; "did you mean" */
static void test_link_lld(void) {
  struct fix_diag_list l = parse_log("ld.lld: error: undefined symbol: missing_fn\n"
                                     ">>> referenced by m2.c:2 (/tmp/linkexp/m2.c:2)\n"
                                     ">>>               /tmp/ccm40AwP.o:(unused_helper)\n"
                                     ">>> referenced by m2.c:4 (/tmp/linkexp/m2.c:4)\n"
                                     ">>>               /tmp/ccm40AwP.o:(main)\n"
                                     ">>> referenced 3 more times\n"
                                     "\n"
                                     "ld.lld: error: undefined symbol: ns::f(int)\n"
                                     ">>> referenced by cp.cpp\n"
                                     ">>>               lib1.o:(main) in archive ./libone.a\n"
                                     ">>> did you mean: ns::f(long)\n"
                                     ">>> defined in: util.o\n"
                                     "ld.lld: error: duplicate symbol: shared_var\n"
                                     ">>> defined at main.c:4 (/tmp/linkexp/main.c:4)\n"
                                     ">>>            main.o:(shared_var)\n"
                                     ">>> defined at util.c:1 (/tmp/linkexp/util.c:1)\n"
                                     ">>>            util.o:(.data+0x0)\n"
                                     "ld.lld: error: duplicate symbol: helper\n"
                                     ">>> defined at w.c\n"
                                     ">>>            /tmp/ccJDBysl.o:(helper)\n"
                                     ">>> defined at util.c\n"
                                     ">>>            /tmp/ccRCoyAV.o:(.text+0x0)\n"
                                     "ld.lld: error: relocation R_X86_64_64 cannot be used against symbol 'v'; "
                                     "recompile with -fPIC\n"
                                     ">>> defined in vnopic.o\n"
                                     ">>> referenced by r.c\n"
                                     ">>>               r.o:(main)\n"
                                     "ld.lld: error: unable to find library -lnonexistentlib\n"
                                     "ld.lld: error: too many errors emitted, stopping now (use -error-limit=0 to see all errors)\n"
                                     "clang: error: linker command failed with exit code 1 (use -v to see invocation)\n");
  CHECK_EQ_INT(l.n, 6);
  CHECK(link_is(&l, 0, -1, E, UNDEF, "undefined reference to 'missing_fn'", "/tmp/linkexp/m2.c", 2, "/tmp/ccm40AwP.o",
                NULL, "In function 'unused_helper'"));
  CHECK_EQ_INT(l.n ? l.v[0].nnotes : 0, 1);
  CHECK(link_is(&l, 0, 0, N, NULL, "referenced here", "/tmp/linkexp/m2.c", 4, "/tmp/ccm40AwP.o", NULL,
                "In function 'main'"));
  CHECK(link_is(&l, 1, -1, E, UNDEF, "undefined reference to 'ns::f(int)'", NULL, 0, "./libone.a(lib1.o)", "cp.cpp",
                "In function 'main'"));
  CHECK(link_is(&l, 1, 0, N, NULL, "did you mean: ns::f(long)", NULL, 0, "util.o", NULL, NULL));
  /* lld names the first definition first: it is the note; the duplicate is the position */
  CHECK(link_is(&l, 2, -1, E, MULTI, "multiple definition of 'shared_var'", "/tmp/linkexp/util.c", 1, "util.o", NULL,
                NULL));
  CHECK(link_is(&l, 2, 0, N, NULL, "first defined here", "/tmp/linkexp/main.c", 4, "main.o", NULL, NULL));
  CHECK(link_is(&l, 3, -1, E, MULTI, "multiple definition of 'helper'", NULL, 0, "/tmp/ccRCoyAV.o", "util.c", NULL));
  CHECK(link_is(&l, 3, 0, N, NULL, "first defined here", NULL, 0, "/tmp/ccJDBysl.o", "w.c", NULL));
  CHECK(link_is(&l, 4, -1, E, "link:other",
                "relocation R_X86_64_64 cannot be used against symbol 'v'; recompile with -fPIC", NULL, 0, "r.o", "r.c",
                "In function 'main'"));
  CHECK(link_is(&l, 4, 0, N, NULL, "defined here", NULL, 0, "vnopic.o", NULL, NULL));
  CHECK(link_is(&l, 5, -1, E, NOLIB, "cannot find -lnonexistentlib", NULL, 0, NULL, NULL, NULL));
  fix_diag_list_free(&l);
}

/* mold 1.10: lld's layout, "duplicate symbol: NEW: FIRST: SYM", "fatal: library not found", and
 * its ">>>" lines sometimes run together */
static void test_link_mold(void) {
  struct fix_diag_list l = parse_log("mold: error: undefined symbol: missing_fn\n"
                                     ">>> referenced by m2.c\n"
                                     ">>>               /tmp/ccCIvGjq.o:(unused_helper)>>> referenced by m2.c\n"
                                     ">>>               /tmp/ccCIvGjq.o:(main)\n"
                                     "mold: error: undefined symbol: f(std::vector<std::pair<int, A<B<C>>>>)\n"
                                     ">>> referenced by x.cc\n"
                                     ">>>               libone.a(lib1.o):(g(A<B<C<int>>> ))\n"
                                     "mold: error: duplicate symbol: util.o: main.o: shared_var\n"
                                     "mold: warning: symbol type mismatch: dup\n"
                                     ">>> defined in /tmp/ccxoGaJI.o as STT_OBJECT\n"
                                     "mold: fatal: library not found: nonexistentlib\n"
                                     "collect2: error: ld returned 1 exit status\n");
  CHECK_EQ_INT(l.n, 5);
  CHECK(link_is(&l, 0, -1, E, UNDEF, "undefined reference to 'missing_fn'", NULL, 0, "/tmp/ccCIvGjq.o", "m2.c",
                "In function 'unused_helper'"));
  CHECK(link_is(&l, 0, 0, N, NULL, "referenced here", NULL, 0, "/tmp/ccCIvGjq.o", "m2.c", "In function 'main'"));
  CHECK(link_is(&l, 1, -1, E, UNDEF, "undefined reference to 'f(std::vector<std::pair<int, A<B<C>>>>)'", NULL, 0,
                "libone.a(lib1.o)", "x.cc", "In function 'g(A<B<C<int>>> )'"));
  CHECK(link_is(&l, 2, -1, E, MULTI, "multiple definition of 'shared_var'", NULL, 0, "util.o", NULL, NULL));
  CHECK(link_is(&l, 2, 0, N, NULL, "first defined here", NULL, 0, "main.o", NULL, NULL));
  CHECK(link_is(&l, 3, -1, W, "link:warning", "symbol type mismatch: dup", NULL, 0, NULL, NULL, NULL));
  CHECK(link_is(&l, 3, 0, N, NULL, "defined here", NULL, 0, "/tmp/ccxoGaJI.o", NULL, NULL));
  CHECK(link_is(&l, 4, -1, E, NOLIB, "cannot find -lnonexistentlib", NULL, 0, NULL, NULL, NULL));
  fix_diag_list_free(&l);
}

/* The driver's summary: dropped when the linker's errors were parsed, kept (as before, one error
 * without a location) when they were not; compiler diagnostics in the same log still parsed, and
 * the compiler's own lines never taken for the linker's */
static void test_link_summary_and_compiler(void) {
  struct fix_diag_list l = parse_log("make: Entering directory '/nonexistent/proj'\n"
                                     "gcc -c a.c\n"
                                     "a.c: In function \xe2\x80\x98main\xe2\x80\x99:\n"
                                     "a.c:3:5: warning: unused variable \xe2\x80\x98x\xe2\x80\x99 [-Wunused-variable]\n"
                                     "a.c:4:2: error: stray '`' in program\n"
                                     "a.c: In function 'f':\n"
                                     "a.c:9:1: error: #error undefined reference to x\n"
                                     "gcc a.o -o a\n"
                                     "/usr/bin/ld: a.o: in function `main':\n"
                                     "a.c:(.text+0x9): undefined reference to `missing'\n"
                                     "/usr/bin/ld: skipping incompatible /usr/lib32/libz.so when searching for -lz\n"
                                     "collect2: error: ld returned 1 exit status\n"
                                     "make: *** [Makefile:2: a] Error 1\n"
                                     "make: Leaving directory '/nonexistent/proj'\n");
  CHECK_EQ_INT(l.n, 4);
  if (l.n == 4) {
    CHECK_EQ_STR(l.v[0].message, "unused variable 'x'");
    CHECK_EQ_STR(fn_ctx(&l.v[0]), "In function 'main'");
    CHECK_EQ_STR(l.v[1].message, "stray '`' in program");
    CHECK_EQ_STR(l.v[2].message, "#error undefined reference to x");
    CHECK(l.v[2].compiler != FIX_CC_LINKER);
    CHECK(link_is(&l, 3, -1, E, UNDEF, "undefined reference to 'missing'", NULL, 0, "a.o", "a.c", "In function 'main'"));
  }
  fix_diag_list_free(&l);
  /* nothing the linker said was parsed: the summary stays the one error */
  l = parse_log("/usr/bin/ld: some future message\n"
                "collect2: error: ld returned 1 exit status\n");
  CHECK_EQ_INT(l.n, 1);
  if (l.n == 1) {
    CHECK(l.v[0].pos.file == NULL);
    CHECK_EQ_STR(l.v[0].message, "collect2: ld returned 1 exit status");
  }
  fix_diag_list_free(&l);
  l = parse_log("clang: error: linker command failed with exit code 1 (use -v to see invocation)\n");
  CHECK_EQ_INT(l.n, 1);
  fix_diag_list_free(&l);
  /* a linker warning only: the summary is not dropped either, and the warning is the linker's */
  l = parse_log("/usr/bin/ld: warning: creating DT_TEXTREL in a shared object\n"
                "collect2: error: ld returned 1 exit status\n");
  CHECK_EQ_INT(l.n, 2); /* the compiler parser's first, then the linker's */
  CHECK(link_is(&l, 1, -1, W, "link:warning", "creating DT_TEXTREL in a shared object", NULL, 0, NULL, NULL, NULL));
  fix_diag_list_free(&l);
  /* bfd's unlabelled errors; rustc's note quoting the linker (indented) is not the linker's */
  l = parse_log("/usr/bin/ld: final link failed: bad value\n"
                "/usr/bin/ld: main.o: relocation R_X86_64_32 against `.rodata' can not be used when making a PIE "
                "object; recompile with -fPIE\n"
                "  = note: /usr/bin/ld: x.o: in function `main':\n"
                "          x.c:(.text+0x9): undefined reference to `missing'\n");
  CHECK_EQ_INT(l.n, 2);
  CHECK(link_is(&l, 0, -1, E, "link:other", "final link failed: bad value", NULL, 0, NULL, NULL, NULL));
  CHECK(link_is(&l, 1, -1, E, "link:other",
                "relocation R_X86_64_32 against '.rodata' can not be used when making a PIE object; recompile with -fPIE",
                NULL, 0, "main.o", NULL, NULL));
  fix_diag_list_free(&l);
}

/* exact repeats are one diagnostic (also when a whole log repeats), colours and CR are stripped,
 * a line past the cap is skipped and forgets the function context, make's directory applies */
static void test_link_repeats_and_caps(void) {
  const char *once = "/usr/bin/ld: m.o: in function `main':\n"
                     "m.c:(.text+0x5): undefined reference to `a'\r\n"
                     "\033[01m\033[Km.c:(.text+0x9): undefined reference to `b'\033[m\033[K\n";
  char *twice = fix_asprintf("%s%s", once, once);
  struct fix_diag_list l = parse_log(twice);
  CHECK_EQ_INT(l.n, 2);
  CHECK(link_is(&l, 1, -1, E, UNDEF, "undefined reference to 'b'", NULL, 0, "m.o", "m.c", "In function 'main'"));
  fix_diag_list_free(&l);
  free(twice);
  size_t n = 100 * 1024;
  char *big = malloc(n + 256);
  strcpy(big, "/usr/bin/ld: m.o: in function `main':\n");
  size_t at = strlen(big);
  memset(big + at, 'x', n);
  strcpy(big + at + n, "\nm.c:(.text+0x5): undefined reference to `a'\nld.lld: error: undefined symbol: q\n");
  l = parse_log(big);
  CHECK_EQ_INT(l.n, 2);
  CHECK(link_is(&l, 0, -1, E, UNDEF, "undefined reference to 'a'", NULL, 0, NULL, "m.c", NULL));
  fix_diag_list_free(&l);
  free(big);
  /* the directory make says it is in, where the object exists there */
  char *dir = fix_mkdtemp("fix-test-link");
  char *obj = dir ? fix_path_join(dir, "m.o") : NULL;
  CHECK(obj && fix_file_write_atomic(obj, "", 0, NULL) == FIX_OK);
  char *log = fix_asprintf("make[1]: Entering directory '%s'\n/usr/bin/ld: m.o: in function `main':\n"
                           "m.c:(.text+0x5): undefined reference to `a'\n",
                           dir);
  l = parse_log(log);
  CHECK(link_is(&l, 0, -1, E, UNDEF, "undefined reference to 'a'", NULL, 0, obj, "m.c", "In function 'main'"));
  fix_diag_list_free(&l);
  free(log);
  free(obj);
  if (dir)
    fix_rmtree(dir);
  free(dir);
}

#undef E
#undef W
#undef N
#undef UNDEF
#undef MULTI
#undef NOLIB


/* Which parser reads a build log: rustc's JSON from rustc 1.63 (no "$message_type") and from old cargo;
 * a cargo log whose only JSON is artifacts (a build script's compiler failed) goes to the text parser. */
static void test_sniff_rustc(void) {
  const char *old_rustc = "{\"message\":\"mismatched types\",\"code\":{\"code\":\"E0308\",\"explanation\":null},"
                          "\"level\":\"error\",\"spans\":[{\"file_name\":\"m.rs\",\"byte_start\":0,\"byte_end\":1,"
                          "\"line_start\":2,\"line_end\":2,\"column_start\":18,\"column_end\":21,\"is_primary\":true,"
                          "\"text\":[],\"label\":null,\"suggested_replacement\":null,\"suggestion_applicability\":null,"
                          "\"expansion\":null}],\"children\":[],\"rendered\":\"error[E0308]\"}\n";
  struct fix_diag_list l;
  struct fix_err err;
  fix_diag_list_init(&l);
  CHECK(fix_diag_parse_auto(old_rustc, strlen(old_rustc), FIX_CC_UNKNOWN, &l, &err) == FIX_OK);
  CHECK(l.n == 1 && l.v[0].code && !strcmp(l.v[0].code, "E0308") && l.v[0].pos.line == 2);
  fix_diag_list_free(&l);
  const char *old_cargo = "   Compiling c v0.1.0 (/c)\n{\"reason\":\"compiler-message\",\"package_id\":\"c\","
                          "\"manifest_path\":\"/c/Cargo.toml\",\"message\":{\"message\":\"m\",\"code\":null,"
                          "\"level\":\"error\",\"spans\":[],\"children\":[],\"rendered\":\"error: m\"}}\n";
  fix_diag_list_init(&l);
  CHECK(fix_diag_parse_auto(old_cargo, strlen(old_cargo), FIX_CC_UNKNOWN, &l, &err) == FIX_OK);
  CHECK_EQ_INT(l.n, 1);
  fix_diag_list_free(&l);
  const char *buildrs = "{\"reason\":\"compiler-artifact\",\"package_id\":\"c\"}\n"
                        "  native/add.c:5:10: error: 'sm' undeclared (first use in this function)\n"
                        "{\"reason\":\"build-finished\",\"success\":false}\n";
  fix_diag_list_init(&l);
  CHECK(fix_diag_parse_auto(buildrs, strlen(buildrs), FIX_CC_UNKNOWN, &l, &err) == FIX_OK);
  CHECK(l.n == 1 && l.v[0].pos.file && strstr(l.v[0].pos.file, "add.c"));
  fix_diag_list_free(&l);
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "--no-libclang"))
    return test_no_libclang();
  test_basic();
  test_fixit_escapes();
  test_tools_and_noise();
  test_colors_crlf_quotes();
  test_include_chain_and_templates();
  test_columns();
  test_paths_with_spaces();
  test_json_errors();
  test_sniff_rustc();
  test_libclang();
  test_identity_and_copy();
  test_caps();
  test_ppscan();
  test_link_bfd();
  test_link_bfd_debug();
  test_link_gold();
  test_link_lld();
  test_link_mold();
  test_link_summary_and_compiler();
  test_link_repeats_and_caps();
  return check_summary();
}
