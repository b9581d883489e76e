#include <stdio.h>
#include "lib.h"

int emit(int level, unsigned flags, const char *msg) {
  return printf("[%d%s] %s\n", level, flags & 1u ? "!" : "", msg) > 0 ? level + (int)flags : -1;
}
