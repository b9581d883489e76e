#include <stdio.h>
#include <string.h>

struct point {
  int x, y;
};

static int manhattan(const struct point *p) {
  return p->x + p->y;
}

int main(void) {
  struct point p = {3, 4};
  if (manhattan(&p) != 7)
    return 1;
  return 0;
}
