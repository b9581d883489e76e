#include <stdio.h>
#include "name.h"

int main(void) {
  printf("%lu\n", name_length());
  return name_length() == 3 ? 0 : 1;
}
