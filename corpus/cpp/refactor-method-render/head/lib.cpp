#include "lib.h"
namespace app {
int Bag::doRender() const { return static_cast<int>(items_.size()); }
}  // namespace app
