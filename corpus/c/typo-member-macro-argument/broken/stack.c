#include <stdio.h>

#define PUSH(stack, value) ((stack).items[(stack).count++] = (value))

struct doc {
  struct {
    struct {
      int items[16];
      int count;
    } pairs;
  } mapping;
};

int main(void) {
  struct doc d = {0};
  for (int i = 1; i <= 4; i++)
    PUSH(d.mapping.piars, i * i);
  int total = 0;
  for (int i = 0; i < d.mapping.pairs.count; i++)
    total += d.mapping.pairs.items[i];
  printf("%d\n", total);
  return 0;
}
