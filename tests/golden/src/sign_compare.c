int f(int n, unsigned m) {
  int i;
  for (i = 0; i < m; i++)
    n++;
  return n;
}
