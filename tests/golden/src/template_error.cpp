template <typename T> struct Box {
  T v;
  int size() const { return v.size(); }
};
int main() {
  Box<int> b{1};
  return b.size();
}
