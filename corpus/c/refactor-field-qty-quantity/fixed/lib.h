#ifndef LIB_H
#define LIB_H
struct item {
  int quantity;
  int tag;
};
int item_get(const struct item *p);
void item_set(struct item *p, int v);
#endif
