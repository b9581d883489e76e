#include <iostream>
#include <string>
#include <vector>

class Counter {
 public:
  void add(int n) { total_ += n; }
  int total() const { return total_; }

 private:
  int total_ = 0;
};

static int report(const Counter &c) { return c.total(); }
int main() {
  Counter c;
  c.add(2);
  c.add(3);
  return report(c) != 5;
}
