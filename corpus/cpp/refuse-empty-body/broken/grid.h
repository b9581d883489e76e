#pragma once

#include <string>
#include <vector>

class Grid {
 public:
  explicit Grid(std::vector<std::string> rows) : rows_(std::move(rows)) {}
  int count_alive() const;

 private:
  std::vector<std::string> rows_;
};
