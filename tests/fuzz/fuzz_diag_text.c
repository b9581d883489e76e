/* fuzz_diag_text.c — the gcc/clang text parser, with every compiler hint, and rendering. */
#include "fix/diag.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  for (int hint = FIX_CC_UNKNOWN; hint <= FIX_CC_CLANG; hint++) {
    struct fix_diag_list l;
    fix_diag_list_init(&l);
    fix_diag_parse_text((const char *)data, size, (enum fix_compiler)hint, &l, NULL);
    struct fix_buf out;
    fix_buf_init(&out, 0);
    fix_diag_list_render(&l, &out);
    for (size_t i = 0; i < l.n; i++) {
      char *id = fix_diag_identity(&l.v[i]);
      (void)fix_diag_tu(&l.v[i]);
      free(id);
    }
    fix_diag_list_map_prefix(&l, "a", "/b");
    fix_buf_free(&out);
    fix_diag_list_free(&l);
  }
  /* column arithmetic on arbitrary bytes */
  for (int col = 0; col < 40; col += 7)
    (void)fix_display_to_byte_col((const char *)data, size, col, 8);
  (void)fix_text_offset((const char *)data, size, 3, 5);
  return 0;
}
