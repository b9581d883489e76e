#include "ledger.h"

int Ledger::total() const {
  int sum = 0;
  for (int e : entries_)
    sum += e;
  return sum;
}
