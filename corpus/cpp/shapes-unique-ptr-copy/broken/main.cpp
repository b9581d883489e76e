#include <iostream>
#include <memory>
#include <string>
#include <vector>

struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
  virtual std::string name() const = 0;
};

struct Rect : Shape {
  Rect(double w, double h) : w_(w), h_(h) {}
  double area() const override { return w_ * h_; }
  std::string name() const override { return "rect"; }
  double w_, h_;
};

struct Circle : Shape {
  explicit Circle(double r) : r_(r) {}
  double area() const override { return 3.0 * r_ * r_; }
  std::string name() const override { return "circle"; }
  double r_;
};

int main() {
  std::vector<std::unique_ptr<Shape>> shapes;
  shapes.push_back(std::make_unique<Rect>(2.0, 3.0));
  shapes.push_back(std::make_unique<Circle>(1.0));
  double total = 0;
  for (std::unique_ptr<Shape> s : shapes)
    total += s->area();
  std::cout << total << "\n";
  return total != 9.0;
}
