#include "lib.h"
namespace app {
int Bag::value() const { return static_cast<int>(items_.size()); }
}  // namespace app
