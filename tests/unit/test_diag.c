/* test_diag.c — the diagnostic parsers on the cases that matter, one by one: flags, notes,
 * contexts, fix-it escapes, columns, paths with spaces, non-diagnostic noise, colours, CRLF, bad
 * JSON, and libclang with unsaved buffers. Real compiler output is covered by test_golden. */
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
  test_libclang();
  test_identity_and_copy();
  test_caps();
  test_ppscan();
  return check_summary();
}
