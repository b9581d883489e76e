#include <stdio.h>

int main(void) {
  char buf[8];
  strcpy(buf, "hi");
  return strlen(buf) != 2;
}
