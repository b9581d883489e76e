/* tally.c — counts per bucket */

void tally_add(tally_t *t, int bucket) {
  assert(bucket >= 0 && bucket < TALLY_BUCKETS);
  t->counts[bucket]++;
  if (bucket >= t->n)
    t->n = bucket + 1;
}

int tally_sum(const tally_t *t) {
  int s = 0;
  for (int i = 0; i < t->n; i++)
    s += t->counts[i];
  return s;
}
