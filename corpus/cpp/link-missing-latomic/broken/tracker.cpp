#include "tracker.h"

void Tracker::widen(long v) {
  Span cur = span_.load();
  Span next;
  do {
    next = cur;
    if (v < next.lo)
      next.lo = v;
    if (v > next.hi)
      next.hi = v;
  } while (!span_.compare_exchange_weak(cur, next));
}
