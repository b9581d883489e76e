/* kernels/dispatch.c — chooses each type's dot-product kernel for this CPU at run time. Only the
 * scalar reference exists in this build step; SIMD kernels register here by cpuid. */
#include "../quant.h"

static const char *chosen = "scalar";

void fix_kernels_init(void) {
  fix_f16_table_init();
  for (int t = 0; t < FIX_T_COUNT; t++)
    if (fix_types[t].vec_dot_ref)
      fix_types[t].vec_dot = fix_types[t].vec_dot_ref;
}

const char *fix_kernels_name(void) { return chosen; }
