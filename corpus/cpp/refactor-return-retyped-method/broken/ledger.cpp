#include "ledger.h"

long long Ledger::total() const {
  long long sum = 0;
  for (int e : entries_)
    sum += e;
  return sum;
}
