#include <iostream>

#include "account.h"

int main() {
  Account a("ada", 1200);
  a.deposit(350);
  std::cout << a.label() << "\n";
  return a.balance() == 1550 ? 0 : 1;
}
