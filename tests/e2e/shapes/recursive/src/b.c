int part_b(int v) {
  int result_b = v + 1;
  return reslt_b;
}
