#include <cstdio>
#include "lib.h"
int main() {
  int r = combine(10, 5);
  std::printf("%d\n", r);
  return r == 15 ? 0 : 1;
}
