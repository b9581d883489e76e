#include <iostream>
#include <string>
#include <vector>

struct Item {
  std::string name;
  int qty;
};

class Inventory {
 public:
  void add(const std::string &name, int qty) { item_.push_back({name, qty}); }
  int total() const {
    int t = 0;
    for (const Item &i : items_)
      t += i.qty;
    return t;
  }
  const Item *find(const std::string &name) const {
    for (const Item &i : items_)
      if (i.name == name)
        return &i;
    return nullptr;
  }

 private:
  std::vector<Item> items_;
};

int main() {
  Inventory inv;
  inv.add("bolt", 10);
  inv.add("nut", 5);
  const Item *n = inv.find("nut");
  std::cout << inv.total() << "\n";
  return !(inv.total() == 15 && n && n->qty == 5 && !inv.find("gear"));
}
