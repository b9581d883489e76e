#include "names.hpp"

std::vector<std::string> names() {
  std::vector<std::string> v{"ada", "bo"};
  return v;
}
