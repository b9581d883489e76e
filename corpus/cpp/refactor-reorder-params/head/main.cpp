#include <cstdio>
#include "lib.h"
int main() {
  std::string a = label("id", 5);
  std::string b = label(std::string("name"),
                        6);
  std::printf("%s|%s\n", a.c_str(), b.c_str());
  return a == "id..." && b == "name.." ? 0 : 1;
}
