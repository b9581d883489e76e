#include <iostream>

#include "session.h"

int main() {
  Session a("ada");
  {
    Session b("brian");
    std::cout << Session::open_count() << " open, ";
  }
  std::cout << Session::open_count() << " open after " << a.user() << "\n";
  return 0;
}
