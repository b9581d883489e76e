#include "inventory.h"
#include <cstdio>

int main() {
  Inventory inv;
  inv.add("bolt", 3);
  inv.add("nut", 4);
  std::printf("%zu %s\n", inv.count(), inv.first().c_str());
  return inv.count() == 7 ? 0 : 1;
}
