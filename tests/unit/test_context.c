/* test_context.c — the pinned tree-sitter grammars load into Debian's libtree-sitter (parser ABI)
 * and find the item enclosing a line in C, C++ and Rust. */
#include "check.h"
#include "fix/context.h"

static void enclosing(enum fix_lang lang, const char *src, int line, int want_first, int want_last,
                      const char *want_kind) {
  int a = 0, b = 0;
  const char *kind = NULL;
  struct fix_err err;
  enum fix_status st = fix_context_enclosing(lang, src, strlen(src), line, &a, &b, &kind, &err);
  CHECK(st == FIX_OK);
  CHECK_EQ_INT(a, want_first);
  CHECK_EQ_INT(b, want_last);
  if (st == FIX_OK)
    CHECK_EQ_STR(kind, want_kind);
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
  CHECK(fix_context_enclosing(FIX_LANG_C, c, strlen(c), 6, &a, &b, &kind, NULL) == FIX_ERR_NOT_FOUND);
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
  return check_summary();
}
