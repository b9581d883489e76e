#include "names.hpp"

std::vector<std::string> names() {
  vector<std::string> v{"ada", "bo"};
  return v;
}
