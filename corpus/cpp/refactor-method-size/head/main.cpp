#include <cstdio>
#include "lib.h"
int main() {
  app::Bag b;
  b.add(1);
  b.add(2);
  std::printf("%d\n", b.count());
  return b.count() == 2 ? 0 : 1;
}
