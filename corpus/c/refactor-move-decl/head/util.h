#ifndef UTIL_H
#define UTIL_H
typedef struct {
  int lo, hi;
} range_t;
int clamp(range_t r, int v);
int twice(int v);
#endif
