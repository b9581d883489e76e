#ifndef VEC_H
#define VEC_H

#include <stddef.h>

struct vec {
  int *data;
  size_t length, cap;
};

int vec_push(struct vec *v, int x);
long vec_sum(const struct vec *v);
void vec_free(struct vec *v);

#endif
