#pragma once
#include <cstddef>
#include <string>
#include <vector>

class Inventory {
public:
  void add(const std::string &item, std::size_t qty);
  std::size_t count() const;
  const std::string &first() const;

private:
  std::vector<std::string> items_;
  std::vector<std::size_t> qty_;
};
