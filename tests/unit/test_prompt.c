/* test_prompt.c — every shipped template renders with the documented values; conditional
 * blocks, partials, user overrides and template errors behave. */
#include "check.h"
#include "fix/prompt.h"

#include <stdlib.h>

static const struct fix_kv vars[] = {
    {"language", "c"},
    {"command", "make"},
    {"diagnostics", "src/a.c:3:13: error: expected ';'"},
    {"context", "src/a.c\n3 |   int x = 1"},
    {"explanation", ""},
    {"feedback", "block 1: the line 'int y' is not in the file"},
    {"files", "src/a.c"},
    {"change", "--- a/src/a.h\n+++ b/src/a.h\n@@ -1 +1 @@\n-int qty;\n+int quantity;\n"},
};

int main(void) {
  unsetenv("FIX_PROMPTS_DIR");
  setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
  const char *langs[] = {"c", "cpp", "rust"};
  const char *fmts[] = {"changelog", "search-replace", "udiff"};
  for (int l = 0; l < 3; l++)
    for (int f = 0; f < 3; f++) {
      char name[64];
      snprintf(name, sizeof name, "%s-%s", langs[l], fmts[f]);
      char *t = NULL, *origin = NULL, *sys = NULL, *usr = NULL;
      struct fix_err err;
      CHECK(fix_prompt_load(name, &t, &origin, &err) == FIX_OK);
      CHECK(origin && strstr(origin, "prompts/"));
      CHECK(t && fix_prompt_render(t, vars, sizeof vars / sizeof *vars, &sys, &usr, &err) == FIX_OK);
      if (sys && usr) {
        CHECK(strstr(sys, "Rules:") != NULL);                 /* the rules partial */
        CHECK(strstr(sys, "Example") != NULL);                /* the format partial with its example */
        CHECK(strstr(usr, "`make` failed") != NULL);
        CHECK(strstr(usr, "3 |   int x = 1") != NULL);
        CHECK(strstr(usr, "previous answer could not be used: block 1") != NULL);
        CHECK(strstr(usr, "explains this error") == NULL);   /* empty explanation: block dropped */
        CHECK(strstr(usr, "middle of this change") && strstr(usr, "+int quantity;")); /* the developer's diff */
        CHECK(strstr(sys, "{{") == NULL && strstr(usr, "{{") == NULL);
      }
      free(t);
      free(origin);
      free(sys);
      free(usr);
    }
  /* template errors are specific */
  char *sys, *usr;
  struct fix_err err;
  CHECK(fix_prompt_render("[system]\nhi {{nope}}\n[user]\nx\n", vars, 7, &sys, &usr, &err) == FIX_ERR_PARSE);
  CHECK(strstr(err.msg, "unknown placeholder 'nope'") != NULL);
  CHECK(fix_prompt_render("[system]\n{{#feedback}}x\n[user]\ny\n", vars, 7, &sys, &usr, &err) == FIX_ERR_PARSE);
  CHECK(fix_prompt_render("no sections", vars, 7, &sys, &usr, &err) == FIX_ERR_PARSE);
  CHECK(fix_prompt_render("[system]\n{{> no-such-partial}}\n[user]\ny\n", vars, 7, &sys, &usr, &err) == FIX_ERR_NOT_FOUND);
  char *t, *origin;
  CHECK(fix_prompt_load("../etc/passwd", &t, &origin, &err) == FIX_ERR_ARG);
  /* a user override wins */
  char *dir = fix_mkdtemp("fix-test-prompt");
  char *f = fix_path_join(dir, "c-udiff.txt");
  const char *mine = "[system]\nmine\n[user]\n{{command}}\n";
  CHECK(fix_file_write_atomic(f, mine, strlen(mine), NULL) == FIX_OK);
  setenv("FIX_PROMPTS_DIR", dir, 1);
  CHECK(fix_prompt_load("c-udiff", &t, &origin, &err) == FIX_OK);
  CHECK(origin && strstr(origin, dir));
  CHECK(fix_prompt_render(t, vars, 7, &sys, &usr, &err) == FIX_OK && !strcmp(sys, "mine") && !strcmp(usr, "make"));
  free(t);
  free(origin);
  free(sys);
  free(usr);
  fix_rmtree(dir);
  free(dir);
  free(f);
  return check_summary();
}
