/* tmpfiles.h — writing a test's fixture files below a scratch directory (unit tests only). */
#ifndef FIX_TEST_TMPFILES_H
#define FIX_TEST_TMPFILES_H

#include "check.h"
#include "fix/base.h"

/* root/rel := text, creating directories as needed. */
static inline void put_file(const char *root, const char *rel, const char *text) {
  char *p = fix_path_join(root, rel);
  char *d = p ? fix_path_dirname(p) : NULL;
  CHECK(d && fix_mkdirs(d, NULL) == FIX_OK);
  CHECK(p && fix_file_write_atomic(p, text, strlen(text), NULL) == FIX_OK);
  free(d);
  free(p);
}

#endif
