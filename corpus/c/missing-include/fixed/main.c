#include <stdio.h>
#include <string.h>

int main(void) {
  char buf[8];
  strcpy(buf, "hi");
  return strlen(buf) != 2;
}
