/* test_context.c — the pinned tree-sitter grammars load into Debian's libtree-sitter (parser ABI)
 * and find the item enclosing a line in C, C++ and Rust. */
#include "check.h"
#include "fix/context.h"

#include <cjson/cJSON.h>
#include <dirent.h>

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
  return check_summary();
}
