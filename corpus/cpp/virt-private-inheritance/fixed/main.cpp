#include <iostream>

class Base {
 public:
  virtual ~Base() = default;
  virtual int id() const { return 1; }
};

class Derived : public Base {
 public:
  int id() const override { return 2; }
};

static int ident(const Base &b) { return b.id(); }

int main() {
  Base *p = new Derived();
  int r = ident(*p);
  delete p;
  int *arr = new int[4]{1, 2, 3, 4};
  int s = arr[0] + arr[3];
  delete[] arr;
  std::cout << r << " " << s << "\n";
  return !(r == 2 && s == 5);
}
