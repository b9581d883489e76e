#include "lib.h"
std::string label(const std::string &name, int width) {
  std::string s = name;
  s.resize(width, '.');
  return s;
}
