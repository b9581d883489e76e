#include <iostream>
#include <stdexcept>
#include <string>

namespace geo {
struct Vec2 {
  double x, y;
};

inline Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
inline bool operator==(Vec2 a, Vec2 b) { return a.x == b.x && a.y == b.y; }
}  // namespace geo

static geo::Vec2 parse(const std::string &s) {
  auto comma = s.find(',');
  if (comma == std::string::npos)
    throw std::invalid_argument("no comma");
  return {std::stod(s.substr(0, comma)), std::stod(s.substr(comma + 1))};
}

int main() {
  geo::Vec2 v = parse("1.5,2") + parse("0.5,1");
  bool threw = false;
  try {
    parse("x");
  } catch (const std::invalid_argument &) {
    threw = true;
  }
  std::cout << v.x << "," << v.y << "\n";
  return !(v == geo::Vec2{2.0, 3.0} && threw);
}
