#include <stdio.h>

#include "cfg.h"

int load_cfg(const char *text, struct cfg *out) {
  return sscanf(text, "%dx%dx%d", &out->width, &out->height, &out->depth) == 3 ? 0 : -1;
}
