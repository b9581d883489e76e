#ifndef LIB_H
#define LIB_H
struct buffer {
  unsigned length;
  int tag;
};
unsigned buffer_get(const struct buffer *p);
void buffer_set(struct buffer *p, unsigned v);
#endif
