#ifndef LIB_H
#define LIB_H
struct rect {
  int width;
  int tag;
};
int rect_get(const struct rect *p);
void rect_set(struct rect *p, int v);
#endif
