#include <iostream>
#include <sstream>
#include <string>
#include <vector>

// the words of a line, in order
static std::vector<std::string> words(const std::string &line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string w;
  while (in >> w)
    out.push_back(w);
  return out;
}

int main() {
  auto w = words("the quick fox");
  std::cout << w.size() << " words, the last " << w.back() << "\n";
  return !(w.size() == 3 && w.back() == "fox");
}
