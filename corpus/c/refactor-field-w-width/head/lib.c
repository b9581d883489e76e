#include "lib.h"
int rect_get(const struct rect *p) { return p->w; }
void rect_set(struct rect *p, int v) { p->w = v; }
