#include "geo.h"

int area(const struct rect *r) { return r->width * r->height; }
