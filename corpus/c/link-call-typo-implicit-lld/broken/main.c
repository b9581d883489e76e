#include "tally.h"

int main(void) {
  const char *results = "..F.s..F.";
  struct tally t = {0, 0, 0};
  for (const char *r = results; *r; r++)
    tally_add(&t, *r);
  prnt_report(&t);
  return t.failed == 2 ? 0 : 1;
}
