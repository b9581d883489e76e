#include "ledger.h"

int main() {
  Ledger l;
  l.post(2000000000);
  l.post(2000000000);
  return l.total() > 0 ? 0 : 1;
}
