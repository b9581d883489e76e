#include <cstdio>
#include "lib.h"
int main() {
  std::string a = label(5, "id");
  std::string b = label(6,
                        std::string("name"));
  std::printf("%s|%s\n", a.c_str(), b.c_str());
  return a == "id..." && b == "name.." ? 0 : 1;
}
