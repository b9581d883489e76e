#include "vec.h"

#include <stdlib.h>

int vec_push(struct vec *v, int x) {
  if (v->len == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 4;
    int *d = realloc(v->data, cap * sizeof *d);
    if (!d)
      return -1;
    v->data = d;
    v->cap = cap;
  }
  v->data[v->len++] = x;
  return 0;
}

long vec_sum(const struct vec *v) {
  long s = 0;
  for (size_t i = 0; i < v->len; i++)
    s += v->data[i];
  return s;
}

void vec_free(const struct vec *v) {
  free(v->data);
  v->data = NULL;
  v->len = v->cap = 0;
}
