int part_d(int v) {
  int result_d = v + 1;
  return reslt_d;
}
