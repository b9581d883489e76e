#include <stdio.h>
#include "items.h"

int main(void) {
  int n = count_itms(LIMIT);
  printf("%d items\n", n);
  return n == 5 ? 0 : 1;
}
