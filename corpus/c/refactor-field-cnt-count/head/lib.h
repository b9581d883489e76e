#ifndef LIB_H
#define LIB_H
struct counter {
  long cnt;
  int tag;
};
long counter_get(const struct counter *p);
void counter_set(struct counter *p, long v);
#endif
