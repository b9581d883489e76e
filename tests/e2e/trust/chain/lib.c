#include "lib.h"

#include <string.h>

int escape(const char *src, int secure) {
  int len = (int)strlen(src);
  return secure ? len * 2 : len;
}

int count_truncat(int n) { return n > 10 ? 10 : n; }
