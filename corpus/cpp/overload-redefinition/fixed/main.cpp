#include <cmath>
#include <iostream>

static double distance(double x1, double y1, double x2, double y2) {
  return std::sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
}

static int round_to(double v) { return static_cast<int>(v + 0.5); }
static int round_to(int v) { return v; }

int main() {
  double d = distance(0, 0, 3, 4);
  int r = round_to(d);
  int s = round_to(7);
  std::cout << d << " " << r << " " << s << "\n";
  return !(r == 5 && s == 7);
}
