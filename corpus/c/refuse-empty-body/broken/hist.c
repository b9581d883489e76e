#include <stdio.h>
#include <string.h>

#include "hist.h"

void hist_print(const struct bucket *b, int n, char mark) {
  for (int i = 0; i < n; i++) {
    char bar[64];
    int len = b[i];
    if (len > 63)
      len = 63;
    memset(bar, mark, (size_t)len);
    bar[len] = '\0';
    printf("%-4s|%s\n", b[i].label, bar);
  }
}
