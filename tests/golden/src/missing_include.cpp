int main() {
  std::vector<int> v;
  std::string s;
  return v.size() + s.size();
}
