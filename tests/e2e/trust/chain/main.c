#include <stdio.h>

#include "lib.h"

int escape_all(const char *src, int len);

int main(void) {
  printf("%d %d\n", escape_all("abc", 3), count_truncate(42));
  return 0;
}
