#pragma once

#include <atomic>

struct Span {
  long lo, hi;
};

class Tracker {
 public:
  void widen(long v);
  Span get() const { return span_.load(); }

 private:
  std::atomic<Span> span_{Span{0, 0}};
};
