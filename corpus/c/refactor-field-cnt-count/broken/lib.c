#include "lib.h"
long counter_get(const struct counter *p) { return p->count; }
void counter_set(struct counter *p, long v) { p->count = v; }
