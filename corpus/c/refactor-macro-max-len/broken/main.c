#include <stdio.h>
#include "lib.h"
int main(void) {
  char buf[MAXLEN];
  int cap = MAXLEN;
  buf[0] = 0;
  printf("%d%s\n", cap, buf);
  return cap == lib_cap() && cap == 16 ? 0 : 1;
}
