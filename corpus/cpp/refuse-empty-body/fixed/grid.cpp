#include "grid.h"

int Grid::count_alive() const {
  int alive = 0;
  for (const std::string &row : rows_)
    for (char c : row)
      if (c == '#')
        alive++;
  return alive;
}
