#include <cstdio>
#include "lib.h"
int main() {
  app::Bag b;
  b.add(1);
  b.add(2);
  std::printf("%d\n", b.size());
  return b.size() == 2 ? 0 : 1;
}
