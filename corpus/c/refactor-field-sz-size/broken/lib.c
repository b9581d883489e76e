#include "lib.h"
unsigned long block_get(const struct block *p) { return p->size; }
void block_set(struct block *p, unsigned long v) { p->size = v; }
