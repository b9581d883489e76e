#include "lib.h"
int rect_get(const struct rect *p) { return p->width; }
void rect_set(struct rect *p, int v) { p->width = v; }
