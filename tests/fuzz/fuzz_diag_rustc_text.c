/* fuzz_diag_rustc_text.c — rustc's human-readable and short output parser, the sniffing that
 * picks it inside a build log, and what the session does with the result (identities, rendering,
 * path resolution against several directories). */
#include "fix/diag.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fix_diag_list l;
  fix_diag_list_init(&l);
  fix_diag_parse_rustc_text((const char *)data, size, &l, NULL);
  fix_diag_parse_auto((const char *)data, size, FIX_CC_UNKNOWN, &l, NULL);
  struct fix_buf out;
  fix_buf_init(&out, 0);
  fix_diag_list_render(&l, &out);
  for (size_t i = 0; i < l.n; i++) {
    char *id = fix_diag_identity(&l.v[i]);
    (void)fix_diag_tu(&l.v[i]);
    free(id);
  }
  const char *dirs[] = {"/nonexistent-a", "/nonexistent-b"};
  fix_diag_list_resolve(&l, dirs, 2);
  fix_buf_free(&out);
  fix_diag_list_free(&l);
  char *dir = NULL;
  if (fix_diag_make_dir_line((const char *)data, size, &dir))
    free(dir);
  return 0;
}
