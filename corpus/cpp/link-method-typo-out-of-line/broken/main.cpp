#include <iostream>

#include "stack.h"

int main() {
  Stack s;
  for (int i = 1; i <= 4; i++)
    s.push(i * i);
  while (!s.empty())
    std::cout << s.pop() << (s.empty() ? "\n" : " ");
  return 0;
}
