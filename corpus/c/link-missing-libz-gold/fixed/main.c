#include <stdio.h>

#include "checksum.h"

int main(int argc, char **argv) {
  const char *text = argc > 1 ? argv[1] : "hello, world";
  printf("%08lx\n", checksum_text(text));
  return 0;
}
