#ifndef LIB_H
#define LIB_H
struct block {
  unsigned long sz;
  int tag;
};
unsigned long block_get(const struct block *p);
void block_set(struct block *p, unsigned long v);
#endif
