#include <iostream>
#include <map>
#include <string>
#include <vector>

// how often each word occurs
static std::map<std::string, int> tally(const std::vector<std::string> &words) {
  std::map<std::string, int> counts;
  for (const auto &w : words)
    counts[w]++;
  return counts;
}

int main() {
  auto t = tally({"a", "b", "a", "c", "a"});
  std::cout << "a: " << t["a"] << ", kinds: " << t.size() << "\n";
  return !(t["a"] == 3 && t.size() == 3);
}
