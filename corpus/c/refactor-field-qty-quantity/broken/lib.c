#include "lib.h"
int item_get(const struct item *p) { return p->quantity; }
void item_set(struct item *p, int v) { p->quantity = v; }
