#include "counter.hpp"

namespace app {

void Counter::bump() const {
  n_++;
}

} // namespace app
