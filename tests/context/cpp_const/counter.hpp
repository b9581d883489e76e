#pragma once
#include <string>

namespace app {

class Counter {
public:
  explicit Counter(std::string name) : name_(std::move(name)) {}
  void bump() const;
  int value() const { return n_; }

private:
  std::string name_;
  int n_ = 0;
};

} // namespace app
