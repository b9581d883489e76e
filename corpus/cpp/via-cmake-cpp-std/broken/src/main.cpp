#include <cstdio>
#include "names.hpp"

int main() {
  std::printf("%zu\n", names().size());
  return names().size() == 2 ? 0 : 1;
}
