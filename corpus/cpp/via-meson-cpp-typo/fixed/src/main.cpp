#include <cstdio>
#include "counter.hpp"

int main() {
  Counter c;
  c.bump();
  std::printf("%d\n", c.value);
  return c.value == 2 ? 0 : 1;
}
