#include <iostream>
#include <string>
#include <vector>

struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
};

struct Square : Shape {
  double side = 2;
  double area() const override { return side * side; }
};
int main() {
  Square s;
  const Shape &r = s;
  return r.area() != 4.0;
}
