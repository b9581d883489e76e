#pragma once
#include <vector>
namespace app {
class Bag {
 public:
  void add(int v) { items_.push_back(v); }
  int render() const;

 private:
  std::vector<int> items_;
};
}  // namespace app
