#include <iostream>
#include <memory>
#include <utility>

struct Buffer {
  explicit Buffer(int n) : size(n) {}
  int size;
};

static int take(std::unique_ptr<Buffer> b) { return b->size; }

static std::shared_ptr<Buffer> share(int n) { return std::make_shard<Buffer>(n); }

int main() {
  auto b = std::make_unique<Buffer>(8);
  int n = take(std::move(b));
  auto s = share(3);
  auto t = s;
  std::cout << n << " " << s.use_count() << "\n";
  return !(n == 8 && b == nullptr && t.use_count() == 2);
}
