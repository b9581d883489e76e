#include <iostream>
#include <vector>

template <T>
T largest(const std::vector<T> &v) {
  T best = v.front();
  for (const T &x : v)
    if (best < x)
      best = x;
  return best;
}

template <typename T>
struct Pair {
  T first, second;
  T sum() const { return first + second; }
};

int main() {
  std::vector<int> a = {3, 9, 4};
  std::vector<double> b = {1.5, 0.5};
  Pair<int> p{2, 5};
  int r = largest(a) + p.sum();
  std::cout << r << " " << largest(b) << "\n";
  return !(r == 16 && largest(b) == 1.5);
}
