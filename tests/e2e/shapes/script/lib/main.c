#include <stdio.h>
#include "text.h"

int main(void) {
  printf("%lu\n", greeting_length());
  return greeting_length() == 2 ? 0 : 1;
}
