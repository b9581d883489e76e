#include <iostream>
#include <string>

class Temperature {
 public:
  explicit Temperature(double celsius) : celsius_(celsius) {}
  double celsius() const { return celsius_; }
  double fahrenheit() { return celsius_ * 9.0 / 5.0 + 32.0; }
  void warm(double by) { celsius_ += by; }

 private:
  double celsius_;
};

static std::string describe(const Temperature &t) {
  return t.fahrenheit() > 80.0 ? "hot" : "mild";
}

int main() {
  Temperature t(20.0);
  t.warm(10.0);
  std::string d = describe(t);
  std::cout << t.fahrenheit() << " " << d << "\n";
  return !(t.celsius() == 30.0 && d == "hot");
}
