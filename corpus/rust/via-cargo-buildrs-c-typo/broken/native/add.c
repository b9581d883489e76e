int add_all(const int *v, int n) {
  int sum = 0;
  for (int i = 0; i < n; i++)
    sum += v[i];
  return sm;
}
