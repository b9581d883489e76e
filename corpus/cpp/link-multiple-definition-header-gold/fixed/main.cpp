#include <iostream>

#include "kv.h"
#include "strutil.h"

int main() {
  std::string key, value;
  if (!parse_pair("  name =  fix\t", key, value))
    return 1;
  std::cout << "[" << key << "] = [" << value << "] from [" << trim("  ok  ") << "]\n";
  return 0;
}
