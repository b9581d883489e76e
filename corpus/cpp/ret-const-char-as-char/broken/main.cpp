#include <cstring>
#include <iostream>

enum class Light { Red, Amber, Green };

static char name_of(Light l) {
  switch (l) {
  case Light::Red:
    return "red";
  case Light::Amber:
    return "amber";
  case Light::Green:
    return "green";
  }
  return "?";
}

int main() {
  std::cout << name_of(Light::Amber) << "\n";
  return std::strcmp(name_of(Light::Amber), "amber") != 0 || std::strcmp(name_of(Light::Green), "green") != 0;
}
