#include "lib.h"
namespace app {
int Bag::size() const { return static_cast<int>(items_.size()); }
}  // namespace app
