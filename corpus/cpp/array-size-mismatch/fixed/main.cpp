#include <array>
#include <iostream>
#include <numeric>

constexpr int kSize = 5;

static int checksum(const std::array<int, kSize> &a) {
  return std::accumulate(a.begin(), a.end(), 0);
}

int main() {
  std::array<int, kSize> a{};
  for (int i = 0; i < kSize; i++)
    a[i] = i * i;
  int c = checksum(a);
  auto sq = [](int x) { return x * x; };
  std::cout << c << " " << sq(4) << "\n";
  return !(c == 30 && sq(4) == 16);
}
