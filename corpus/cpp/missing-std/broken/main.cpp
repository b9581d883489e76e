#include <iostream>
#include <string>
#include <vector>

int main() {
  vector<int> v{1, 2, 3};
  return v.size() != 3;
}
