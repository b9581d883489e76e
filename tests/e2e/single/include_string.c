#include <stdio.h>
int main(void) {
  printf("%zu\n", strlen("abc"));
  return 0;
}
