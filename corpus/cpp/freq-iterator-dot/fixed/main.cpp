#include <iostream>
#include <map>
#include <string>

static std::map<std::string, int> count(const std::string &text) {
  std::map<std::string, int> freq;
  std::string word;
  for (char c : text) {
    if (c == ' ') {
      if (!word.empty())
        ++freq[word];
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty())
    ++freq[word];
  return freq;
}

static int lookup(const std::map<std::string, int> &m, const std::string &k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

int main() {
  auto f = count("a b a c a b");
  std::cout << lookup(f, "a") << lookup(f, "b") << lookup(f, "z") << "\n";
  return !(lookup(f, "a") == 3 && lookup(f, "b") == 2 && lookup(f, "z") == 0);
}
