#include "lib.h"
namespace app {
int Bag::count() const { return static_cast<int>(items_.size()); }
}  // namespace app
