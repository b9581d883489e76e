#include "inventory.h"

void Inventory::add(const std::string &item, std::size_t qty) {
  items_.push_back(item);
  qty_.push_back(qty);
}

unsigned Inventory::count() const {
  std::size_t n = 0;
  for (std::size_t q : qty_)
    n += q;
  return n;
}

const std::string &Inventory::first() const { return items_.front(); }
