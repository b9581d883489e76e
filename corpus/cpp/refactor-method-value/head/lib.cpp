#include "lib.h"
namespace app {
int Bag::getValue() const { return static_cast<int>(items_.size()); }
}  // namespace app
