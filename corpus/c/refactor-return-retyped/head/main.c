#include "c.h"
int main(void) {
  int c = 3;
  counter_reset(&c);
  return c;
}
