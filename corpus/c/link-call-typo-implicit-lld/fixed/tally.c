#include <stdio.h>

#include "tally.h"

void tally_add(struct tally *t, char result) {
  if (result == '.')
    t->passed++;
  else if (result == 'F')
    t->failed++;
  else
    t->skipped++;
}

void print_report(const struct tally *t) {
  printf("passed %d, failed %d, skipped %d\n", t->passed, t->failed, t->skipped);
}
