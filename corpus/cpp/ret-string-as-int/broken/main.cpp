#include <iostream>
#include <string>

struct Item {
  std::string name;
  int qty;
};

// "bolt:3": the label printed on a shelf
static int label(const Item &i) { return i.name + ":" + std::to_string(i.qty); }

int main() {
  Item it{"bolt", 3};
  std::string s = label(it);
  std::cout << s << "\n";
  return s != "bolt:3";
}
