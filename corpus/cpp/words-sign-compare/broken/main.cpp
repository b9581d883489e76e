#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

static std::vector<std::string> sorted_unique(std::vector<std::string> words) {
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

int main() {
  std::vector<std::string> w = {"pear", "apple", "pear", "fig"};
  auto u = sorted_unique(w);
  for (int i = 0; i < u.size(); i++)
    std::cout << u[i] << ' ';
  std::cout << '\n';
  return !(u.size() == 3 && u[0] == "apple" && u[2] == "pear");
}
