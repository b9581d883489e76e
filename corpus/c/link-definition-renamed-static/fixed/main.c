#include <stdio.h>
#include "escape.h"

int main(void) {
  char out[512];
  render("a<b", "x & y", out, sizeof out);
  puts(out);
  return 0;
}
