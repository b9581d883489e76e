#include <cstdio>

#include "geo.h"

int main() {
  geo::Point tri[] = {{0, 0}, {3, 0}, {3, 4}};
  std::printf("side %.1f, perimeter %.1f\n", geo::distance(tri[0], tri[2]), geo::perimeter(tri, 3));
  return 0;
}
