#pragma once
#include <vector>

class Ledger {
public:
  void post(int cents) { entries_.push_back(cents); }
  int total() const;

private:
  std::vector<int> entries_;
};
