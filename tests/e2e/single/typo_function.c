#include <stdio.h>
int main(void) {
  prinft("hi\n");
  return 0;
}
