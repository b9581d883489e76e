#include "lib.h"
std::string label(int width, const std::string &name) {
  std::string s = name;
  s.resize(width, '.');
  return s;
}
