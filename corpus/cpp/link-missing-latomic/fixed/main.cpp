#include <iostream>
#include <thread>

#include "tracker.h"

int main() {
  Tracker t;
  std::thread a([&] { for (long v = 0; v < 1000; v++) t.widen(v); });
  std::thread b([&] { for (long v = 0; v > -500; v--) t.widen(v); });
  a.join();
  b.join();
  Span s = t.get();
  std::cout << "span " << s.lo << ".." << s.hi << "\n";
  return 0;
}
