#include "lib.h"
unsigned long block_get(const struct block *p) { return p->sz; }
void block_set(struct block *p, unsigned long v) { p->sz = v; }
