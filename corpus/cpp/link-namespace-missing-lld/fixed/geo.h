#pragma once

namespace geo {

struct Point {
  double x, y;
};

double distance(Point a, Point b);
double perimeter(const Point *pts, int n);

}  // namespace geo
