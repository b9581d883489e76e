#include <iostream>

#include "price.h"

int main() {
  int list = 2599;
  int sale = apply_discount(list, 20);
  std::cout << format_price(list) << " -> " << format_price(sale) << "\n";
  return 0;
}
