/* test_config.c — settings precedence: default < user file < project file < FIX_* < command line,
 * each remembering its source; invalid values and files are clear errors. */
#include "check.h"
#include "fix/repair.h"

#include <stdlib.h>

int main(void) {
  char *dir = fix_mkdtemp("fix-test-config");
  char *xdg = fix_path_join(dir, "xdg");
  char *fixdir = fix_path_join(xdg, "fix");
  char *proj = fix_path_join(dir, "proj");
  CHECK(fix_mkdirs(fixdir, NULL) == FIX_OK);
  CHECK(fix_mkdirs(proj, NULL) == FIX_OK);
  setenv("XDG_CONFIG_HOME", xdg, 1);
  unsetenv("FIX_MAX_ITERATIONS");
  unsetenv("FIX_CANDIDATES");
  unsetenv("FIX_BACKEND");
  char *user = fix_path_join(fixdir, "config.json");
  const char *uj = "{\"max_iterations\": 5, \"candidates\": 4, \"backend\": \"ollama\", \"future_key\": 1}";
  CHECK(fix_file_write_atomic(user, uj, strlen(uj), NULL) == FIX_OK);
  char *pf = fix_config_project_path(proj);
  const char *pj = "{\"candidates\": 2, \"fixits\": false}";
  CHECK(fix_file_write_atomic(pf, pj, strlen(pj), NULL) == FIX_OK);
  setenv("FIX_CANDIDATES", "7", 1);

  struct fix_options o;
  fix_options_defaults(&o);
  struct fix_err err;
  CHECK(fix_options_load(&o, proj, &err) == FIX_OK);
  CHECK_EQ_INT(o.max_iterations, 5);
  CHECK_EQ_INT(o.src[FIX_CFG_MAX_ITERATIONS], FIX_CFG_USER);
  CHECK_EQ_INT(o.fixits, 0);
  CHECK_EQ_INT(o.src[FIX_CFG_FIXITS], FIX_CFG_PROJECT);
  CHECK_EQ_INT(o.candidates, 7);
  CHECK_EQ_INT(o.src[FIX_CFG_CANDIDATES], FIX_CFG_ENV);
  CHECK_EQ_STR(o.backend, "ollama");
  CHECK_EQ_INT(o.src[FIX_CFG_CHECK_TIMEOUT], FIX_CFG_DEFAULT);
  CHECK(fix_options_set(&o, FIX_CFG_CANDIDATES, "1", FIX_CFG_CLI, &err) == FIX_OK);
  CHECK_EQ_INT(o.candidates, 1);
  CHECK_EQ_INT(o.src[FIX_CFG_CANDIDATES], FIX_CFG_CLI);
  char *v = fix_options_get(&o, FIX_CFG_FIXITS);
  CHECK_EQ_STR(v, "false");
  free(v);
  CHECK(fix_options_set(&o, FIX_CFG_MAX_ITERATIONS, "many", FIX_CFG_CLI, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, "max_iterations") != NULL);
  CHECK(fix_options_set(&o, FIX_CFG_BACKEND, "gpt", FIX_CFG_CLI, &err) == FIX_ERR_CONFIG);
  /* base_url: refused when malformed (before anything is sent), with the reason; the error and
   * the value printed back never show the password */
  CHECK(fix_options_set(&o, FIX_CFG_BASE_URL, "http://127.0.0.1:/v1", FIX_CFG_CLI, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, "base_url") && strstr(err.msg, "port") && strstr(err.msg, "command line"));
  CHECK(fix_options_set(&o, FIX_CFG_BASE_URL, "127.0.0.1:8080", FIX_CFG_CLI, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, "no scheme") != NULL);
  CHECK(fix_options_set(&o, FIX_CFG_BASE_URL, "gopher://h/", FIX_CFG_CLI, &err) == FIX_ERR_CONFIG);
  CHECK(fix_options_set(&o, FIX_CFG_BASE_URL, "http://carol:pw0rd-99@:8080/v1", FIX_CFG_CLI, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, "no host") && !strstr(err.msg, "pw0rd-99") && strstr(err.msg, "carol:***@"));
  CHECK(fix_options_set(&o, FIX_CFG_BASE_URL, "http://alice:hunter2pass@127.0.0.1:18099/v1", FIX_CFG_CLI, &err) == FIX_OK);
  v = fix_options_get(&o, FIX_CFG_BASE_URL);
  fix_redact(v); /* what `fix config` prints */
  CHECK_EQ_STR(v, "http://alice:***@127.0.0.1:18099/v1");
  free(v);
  CHECK(fix_options_set(&o, FIX_CFG_BASE_URL, "", FIX_CFG_CLI, &err) == FIX_OK); /* empty: the default */
  CHECK(o.base_url == NULL);
  fix_options_free(&o);

  /* a bad environment value and a broken project file are errors naming their source */
  setenv("FIX_CANDIDATES", "zero", 1);
  fix_options_defaults(&o);
  CHECK(fix_options_load(&o, proj, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, "environment") != NULL);
  fix_options_free(&o);
  unsetenv("FIX_CANDIDATES");
  CHECK(fix_file_write_atomic(pf, "{\"fixits\": ", 11, NULL) == FIX_OK);
  fix_options_defaults(&o);
  CHECK(fix_options_load(&o, proj, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, ".fix.json") != NULL);
  fix_options_free(&o);

  fix_rmtree(dir);
  free(dir);
  free(xdg);
  free(fixdir);
  free(proj);
  free(user);
  free(pf);
  return check_summary();
}
