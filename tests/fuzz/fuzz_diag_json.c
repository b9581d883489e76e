/* fuzz_diag_json.c — gcc's JSON diagnostics, and format sniffing. */
#include "fix/diag.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fix_diag_list l;
  fix_diag_list_init(&l);
  fix_diag_parse_gcc_json((const char *)data, size, &l, NULL);
  fix_diag_list_free(&l);
  fix_diag_list_init(&l);
  fix_diag_parse_auto((const char *)data, size, FIX_CC_UNKNOWN, &l, NULL);
  struct fix_buf out;
  fix_buf_init(&out, 0);
  fix_diag_list_render(&l, &out);
  fix_buf_free(&out);
  fix_diag_list_free(&l);
  return 0;
}
