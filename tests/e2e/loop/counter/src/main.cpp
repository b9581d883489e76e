#include "counter.hpp"

static int report(const Counter &c) { return c.value(); }

int main() {
  Counter c;
  c.add(2);
  return report(c) == 2 ? 0 : 1;
}
