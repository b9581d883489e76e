#ifndef VEC_H
#define VEC_H

#include <stddef.h>

struct vec {
  int *data;
  size_t len, cap;
};

int vec_push(struct vec *v, int x);
long vec_sum(const struct vec *v);
void vec_free(struct vec *v);

#endif
