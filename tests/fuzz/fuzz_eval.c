/* fuzz_eval.c — `fix eval` results files (--merge, --compare) on arbitrary bytes: every accepted
 * file is summarised, rendered as the HTML report, compared with itself and merged into another. */
#include "fix/eval.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fix_eval_results r, all = {0};
  struct fix_err err;
  if (fix_eval_from_json((const char *)data, size, "fuzz", &r, &err) != FIX_OK)
    return 0;
  struct fix_buf b;
  fix_buf_init(&b, 0);
  fix_eval_summary(&r, &b);
  fix_eval_report(&r, NULL, &b);
  fix_eval_report(&r, &r, &b);
  fix_eval_compare(&r, &r, &b);
  fix_buf_free(&b);
  char *json = fix_eval_to_json(&r);
  free(json);
  (void)fix_eval_merge(&all, &r, &err);
  fix_eval_results_free(&r);
  fix_eval_results_free(&all);
  return 0;
}
