#include <memory>
void take(std::unique_ptr<int> p);
int main() {
  auto p = std::make_unique<int>(1);
  take(p);
}
