#pragma once
#include <vector>

class Ledger {
public:
  void post(int cents) { entries_.push_back(cents); }
  long long total() const;

private:
  std::vector<int> entries_;
};
