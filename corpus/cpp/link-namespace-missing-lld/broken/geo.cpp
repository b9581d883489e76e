#include "geo.h"

#include <cmath>

namespace geo {

double perimeter(const Point *pts, int n) {
  double sum = 0;
  for (int i = 0; i < n; i++)
    sum += distance(pts[i], pts[(i + 1) % n]);
  return sum;
}

}  // namespace geo

double distance(geo::Point a, geo::Point b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}
