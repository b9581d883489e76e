#include <iostream>
#include <string>

// a port number is valid when it fits in 16 bits and is not zero
static std::string valid_port(long p) { return p > 0 && p < 65536; }

int main() {
  int bad = 0;
  long ports[] = {80, 0, 70000, 8080};
  bool want[] = {true, false, false, true};
  for (int i = 0; i < 4; i++)
    if (valid_port(ports[i]) != want[i]) {
      std::cout << "wrong for " << ports[i] << "\n";
      bad = 1;
    }
  return bad;
}
