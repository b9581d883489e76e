/* fuzz_compdb.c — compile commands from JSON and from build logs (shell-word splitting). */
#include "fix/build.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fix_compdb db = {0};
  fix_compdb_parse((const char *)data, size, "fuzz", &db, NULL);
  for (size_t i = 0; i < db.n; i++) {
    struct fix_strv a = {0};
    fix_compile_cmd_check_args(db.v[i], 1, &a);
    fix_strv_free(&a);
  }
  fix_compdb_free(&db);
  fix_compdb_from_log((const char *)data, size, "/proj", &db, NULL);
  (void)fix_compdb_lookup(&db, "/proj/a.c");
  fix_compdb_free(&db);
  char *s = fix_strndup((const char *)data, size);
  struct fix_strv w = {0};
  if (s)
    fix_shell_split(s, &w, NULL);
  fix_strv_free(&w);
  free(s);
  return 0;
}
