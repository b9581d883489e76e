#include <cstdio>
#include "holder.hpp"

int main() {
  Holder h{21};
  std::printf("%d\n", doubled(&h));
  return doubled(&h) == 42 ? 0 : 1;
}
