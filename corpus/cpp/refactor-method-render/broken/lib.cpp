#include "lib.h"
namespace app {
int Bag::render() const { return static_cast<int>(items_.size()); }
}  // namespace app
