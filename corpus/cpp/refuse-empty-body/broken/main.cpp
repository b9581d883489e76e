#include <iostream>

#include "grid.h"

int main() {
  Grid g({"..#.", ".##.", "#..."});
  std::cout << g.count_alive() << " alive\n";
  return 0;
}
