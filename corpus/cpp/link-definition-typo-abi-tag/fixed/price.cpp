#include "price.h"

#include <cstdio>

int apply_discount(int cents, int percent) {
  return cents - cents * percent / 100;
}

std::string format_price(int cents) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d.%02d EUR", cents / 100, cents % 100);
  return buf;
}
