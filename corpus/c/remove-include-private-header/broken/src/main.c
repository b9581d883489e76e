#include <stdio.h>
#include "tally_private.h"

int main(void) {
  tally_t t = {{0}, 0};
  for (int i = 0; i < 10; i++)
    tally_add(&t, i % TALLY_BUCKETS);
  printf("%d\n", tally_sum(&t));
  return 0;
}
