#ifndef TALLY_H
#define TALLY_H
typedef struct {
  int counts[8];
  int n;
} tally_t;
void tally_add(tally_t *t, int bucket);
int tally_sum(const tally_t *t);
#endif
