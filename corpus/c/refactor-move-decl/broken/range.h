#ifndef RANGE_H
#define RANGE_H
typedef struct {
  int lo, hi;
} range_t;
int span(int lo, int hi);
int clamp(range_t r, int v);
#endif
