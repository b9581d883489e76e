#include <stdio.h>
#include "geom.h"

static int unrelated(int v) {
  return v * 2;
}

int depth(const struct point *p) {
  int d = p->x + p->y;
  return d + p->z;
}

int main(void) {
  struct point p = {1, 2};
  printf("%d\n", depth(&p) + unrelated(1));
  return 0;
}
