#ifndef TALLY_H
#define TALLY_H

struct tally {
  int passed;
  int failed;
  int skipped;
};

void tally_add(struct tally *t, char result);
void print_report(const struct tally *t);

#endif
