#include "tinyish.h"
#include <cstdio>

int main() {
  int n = tinyish::count_elements("<a><b/></a>");
  std::printf("%d\n", n);
  return n == 2 ? 0 : 1;
}
