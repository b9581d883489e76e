#include "lib.h"
unsigned buffer_get(const struct buffer *p) { return p->len; }
void buffer_set(struct buffer *p, unsigned v) { p->len = v; }
