#include "element.h"
#include <cstdio>

void Element::SetText(const char *text) { text_ = text; }

void Element::SetText(int value) { text_ = std::to_string(value); }

void Element::SetText_impl(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  text_ = buf;
}
