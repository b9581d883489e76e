#include <stdio.h>

struct point {
  int x, y;
};

static struct point add(struct point a, struct point b) {
  struct point r = {a.x + b.x, a.y + b.y};
  return r;
}

static int manhattan(const struct point *p) {
  int x = p->x < 0 ? -p->x : p->x;
  int y = p->y < 0 ? -p->y : p->y;
  return x + y;
}

int main(void) {
  struct point a = {1, -2}, b = {3, 5};
  struct point c = add(a, b);
  int d = manhattan(&c);
  printf("%d\n", d);
  return d != 7;
}
