#include "lib.h"
unsigned buffer_get(const struct buffer *p) { return p->length; }
void buffer_set(struct buffer *p, unsigned v) { p->length = v; }
