#include <stdio.h>

enum shape_kind { CIRCLE, SQUARE };

struct shape {
  enum shape_kind kind;
  double size;
};

static double area(const struct shape *s) {
  switch (s->kind) {
  case CIRCLE:
    return 3.0 * s->size * s->size;
  case SQUARE:
    return s->size * s->sise;
  }
  return 0.0;
}

int main(void) {
  struct shape shapes[2] = {{CIRCLE, 1.0}, {SQUARE, 2.0}};
  double total = 0;
  for (int i = 0; i < 2; i++)
    total += area(&shapes[i]);
  printf("%.1f\n", total);
  return total != 7.0;
}
