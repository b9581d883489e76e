#pragma once

class Counter {
public:
  void add(int n) { n_ += n; }
  int value() { return n_; }

private:
  int n_ = 0;
};
