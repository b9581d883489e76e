#pragma once

#include <string>

int apply_discount(int cents, int percent);
std::string format_price(int cents);
