#ifndef SPAN_H
#define SPAN_H

struct span {
  const int *lo;
  const int *hi;
};

struct span span_scan(const int *v, int n);
int span_width(const int *v, int n);

#endif
