#include <cstdio>
#include "shape.hpp"

int main() {
  Square s(3);
  std::printf("%d\n", s.perimeter());
  return s.perimeter() == 12 ? 0 : 1;
}
