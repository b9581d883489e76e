#include <stdio.h>
#include "lib.h"

int emit(int level, const char *msg) {
  return printf("[%d] %s\n", level, msg) > 0 ? level : -1;
}
